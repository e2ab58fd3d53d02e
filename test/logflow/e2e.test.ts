import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync, writeFileSync, mkdirSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {readJournal, type Journal} from '../../source/logflow/journal.js';
import {listLogflowRuns} from '../../source/logflow/runs.js';
import {makeWorkspace, processAlive, simRunning} from './helpers.js';
import {readWithYauzl} from '../helpers/zip.js';
import {ensureBuilt} from '../harness/build.js';
import {consoleCommand, launcher as bin, TmuxSession} from '../harness/tmux.js';

const consoles: TmuxSession[] = [];

beforeAll(() => {
  // The built binary is what the admin runs: test that, watchdog entry point included. Rebuild only
  // when stale, so other end-to-end tests running in parallel keep their dist/.
  ensureBuilt();
  if (!existsSync(resolve('dist/watchdog.js'))) execFileSync(process.execPath, ['scripts/build.mjs'], {stdio: 'inherit'});
  expect(existsSync(resolve('dist/watchdog.js'))).toBe(true);
}, 120_000);

afterEach(() => {
  for (const tmux of consoles.splice(0)) tmux.kill();
});

function openConsole(stateDir: string, root: string): TmuxSession {
  const tmux = new TmuxSession(consoleCommand(['--state-dir', stateDir, '--root', root, '--ascii']), {execInPane: true, waitTimeoutMs: 20_000});
  consoles.push(tmux);
  return tmux;
}

async function journalWhen(stateDir: string, accept: (journal: Journal) => boolean, timeoutMs: number): Promise<Journal> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const journal = await readJournal(stateDir);
    if (journal && accept(journal)) return journal;
    if (Date.now() > until) throw new Error(`journal not as expected within ${timeoutMs} ms: ${JSON.stringify(journal?.state.phase)} ${JSON.stringify(journal?.state.roles)}`);
    await new Promise(r => setTimeout(r, 100));
  }
}

/** Main menu -> Troubleshooting logs -> steps 1-5, ending in the countdown. */
async function startFlow(tmux: TmuxSession): Promise<void> {
  await tmux.waitFor('What do you want to do?');
  tmux.sendKeys('Enter');
  await tmux.waitFor('Step 1/8');
  tmux.sendKeys('Enter');
  await tmux.waitFor('Step 2/8');
  tmux.sendKeys('Enter');
  await tmux.waitFor('Step 4/8');
  await tmux.waitFor(/since on/);
  tmux.sendKeys('Enter');
  await tmux.waitFor('Reproduce the problem now');
  tmux.sendKeys('Enter');
  await tmux.waitFor('Step 6/8');
}

