import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {consoleCommand, TmuxSession} from '../harness/tmux.js';
import {ensureBuilt} from '../harness/build.js';

const sessions: TmuxSession[] = [];
const dirs: string[] = [];
function start(extraArgs: string[] = [], env: Record<string, string> = {}): TmuxSession {
  const stateDir = mkdtempSync(join(tmpdir(), 'nsp-e2e-'));
  dirs.push(stateDir);
  const session = new TmuxSession(`printf 'BEFORE-CONSOLE\\n'; ${consoleCommand(['--state-dir', stateDir, ...extraArgs])}`, {env});
  sessions.push(session);
  return session;
}

beforeAll(() => ensureBuilt());
afterEach(() => {
  for (const session of sessions.splice(0)) session.kill();
  for (const dir of dirs.splice(0)) rmSync(dir, {recursive: true, force: true});
});

const selected = (screen: string) => screen.split('\n').find(line => /^[❯>] /.test(line));

describe('the built console in tmux at 80x24', () => {
  it('draws the menu, navigates, opens an entry, goes back, quits with q and restores the terminal', async () => {
    // CI=true in the environment must not blank the console (Ink only draws a last frame in CI).
    const session = start([], {CI: 'true'});
    let screen = await session.waitFor('What do you want to do?');
    expect(screen).toContain('DEMO');
    expect(screen).not.toContain('BEFORE-CONSOLE'); // alternate screen
    expect(screen.trimEnd().split('\n').length).toBeLessThanOrEqual(24);
    session.sendKeys('Down');
    screen = await session.waitFor(s => selected(s)?.includes('Key-server lookup') ?? false);
    session.sendKeys('j');
    await session.waitFor(s => selected(s)?.includes('CYREN proxy settings') ?? false);
    session.sendKeys('k', 'k');
    await session.waitFor(s => selected(s)?.includes('Troubleshooting logs') ?? false);
    session.sendKeys('6', 'Enter');
    await session.waitFor('ASCII mode: off');
    session.sendKeys('Escape');
    await session.waitFor('What do you want to do?');
    session.sendKeys('?');
    await session.waitFor('Keys: Main menu');
    session.sendKeys('x');
    await session.waitFor(s => !s.includes('Keys: Main menu') && s.includes('What do you want to do?'));
    session.sendKeys('q');
    screen = await session.waitFor('[exit 0]');
    expect(screen).toContain('BEFORE-CONSOLE'); // the previous terminal content is back
    expect(screen).not.toContain('What do you want to do?');
  });

  it('applies a burst of keys sent as one chunk in order, on every screen', async () => {
    const session = start();
    await session.waitFor('What do you want to do?');
    session.sendBurst('jjjjj\r');
    await session.waitFor('ASCII mode: off');
    session.sendBurst('\u001B\u001B[B\u001B[B\u001B[B\u001B[B\r'); // Esc, then four down and Enter: Recipes
    await session.waitFor(s => s.includes('Recipes') && !s.includes('What do you want to do?'));
    session.sendBurst('\u001B\u001B[B\u001B[B\u001B[B\r'); // Esc, then Down x3 and Enter on a fresh menu: Support data bundle
    await session.waitFor(s => /Support data bundle/.test(s.split('\n')[0] ?? ''));
  });

  it('keeps keys typed before the first frame', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'nsp-e2e-'));
    dirs.push(stateDir);
    // The keys are typed while the shell is still starting node: they must not be lost.
    const session = new TmuxSession(`sleep 0.3; ${consoleCommand(['--state-dir', stateDir])}`);
    sessions.push(session);
    session.sendBurst('jjjjj\r');
    await session.waitFor('ASCII mode: off');
  });

  it('adapts to a resize and stays within the window', async () => {
    const session = start();
    await session.waitFor('What do you want to do?');
    session.resize(100, 30);
    await session.waitFor(s => s.split('\n').some(line => line.startsWith('↑↓ j/k move')));
    session.resize(60, 20);
    const screen = await session.waitFor(s => s.includes('What do you want to do?') && s.split('\n').every(line => line.length <= 60));
    expect(screen.trimEnd().split('\n').length).toBeLessThanOrEqual(20);
    session.sendKeys('C-c');
    await session.waitFor('[exit 0]');
  });

  it('draws only ASCII with --ascii', async () => {
    const session = start(['--ascii'], {NSP_ROOT: '/a/very/long/data/root/path/that/is/wider/than/the/terminal/window/of/eighty/columns/Net at Work Mail Gateway'});
    const screen = await session.waitFor('What do you want to do?');
    expect(screen).toContain('...');
    expect(screen).toContain('> 1 Troubleshooting logs');
    expect(screen).not.toMatch(/[^\x00-\x7f]/);
    session.sendKeys('q');
    await session.waitFor('[exit 0]');
  });

  it('draws without colours when NO_COLOR is set', async () => {
    const coloured = start();
    await coloured.waitFor('What do you want to do?');
    expect(coloured.tmux('capture-pane', '-p', '-e', '-t', coloured.name)).toMatch(/\u001B\[[0-9;]*3[0-9]m/);
    const plain = start([], {NO_COLOR: '1'});
    await plain.waitFor('What do you want to do?');
    expect(plain.tmux('capture-pane', '-p', '-e', '-t', plain.name)).not.toMatch(/\u001B\[[0-9;]*3[0-9]m/);
  });

  it('exits on Ctrl-C from a sub-screen and restores the prompt', async () => {
    const session = start();
    await session.waitFor('What do you want to do?');
    session.sendKeys('Enter');
    await session.waitFor(s => !s.includes('What do you want to do?'));
    session.sendKeys('C-c');
    const screen = await session.waitFor('PROMPT$');
    expect(screen).toContain('[exit 0]');
  });
});
