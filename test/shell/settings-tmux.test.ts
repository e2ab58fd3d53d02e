// Settings & about in tmux (bursts as single writes): the log flow's wait is edited, validated, bounded,
// saved into settings.json, and step 2 of the troubleshooting logs uses it.
import {describe, expect, it} from 'vitest';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {consoleCommand, TmuxSession} from '../harness/tmux.js';
import {consoleInTmuxPerTest, expectFrameWithin} from '../harness/console-session.js';

let session: TmuxSession | undefined;
let stateDir: string;

consoleInTmuxPerTest(() => session, () => stateDir);

/** The frame leaves the last row and column free (80x24). */
const expectFits = (screen: string) => expectFrameWithin(screen, 79, 23);

describe('Settings & about', () => {
  it('edits the wait after reproducing: a bad or out-of-bounds value says why in one line, a good one is saved and used', async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'nsp-settings-e2e-'));
    session = new TmuxSession(consoleCommand(['--state-dir', stateDir]), {env: {NSP_ROOT: ''}, waitTimeoutMs: 20_000});
    await session.waitFor('What do you want to do?');
    session.sendBurst('6\r');
    const settings = await session.waitFor('Wait after reproducing: 5 min');
    expect(settings).toContain(`Output folder: ${join(stateDir, 'output')}`.slice(0, 60));
    expectFits(settings);
    session.sendBurst('2\r\u0015soon\r');
    expectFits(await session.waitFor('is not a duration'));
    session.sendBurst('\u00155s\r');
    await session.waitFor('at least 10s');
    session.sendBurst('\u001525h\r');
    await session.waitFor('is too long; at most 24h');
    // Esc leaves the field without saving.
    session.sendKeys('Escape');
    await session.waitFor(/2 Wait after reproducing: 5 min/);
    expect(() => readFileSync(join(stateDir, 'settings.json'), 'utf8')).toThrow();
    session.sendBurst('2\r\u00153m\r');
    expectFits(await session.waitFor('Wait after reproducing: 3 min (saved)'));
    expect(JSON.parse(readFileSync(join(stateDir, 'settings.json'), 'utf8')).logflow).toEqual({wait: '3m'});
    // The troubleshooting logs use it.
    session.sendKeys('Escape');
    await session.waitFor('What do you want to do?');
    session.sendBurst('1\r');
    await session.waitFor('Step 1/8');
    session.sendBurst('\r');
    await session.waitFor('Wait after reproducing: 3 min, then logging goes off');
  });

  it('changes the output folder: a relative path is refused in one line, a full one is created, saved and used for saved commands', async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'nsp-settings-e2e-'));
    const elsewhere = join(stateDir, 'support out');
    session = new TmuxSession(consoleCommand(['--state-dir', stateDir]), {env: {NSP_ROOT: '', PATH: '/nonexistent:/bin'}, waitTimeoutMs: 20_000});
    await session.waitFor('What do you want to do?');
    session.sendBurst('6\r');
    await session.waitFor('Change the output folder');
    session.sendBurst('3\r\u0015relative\\folder\r');
    expectFits(await session.waitFor('Not a full path: relative'));
    session.sendBurst(`\u0015${elsewhere}\r`);
    const saved = await session.waitFor('(saved)');
    expectFits(saved);
    expect(JSON.parse(readFileSync(join(stateDir, 'settings.json'), 'utf8')).output).toBe(elsewhere);
    // A saved az command lands there.
    session.sendKeys('Escape');
    await session.waitFor('What do you want to do?');
    session.sendBurst('5\r');
    await session.waitFor('Knowledge-base recipes');
    session.sendBurst('2\r');
    await session.waitFor('Resource group');
    session.sendBurst('rg\rip\rmail.example.com\r\r');
    await session.waitFor('The command (copy it');
    session.sendKeys('s');
    await session.waitFor('Saved:');
    expect(session.captureJoined().replace(/\n/g, '')).toContain(`Saved: ${join(elsewhere, 'azure-rdns-')}`);
  });
});