describe('end to end in tmux with the built console', () => {
  it('a full run writes a ZIP with exactly the window', async () => {
    const ws = makeWorkspace({logflow: {wait: '3s', verifyOff: '1s'}});
    mkdirSync(ws.logs, {recursive: true});
    const before = 'written before the window\n'.repeat(50);
    writeFileSync(join(ws.logs, 'gateway.log'), before);
    writeFileSync(join(ws.logs, 'old-and-quiet.log'), 'stays out of the ZIP\n');
    const tmux = openConsole(ws.stateDir, ws.root);
    await startFlow(tmux);
    const done = await tmux.waitFor('Done. Logging is off', 30_000);
    // The body (below the shell's 4 header lines) is ASCII-only in --ascii mode.
    expect(done.split('\n').slice(4).join('\n')).toMatch(/^[\x00-\x7f]*$/);
    expect(simRunning(ws.pidFile)).toBe(false);
    await journalWhen(ws.stateDir, journal => journal.state.phase === 'finished', 5_000);
    const runs = await listLogflowRuns(ws.stateDir);
    expect(runs).toHaveLength(1);
    const zip = await readWithYauzl(runs[0]!.zipPath);
    const now = readFileSync(join(ws.logs, 'gateway.log'));
    expect([...zip.keys()].sort()).toEqual(['Gateway_1/gateway.excerpt.log', 'manifest.json']);
    expect(zip.get('Gateway_1/gateway.excerpt.log')!.equals(now.subarray(before.length))).toBe(true);
    expect(now.subarray(before.length).length).toBeGreaterThan(0);
    const listing = execFileSync('unzip', ['-l', runs[0]!.zipPath], {encoding: 'utf8'});
    expect(listing).toContain('Gateway_1/gateway.excerpt.log');
    tmux.sendKeys('Enter');
    await tmux.waitFor('What do you want to do?');
  });

  it('after the ZIP, y deletes the log file the run created and nothing older', async () => {
    const ws = makeWorkspace({logflow: {wait: '3s', verifyOff: '1s'}});
    mkdirSync(ws.logs, {recursive: true});
    writeFileSync(join(ws.logs, 'old.log'), 'written before the run\n');
    const tmux = openConsole(ws.stateDir, ws.root);
    await startFlow(tmux);
    const offer = await tmux.waitFor(screen => screen.includes('y delete them  any other key keeps them') && screen.includes('Files that existed before the run are never deleted.'), 30_000);
    expect(offer).toMatch(/Delete the 1 log file this run created \(\d+(\.\d)? (B|KB)\)\?/);
    expect(offer).toContain('Gateway 1: 1 log file, ');
    expect(existsSync(join(ws.logs, 'gateway.log'))).toBe(true);
    tmux.sendKeys('y');
    await tmux.waitFor(screen => screen.includes('Deleted 1 log file.') && screen.includes('Enter/Esc back'));
    expect(existsSync(join(ws.logs, 'gateway.log'))).toBe(false);
    expect(readFileSync(join(ws.logs, 'old.log'), 'utf8')).toBe('written before the run\n');
    const runs = await listLogflowRuns(ws.stateDir);
    expect((await readWithYauzl(runs[0]!.zipPath)).get('Gateway_1/gateway.log')!.length).toBeGreaterThan(0);
    tmux.sendKeys('Enter');
    await tmux.waitFor('What do you want to do?');
  });

  it('SIGHUP during the countdown turns logging off within 5 s', async () => {
    const ws = makeWorkspace({logflow: {wait: '5m'}});
    const tmux = openConsole(ws.stateDir, ws.root);
    await startFlow(tmux);
    expect(simRunning(ws.pidFile)).toBe(true);
    const pid = tmux.panePid();
    process.kill(pid, 'SIGHUP');
    const journal = await journalWhen(ws.stateDir, current => current.state.roles.every(role => role.logging === 'off'), 5_000);
    expect(journal.state.phase).toBe('stopped');
    expect(journal.state.offReason).toBe('signal');
    expect(simRunning(ws.pidFile)).toBe(false);
  });

  it('a dropped terminal (tmux kill-session) at the countdown: logging is off within 5 s, 10 of 10', async () => {
    const outcomes: string[] = [];
    // Two consoles at a time (each on its own workspace and tmux server) to keep the test short.
    const dropOne = async (attempt: number) => {
      const ws = makeWorkspace({logflow: {wait: '5m', watchdogGrace: '60s'}});
      const tmux = openConsole(ws.stateDir, ws.root);
      await startFlow(tmux);
      const counting = await journalWhen(ws.stateDir, current => current.state.phase === 'countingDown', 5_000);
      expect(simRunning(ws.pidFile)).toBe(true);
      // What a dropped SSH/RDP session does: the pty closes under the console (SIGHUP, then EIO).
      const droppedAt = Date.now();
      tmux.tmux('kill-session', '-t', tmux.name);
      // Not the watchdog: its deadline is 5 minutes away; the console itself must turn logging off.
      const journal = await journalWhen(ws.stateDir, current => current.state.roles.every(role => role.logging === 'off'), 5_000);
      outcomes.push(`${attempt}: off after ${Date.now() - droppedAt} ms`);
      expect(simRunning(ws.pidFile), outcomes.join('; ')).toBe(false);
      expect(journal.history.at(-1)!.by, outcomes.join('; ')).not.toBe('watchdog');
      expect(journal.interrupted?.reason, outcomes.join('; ')).toBe('terminal closed');
      // The console is gone afterwards (no process left holding the run) and so is its watchdog.
      for (let tries = 0; tries < 50 && processAlive(journal.ownerPid); tries++) await new Promise(r => setTimeout(r, 100));
      expect(processAlive(journal.ownerPid)).toBe(false);
      for (let tries = 0; tries < 50 && processAlive(counting.watchdogPid!); tries++) await new Promise(r => setTimeout(r, 100));
      expect(processAlive(counting.watchdogPid!)).toBe(false);
      tmux.kill();
    };
    for (let attempt = 1; attempt <= 10; attempt += 2) await Promise.all([dropOne(attempt), dropOne(attempt + 1)]);
    expect(outcomes).toHaveLength(10);
    console.info(`dropped terminal: ${outcomes.join('; ')}`);
  }, 240_000);

  it('kill -9 during the countdown: the watchdog turns logging off within deadline + 60 s', async () => {
    const ws = makeWorkspace({logflow: {wait: '3s', watchdogGrace: '5s'}});
    const tmux = openConsole(ws.stateDir, ws.root);
    await startFlow(tmux);
    // The screen may show the countdown a moment before its journal write lands.
    const counting = await journalWhen(ws.stateDir, current => current.state.phase === 'countingDown', 5_000);
    expect(counting.watchdogPid).toBeGreaterThan(0);
    process.kill(tmux.panePid(), 'SIGKILL');
    const deadline = Date.parse(counting.state.deadline!);
    const journal = await journalWhen(ws.stateDir, current => current.state.phase === 'stopped', deadline + 60_000 - Date.now());
    expect(journal.state.offReason).toBe('watchdog');
    expect(journal.history.at(-1)!.by).toBe('watchdog');
    expect(Date.parse(journal.history.at(-1)!.at)).toBeLessThanOrEqual(deadline + 60_000);
    expect(simRunning(ws.pidFile)).toBe(false);
    const log = readFileSync(join(ws.stateDir, 'logflow', `watchdog-${counting.state.runId}.log`), 'utf8');
    expect(log).toContain('turning logging off');
    for (let tries = 0; tries < 50 && processAlive(counting.watchdogPid!); tries++) await new Promise(r => setTimeout(r, 100));
    expect(processAlive(counting.watchdogPid!)).toBe(false);
  }, 90_000);

  it('restart after kill -9 shows the recovery screen; "turn off now" (default) turns it off', async () => {
    const ws = makeWorkspace({logflow: {wait: '5m', watchdogGrace: '60s'}});
    const first = openConsole(ws.stateDir, ws.root);
    await startFlow(first);
    process.kill(first.panePid(), 'SIGKILL');
    first.kill();
    expect(simRunning(ws.pidFile)).toBe(true);
    const second = openConsole(ws.stateDir, ws.root);
    const screen = await second.waitFor('Troubleshooting logging is still ON');
    expect(screen).toContain('Gateway 1');
    expect(screen).toContain('> 1 Turn logging off now');
    expect(screen).toContain('Resume the countdown');
    second.sendKeys('Enter');
    await second.waitFor(/Aborted\. Logging is off/, 30_000);
    expect(simRunning(ws.pidFile)).toBe(false);
    const journal = await journalWhen(ws.stateDir, current => current.state.phase === 'aborted', 5_000);
    expect(journal.state.offReason).toBe('recovery');
    expect(journal.history.some(entry => entry.by === 'recovery')).toBe(true);
    second.sendKeys('Enter');
    await second.waitFor('What do you want to do?');
  });
});

