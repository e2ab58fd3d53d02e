// The key sequences against the built console in tmux (bursts as single writes): frames that fit
// at 80x24 and 60x20, the line printed after exit, and the exit code of an interrupted run.
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {consoleCommand, TmuxSession} from '../harness/tmux.js';
import {ensureBuilt} from '../harness/build.js';

const sessions: TmuxSession[] = [];
const dirs: string[] = [];
function start(size: {columns: number; rows: number} = {columns: 80, rows: 24}): TmuxSession {
  const stateDir = mkdtempSync(join(tmpdir(), 'nsp-e2e-ux-'));
  dirs.push(stateDir);
  const session = new TmuxSession(consoleCommand(['--state-dir', stateDir]), {...size, env: {NSP_ROOT: ''}, waitTimeoutMs: 20_000});
  sessions.push(session);
  return session;
}

beforeAll(() => ensureBuilt());
afterEach(() => {
  for (const session of sessions.splice(0)) session.kill();
  for (const dir of dirs.splice(0)) rmSync(dir, {recursive: true, force: true, maxRetries: 10, retryDelay: 200});
});

/** The header on top, the footer (its keys) within rows - 1, every line at most columns - 1 wide. */
function expectFrameFits(screen: string, size: {columns: number; rows: number}): void {
  const lines = screen.replace(/\n+$/, '').split('\n');
  expect(lines[0], screen).toMatch(/^nsp-console {2}/);
  expect(lines[1], screen).toMatch(/^Host /);
  expect(lines.length, screen).toBeLessThanOrEqual(size.rows - 1);
  expect(lines.at(-1), screen).toMatch(/Esc /);
  for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(size.columns - 1);
}

describe('the console as an admin uses it, in tmux', () => {
  it.each([
    {columns: 80, rows: 24},
    {columns: 60, rows: 20},
  ])('key-server lookup with an invalid address that wraps keeps the title, the rows and the footer ($columns x $rows)', async size => {
    const session = start(size);
    await session.waitFor('What do you want to do?');
    session.sendBurst('2\rthis is not an address but a sentence that goes on and on past the end of the line\r');
    // The rows make room for the wrapped error: they page, and the key line stays.
    const screen = await session.waitFor(screen => screen.includes('contains a space') && screen.includes('Enter search  Esc cancel'));
    expectFrameFits(screen, size);
    expect(screen).toMatch(/Find S\/MIME certificates in \d+ directories/);
  });

  it('q on the main menu: one line says nothing was changed, exit 0', async () => {
    const session = start();
    await session.waitFor('What do you want to do?');
    session.sendBurst('q');
    const screen = await session.waitFor('[exit 0]');
    expect(screen).toContain('nsp-console: closed; nothing was changed or left running.');
  });

  it('Ctrl-C during the countdown turns logging off, says so in one line and exits 130', async () => {
    const session = start();
    await session.waitFor('What do you want to do?');
    session.sendBurst('1\r');
    await session.waitFor('Step 1/8');
    session.sendBurst('\r');
    await session.waitFor('Step 2/8');
    expect(session.capture()).toContain('Wait after reproducing: 5 min');
    session.sendBurst('\r');
    await session.waitFor('Step 4/8');
    session.sendBurst('\r');
    await session.waitFor('Reproduce the problem now');
    session.sendBurst('\r');
    const countdown = await session.waitFor('Step 6/8');
    expect(countdown).toMatch(/Logging is ON since \d\d:\d\d:\d\d \S+; it is turned off at \d\d:\d\d:\d\d \S+\./);
    session.sendKeys('C-c');
    const after = await session.waitFor('[exit 130]');
    // One line (tmux wraps it at 80 columns for display).
    expect(after.replace(/\n/g, '')).toContain('nsp-console: Troubleshooting logs interrupted: logging turned off for Demo gateway; no ZIP[exit 130]');
  });
});
