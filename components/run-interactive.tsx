import React from 'react';
import {render} from 'ink';
import type {ConsoleContext} from '../source/context.js';
import {loadSettings} from '../source/settings.js';
import {maskedWritable} from '../source/system/masked-output.js';
import {installSignalHandlers} from '../source/system/shutdown.js';
import {App} from './shell/App.js';

const enterAlternateScreen = '\u001B[?1049h\u001B[H';
const leaveAlternateScreen = '\u001B[?1049l';
const showCursor = '\u001B[?25h';

/** Opens the console on the alternate screen; the previous terminal content comes back on exit. */
export async function runInteractive(context: ConsoleContext): Promise<number> {
  const settings = await loadSettings(context.stateDir).catch(() => ({}) as {ascii?: boolean});
  const effective = {...context, ascii: context.ascii || settings.ascii === true};
  let restored = false;
  const restoreTerminal = () => {
    if (restored) return;
    restored = true;
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
    process.stdout.write(showCursor + leaveAlternateScreen);
  };
  installSignalHandlers(restoreTerminal);
  process.stdout.write(enterAlternateScreen);
  // Every frame passes the secret mask (a secret learned from a file is never drawn).
  const instance = render(<App context={effective} />, {exitOnCtrlC: false, patchConsole: true, stdout: maskedWritable(process.stdout), stderr: maskedWritable(process.stderr)});
  try {
    await instance.waitUntilExit();
  } finally {
    instance.cleanup();
    restoreTerminal();
  }
  return 0;
}