describe('logflow run / stop with the built binary', () => {
  it('stop asks a running "logflow run" to turn logging off; it exits after turning it off', async () => {
    const {spawn} = await import('node:child_process');
    const ws = makeWorkspace({logflow: {wait: '5m'}});
    const child = spawn(process.execPath, [bin, '--state-dir', ws.stateDir, '--root', ws.root, 'logflow', 'run', '--role', 'Gateway 1', '--yes'], {stdio: ['ignore', 'pipe', 'pipe']});
    let out = '';
    child.stdout.on('data', chunk => (out += chunk.toString()));
    const exited = new Promise<number | null>(resolveExit => child.on('exit', code => resolveExit(code)));
    await journalWhen(ws.stateDir, journal => journal.state.phase === 'countingDown', 20_000);
    expect(simRunning(ws.pidFile)).toBe(true);
    const status = JSON.parse(execFileSync(process.execPath, [bin, '--state-dir', ws.stateDir, '--root', ws.root, 'logflow', 'status', '--json'], {encoding: 'utf8'}));
    expect(status).toMatchObject({loggingOn: true, state: 'countingDown', roles: [{name: 'Gateway 1', loggingOn: true}]});
    expect(Date.parse(status.deadline) - Date.parse(status.since)).toBeGreaterThanOrEqual(5 * 60_000);
    const stop = execFileSync(process.execPath, [bin, '--state-dir', ws.stateDir, '--root', ws.root, 'logflow', 'stop'], {encoding: 'utf8'});
    expect(stop).toContain('Asking the running flow');
    expect(stop).toContain('Gateway 1: logging off');
    expect(await exited).toBe(143);
    expect(out).toContain('[6/8]');
    expect(simRunning(ws.pidFile)).toBe(false);
    const journal = (await readJournal(ws.stateDir))!;
    expect(journal.state.phase).toBe('stopped');
    expect(journal.state.offReason).toBe('signal');
  });
});
