import React from 'react';
import {render} from 'ink';
import type {ConsoleContext} from '../source/context.js';
import {ExitCode} from '../source/errors.js';
import {outcomeLine, sessionOutcome} from '../source/outcome.js';
import {loadSettings} from '../source/settings.js';
import {maskedWritable} from '../source/system/masked-output.js';
import {maskText} from '../source/system/secret-registry.js';
import {installSignalHandlers, isTerminalLoss, runShutdownHandlers, silenceOutput} from '../source/system/shutdown.js';
import {App} from './shell/App.js';
import {KeyStdin} from './input/key-stdin.js';
import {withCopyOverlay} from './widgets/copy-overlay.js';

const enterAlternateScreen = '\u001B[?1049h\u001B[H';
const leaveAlternateScreen = '\u001B[?1049l';
const showCursor = '\u001B[?25h';
// Bracketed paste: the terminal marks pasted text, so a paste is one event, not typed keys.
const enableBracketedPaste = '\u001B[?2004h';
const disableBracketedPaste = '\u001B[?2004l';

/** Opens the console on the alternate screen; the previous terminal content comes back on exit. */
export async function runInteractive(context: ConsoleContext): Promise<number> {
  const settings = await loadSettings(context.stateDir).catch(() => ({}) as {ascii?: boolean});
  const effective = {...context, ascii: context.ascii || settings.ascii === true};
  let restored = false;
  const restoreTerminal = () => {
    if (restored) return;
    restored = true;
    // A terminal that is gone fails both: nothing to restore then.
    try {
      if (process.stdin.isTTY) process.stdin.setRawMode(false);
      // Back on the normal screen: one line says what happened (the frames are gone with the alternate screen).
      process.stdout.write(`${disableBracketedPaste}${showCursor}${leaveAlternateScreen}${maskText(outcomeLine())}\n`);
    } catch {
      silenceOutput();
    }
  };
  // A closed pty (stdin ends, EIO on writes) runs the same shutdown path as SIGHUP.
  installSignalHandlers(restoreTerminal, {interactive: true});
  process.stdout.write(enterAlternateScreen + enableBracketedPaste);
  // Every frame passes the secret mask (a secret learned from a file is never drawn); commands to
  // copy that are wider than the terminal are drawn after each frame, wrapped by the terminal.
  const instance = render(<App context={effective} />, {stdin: new KeyStdin(process.stdin) as unknown as NodeJS.ReadStream, exitOnCtrlC: false, patchConsole: true, stdout: withCopyOverlay(maskedWritable(process.stdout)), stderr: maskedWritable(process.stderr)});
  try {
    await instance.waitUntilExit();
  } catch (error) {
    // Ink could not draw (the terminal is gone) or a screen crashed: logging goes off before we leave.
    if (isTerminalLoss(error)) silenceOutput();
    await runShutdownHandlers(isTerminalLoss(error) ? 'terminal closed' : 'crashed');
    if (!isTerminalLoss(error)) throw error;
    return 129;
  } finally {
    instance.cleanup();
    restoreTerminal();
  }
  return sessionOutcome().interrupted ? ExitCode.interrupted : ExitCode.ok;
}
