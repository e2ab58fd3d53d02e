import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {consoleCommand, TmuxSession} from '../harness/tmux.js';
import {ensureBuilt} from '../harness/build.js';

// The key boundary of the built console, as an admin's terminal feeds it: bursts in one write,
// pastes marked by the terminal, keys that are not Esc.
const sessions: TmuxSession[] = [];
const dirs: string[] = [];
function start(): TmuxSession {
  const stateDir = mkdtempSync(join(tmpdir(), 'nsp-keys-'));
  dirs.push(stateDir);
  const session = new TmuxSession(consoleCommand(['--state-dir', stateDir]));
  sessions.push(session);
  return session;
}
function paste(session: TmuxSession, text: string): void {
  session.tmux('set-buffer', '-b', 'keys-test', text);
  // -p: bracketed, as a terminal does when the program asked for it.
  session.tmux('paste-buffer', '-p', '-b', 'keys-test', '-t', session.name);
}

beforeAll(() => ensureBuilt());
afterEach(() => {
  for (const session of sessions.splice(0)) session.kill();
  for (const dir of dirs.splice(0)) rmSync(dir, {recursive: true, force: true});
});

describe('keys at the boundary of the built console (tmux, 80x24)', () => {
  it('applies "4 Enter Down Enter hello" sent as one write: bundle, description editor, text', async () => {
    const session = start();
    await session.waitFor('What do you want to do?');
    session.sendBurst('4\r\u001B[B\rhello');
    const screen = await session.waitFor('| hello');
    expect(screen).toContain('Describe the problem');
  });

  it('applies "2 Enter address Enter" as one write: the text lands in the field and Enter checks it', async () => {
    const session = start();
    await session.waitFor('What do you want to do?');
    session.sendBurst('2\raddress\r');
    const screen = await session.waitFor(s => s.includes('Address: address') && /mail address|e-mail|@/i.test(s.split('Address: address')[1] ?? ''));
    expect(screen).not.toContain('What do you want to do?');
  });

  it('takes a pasted "foo<Enter>bar" into the focused field as text, and leaves bracketed paste off on exit', async () => {
    const session = start();
    await session.waitFor('What do you want to do?');
    session.sendBurst('2\r');
    await session.waitFor('Address:');
    paste(session, 'foo\rbar');
    await session.waitFor('Address: foo bar');
    session.sendKeys('C-c');
    await session.waitFor('[exit 0]');
    paste(session, 'echo PASTED-AFTER');
    const screen = await session.waitFor('PASTED-AFTER');
    expect(screen).not.toContain('[200~');
  });

  it('does not take Shift+Tab, F-keys, Ctrl+arrows, Alt+x or unknown sequences for Esc', async () => {
    const session = start();
    await session.waitFor('What do you want to do?');
    session.sendBurst('6\r');
    await session.waitFor('ASCII mode: off');
    session.sendBurst('\u001B[Z\u001BOP\u001B[15~\u001B[1;5C\u001Bx\u001B[25~\u001B[<0;3;4M');
    // A marker key after them: when it has been handled, so have they.
    session.sendKeys('?');
    const screen = await session.waitFor('Keys: Settings');
    expect(screen).not.toContain('What do you want to do?');
    session.sendKeys('x');
    await session.waitFor(s => s.includes('ASCII mode: off') && !s.includes('Keys: Settings'));
    session.sendKeys('Escape');
    await session.waitFor('What do you want to do?');
  });

  it('quits with q from a sub-screen (outside a text field), restoring the terminal', async () => {
    const session = start();
    await session.waitFor('What do you want to do?');
    session.sendBurst('6\r');
    await session.waitFor('ASCII mode: off');
    session.sendKeys('q');
    const screen = await session.waitFor('[exit 0]');
    expect(screen).not.toContain('ASCII mode');
  });
});
