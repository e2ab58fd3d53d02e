import {chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {collectDelayVariable, outputDir, zipPathFor} from '../../source/logflow/collect.js';
import {journalPath, readJournal, writeJournal, type Journal} from '../../source/logflow/journal.js';
import {runLockHolder} from '../../source/logflow/run-lock.js';
import {readWatchdogRecord, watchdogLogPath} from '../../source/logflow/watchdog.js';
import {ensureBuilt} from '../harness/build.js';
import {
  fillDisk,
  journalWhen,
  makeFaultWorkspace,
  marks,
  mountSmallDisk,
  processAlive,
  scriptSaysOff,
  startRun,
  startRunInPty,
  status,
  unmount,
  until,
  type ConsoleUnderTest,
  type FaultWorkspace,
  type RoleScripts,
} from '../harness/logflow-faults.js';

/**
 * The fault matrix: each row is one phase x one fault. A row either ends with the role's script having
 * written "off" last within `boundMs` of the fault, or is refused before anything was switched on
 * (no "on" at all, exit 3). Afterwards `logflow status --json` must tell the truth. A new fault or
 * phase is one more row.
 */
type Phase = 'before' | 'turningOn' | 'reproducing' | 'countingDown' | 'turningOff' | 'collecting';

interface Context {
  ws: FaultWorkspace;
  run: ConsoleUnderTest;
  journal: Journal;
}

interface Row {
  phase: Phase;
  fault: string;
  scripts?: RoleScripts;
  logflow?: Record<string, string>;
  /** Prepares the workspace before the run starts (phase "before"). */
  prepare?: (ws: FaultWorkspace) => void | Promise<void>;
  /** Runs the run as another user. */
  user?: string;
  /** Runs the console on a real pty (tmux) instead of pipes, so its terminal can be closed. */
  pty?: true;
  /** Without --yes the run waits for Enter at "reproduce the problem now" (needs the pty). */
  yes?: false;
  /** Extra environment of the console (the collecting rows' test hook). */
  env?: Record<string, string>;
  /** The journal's `interrupted.reason` afterwards (null: none recorded). */
  interrupted?: RegExp | null;
  /** Whether the watchdog turned logging off (checked when given). */
  watchdogActs?: boolean;
  inject?: (context: Context) => void | Promise<void>;
  expect: 'off' | 'refused';
  /** From the fault to "off" (or to the refusal's exit). */
  boundMs: number;
  /** What status --json must say afterwards (default: loggingOn false). */
  loggingOnAfter?: boolean;
  exitCode?: number;
  /** A refusal's one line must say this (so it refuses for the fault, not for something else). */
  says?: RegExp;
  /** Some rows need the machine's privileges (mount, runuser). */
  skip?: () => string | undefined;
}

const signal = (name: NodeJS.Signals) => ({run}: Context) => run.signal(name);
/** What a dropped SSH/RDP session does: the pty closes under the console. */
const closeTerminal = ({run}: Context) => run.closeTerminal!();
const slowEnable = 'echo on >> "$1"; sleep 1';
/** A long-lived child holding the script's output; its pid is noted so the test can check it was stopped. */
const leaveChild = 'sleep 1000 & echo $! >> "$1.pids"';
/**
 * Collecting: logging is off and the ZIP is being written. Six new log files, each copy slowed by the
 * collector's test hook (1 s per file), so a fault lands while the temporary ZIP is being written.
 */
const collecting = {
  scripts: {enable: 'echo on >> "$1"; for i in 1 2 3 4 5 6; do echo "line $i" > "$(dirname "$1")/logs/gw$i.log"; done'},
  logflow: {wait: '1s'},
  env: {[collectDelayVariable]: '1000'},
  watchdogActs: false,
};
const isRoot = process.getuid?.() === 0;
let canMount = false;
const disks: string[] = [];

const rows: Row[] = [
  {phase: 'countingDown', fault: 'SIGINT', inject: signal('SIGINT'), expect: 'off', boundMs: 5_000, exitCode: 130},
  {phase: 'countingDown', fault: 'SIGTERM', inject: signal('SIGTERM'), expect: 'off', boundMs: 5_000, exitCode: 143},
  {phase: 'countingDown', fault: 'SIGHUP', inject: signal('SIGHUP'), expect: 'off', boundMs: 5_000, exitCode: 129},
  {phase: 'turningOn', fault: 'SIGTERM', scripts: {enable: slowEnable}, inject: signal('SIGTERM'), expect: 'off', boundMs: 6_000, exitCode: 143},
  {phase: 'turningOn', fault: 'SIGHUP', scripts: {enable: slowEnable}, inject: signal('SIGHUP'), expect: 'off', boundMs: 6_000, exitCode: 129},
  {phase: 'turningOff', fault: 'SIGTERM', scripts: {disable: 'sleep 1; echo off >> "$1"'}, logflow: {wait: '1s'}, inject: signal('SIGTERM'), expect: 'off', boundMs: 6_000},
  // Killed outright: the watchdog acts at the deadline (2 s) + grace (1 s).
  {phase: 'countingDown', fault: 'kill -9 console', logflow: {wait: '2s'}, inject: signal('SIGKILL'), expect: 'off', boundMs: 9_000, watchdogActs: true},
  // Before the countdown there is no deadline: the last transition + the wait stands in for it.
  {phase: 'turningOn', fault: 'kill -9 console', scripts: {enable: slowEnable}, logflow: {wait: '2s'}, inject: signal('SIGKILL'), expect: 'off', boundMs: 10_000, watchdogActs: true},
  // A closed terminal (tmux kill-session under the console): the console itself turns logging off, not the watchdog 30 s later.
  {phase: 'turningOn', fault: 'pty closed', pty: true, scripts: {enable: slowEnable}, inject: closeTerminal, expect: 'off', boundMs: 6_000, interrupted: /terminal closed/, watchdogActs: false},
  {phase: 'reproducing', fault: 'pty closed', pty: true, yes: false, inject: closeTerminal, expect: 'off', boundMs: 5_000, interrupted: /terminal closed/, watchdogActs: false},
  {phase: 'countingDown', fault: 'pty closed', pty: true, inject: closeTerminal, expect: 'off', boundMs: 5_000, interrupted: /terminal closed/, watchdogActs: false},
  // Logging is already off while collecting: the fault stops the ZIP (no file under its final name) and nothing switches again.
  {phase: 'collecting', fault: 'SIGTERM', ...collecting, inject: signal('SIGTERM'), expect: 'off', boundMs: 5_000, exitCode: 143, interrupted: /SIGTERM/},
  {phase: 'collecting', fault: 'SIGHUP', ...collecting, inject: signal('SIGHUP'), expect: 'off', boundMs: 5_000, exitCode: 129, interrupted: /terminal closed/},
  {phase: 'collecting', fault: 'SIGINT', ...collecting, inject: signal('SIGINT'), expect: 'off', boundMs: 5_000, exitCode: 130, interrupted: /Ctrl-C/},
  {phase: 'collecting', fault: 'kill -9 console', ...collecting, inject: signal('SIGKILL'), expect: 'off', boundMs: 5_000, interrupted: null},
  {phase: 'collecting', fault: 'pty closed', ...collecting, pty: true, inject: closeTerminal, expect: 'off', boundMs: 5_000, interrupted: /terminal closed/},
  {phase: 'countingDown', fault: 'kill -9 watchdog', logflow: {wait: '2s'}, inject: ({journal}) => void process.kill(journal.watchdogPid!, 'SIGKILL'), expect: 'off', boundMs: 7_000, exitCode: 0},
  {phase: 'turningOn', fault: 'enable hangs', scripts: {enable: `echo on >> "$1"; ${leaveChild}; wait`}, logflow: {commandTimeout: '1s'}, expect: 'off', boundMs: 8_000, exitCode: 3},
  {phase: 'turningOn', fault: 'enable exits non-zero', scripts: {enable: 'echo on >> "$1"; exit 5'}, expect: 'off', boundMs: 6_000, exitCode: 3},
  {phase: 'turningOn', fault: 'enable forks a long-lived child', scripts: {enable: `${leaveChild}; echo on >> "$1"`}, logflow: {wait: '1s'}, expect: 'off', boundMs: 8_000, exitCode: 0},
  // The script wrote "off" but never returned: stopped with its tree; the tool cannot confirm off, so status keeps saying on.
  {phase: 'turningOff', fault: 'disable hangs', scripts: {disable: `echo off >> "$1"; ${leaveChild}; wait`}, logflow: {wait: '1s', commandTimeout: '1s'}, expect: 'off', boundMs: 8_000, loggingOnAfter: true, exitCode: 3},
  {phase: 'turningOff', fault: 'disable exits non-zero', scripts: {disable: 'echo off >> "$1"; exit 4'}, logflow: {wait: '1s'}, expect: 'off', boundMs: 8_000, loggingOnAfter: true, exitCode: 3},
  {phase: 'turningOff', fault: 'disable forks a long-lived child', scripts: {disable: `${leaveChild}; echo off >> "$1"`}, logflow: {wait: '1s'}, expect: 'off', boundMs: 6_000, exitCode: 0},
  {
    phase: 'before',
    fault: 'unwritable state dir',
    // Everyone may enter the workspace, read the settings and write logs; only the state dir is read-only.
    prepare: ws => {
      chmodSync(ws.base, 0o755);
      for (const folder of [ws.root, ws.logs]) chmodSync(folder, 0o777);
      chmodSync(ws.stateDir, 0o555);
    },
    user: 'nobody',
    expect: 'refused',
    says: /state/i,
    boundMs: 15_000,
    skip: () => (isRoot ? undefined : 'needs root to run the console as nobody'),
  },
  {phase: 'before', fault: 'corrupted journal', prepare: ws => (mkdirSync(dirname(journalPath(ws.stateDir)), {recursive: true}), writeFileSync(journalPath(ws.stateDir), '{"version":1,"state":')), expect: 'refused', boundMs: 15_000, loggingOnAfter: undefined},
  {phase: 'countingDown', fault: 'corrupted journal', logflow: {wait: '1s'}, inject: ({ws}) => writeFileSync(journalPath(ws.stateDir), 'garbage'), expect: 'off', boundMs: 6_000, exitCode: 0},
  {
    phase: 'before',
    fault: 'full disk',
    prepare: ws => fillDisk(ws.stateDir),
    expect: 'refused',
    boundMs: 15_000,
    skip: () => (canMount ? undefined : 'no tmpfs here (needs root)'),
  },
  {
    phase: 'countingDown',
    fault: 'full disk',
    logflow: {wait: '1s'},
    inject: ({ws}) => fillDisk(ws.stateDir),
    expect: 'off',
    boundMs: 6_000,
    skip: () => (canMount ? undefined : 'no tmpfs here (needs root)'),
  },
];

/** The run is in the phase (a fault is injected now), or has passed through it (a row whose fault is the command itself). */
const phaseReached = (phase: Exclude<Phase, 'before'>, now: boolean) => (journal: Journal) =>
  now ? journal.state.phase === phase : journal.state.phase === phase || journal.history.some(entry => entry.to === phase);

beforeAll(() => {
  ensureBuilt();
  const probe = isRoot ? mountSmallDisk(mkdtempSync(join(tmpdir(), 'logflow-disk-')), '64k') : undefined;
  if (probe) unmount(probe);
  canMount = probe !== undefined;
}, 120_000);

afterAll(() => {
  for (const disk of disks) unmount(disk);
});

describe('fault matrix: logging ends off, or the run refuses before switching on', () => {
  it.concurrent.each(rows.map(row => [`${row.phase} x ${row.fault}`, row] as const))('%s', async (_name, row) => {
    const why = row.skip?.();
    if (why) return void console.warn(`skipped: ${why}`);
    // A full disk: the state dir on a small tmpfs of its own (the role's marks stay elsewhere).
    const disk = row.fault === 'full disk' ? mountSmallDisk(mkdtempSync(join(tmpdir(), 'logflow-disk-')), '1m') : undefined;
    if (disk) disks.push(disk);
    const ws = makeFaultWorkspace(row.scripts, row.logflow, disk);
    await row.prepare?.(ws);
    const run = row.pty ? startRunInPty(ws, [], {yes: row.yes, env: row.env}) : startRun(ws, [], {user: row.user, env: row.env});
    if (row.expect === 'refused') {
      const code = await Promise.race([run.exited, new Promise<'late'>(resolve => setTimeout(() => resolve('late'), row.boundMs))]);
      expect(code, run.output()).toBe(3);
      expect(marks(ws), run.output()).toEqual([]);
      const refusal = run.output().trim().split('\n').filter(line => line.startsWith('nsp-console:'));
      expect(refusal).toHaveLength(1);
      if (row.says) expect(refusal[0]).toMatch(row.says);
      return;
    }
    let faultAt = Date.now();
    let runId: string | undefined;
    if (row.phase !== 'before') {
      const journal = await journalWhen(ws, phaseReached(row.phase, row.inject !== undefined), 30_000);
      runId = journal.state.runId;
      // Turning on: strike while the enable command runs (it has written "on"); a fault just before it
      // starts is refused before anything is switched, which is a different row.
      if (row.phase === 'turningOn' && row.inject) await until(() => marks(ws).includes('on'), 10_000, 'the enable command is running');
      // Collecting: strike while the temporary ZIP is being written.
      if (row.phase === 'collecting') await until(() => partialZips(ws, journal.state.runId).length > 0, 10_000, 'the temporary ZIP is being written');
      faultAt = Date.now();
      await row.inject?.({ws, run, journal});
    }
    await until(() => marks(ws).at(-1) === 'off', row.boundMs, `"off" after the fault (${row.phase} x ${row.fault})`).catch(async error => {
      // What the console and its journal were doing when the bound passed.
      const journal = await readJournal(ws.stateDir).catch(() => undefined);
      const exit = await Promise.race([run.exited, Promise.resolve('still running')]);
      throw new Error(`${(error as Error).message}; marks [${marks(ws).join(',')}]; console: ${exit}; journal: ${journal?.state.phase} ${JSON.stringify(journal?.state.roles.map(role => role.logging))} history ${JSON.stringify(journal?.history.map(entry => `${entry.at.slice(17)} ${entry.to} by ${entry.by}`))}; output:\n${run.output()}`);
    });
    expect(Date.now() - faultAt).toBeLessThanOrEqual(row.boundMs);
    const code = await Promise.race([run.exited, new Promise<'late'>(resolve => setTimeout(() => resolve('late'), 15_000))]);
    if (row.exitCode !== undefined) expect(code, run.output()).toBe(row.exitCode);
    // No process is left: the console has ended, and so has its watchdog once logging is off.
    expect(code, `the console (pid ${run.pid}) is still running:\n${run.output()}`).not.toBe('late');
    const journal = await readJournal(ws.stateDir).catch(() => undefined);
    if (journal?.watchdogPid && !row.loggingOnAfter) await until(() => !processAlive(journal.watchdogPid!), 10_000, `the watchdog (pid ${journal.watchdogPid}) ended`);
    if (row.interrupted !== undefined) expect(journal?.interrupted?.reason ?? null, JSON.stringify(journal?.interrupted)).toEqual(row.interrupted === null ? null : expect.stringMatching(row.interrupted));
    if (row.watchdogActs !== undefined && runId) {
      const record = await readWatchdogRecord(ws.stateDir, runId);
      expect(record?.acted !== undefined, `${JSON.stringify(record)}\n${readWatchdogLog(ws, runId)}`).toBe(row.watchdogActs);
    }
    if (row.phase === 'collecting' && runId) {
      // Logging was off before the fault: switched once each way, and the journal still says so.
      expect(marks(ws)).toEqual(['on', 'off']);
      expect(journal?.state.phase).toBe('collecting');
      expect(journal?.state.roles.map(role => role.logging)).toEqual(['off']);
      // The watchdog found it off and left on its own.
      expect(readWatchdogLog(ws, runId)).toMatch(/exiting: logging is off/);
      // Never a half-written ZIP under the final name; a console that lived to clean up left no temporary one either.
      expect(existsSync(zipPathFor(ws.stateDir, runId))).toBe(false);
      if (row.fault !== 'kill -9 console') expect(partialZips(ws, runId)).toEqual([]);
    }
    // Whoever turned it off (console, signal handler, watchdog) has written the journal by now.
    const afterwards = await statusWhen(ws, value => value.loggingOn === (row.loggingOnAfter ?? false), 15_000);
    expect(afterwards.loggingOn, JSON.stringify(afterwards)).toBe(row.loggingOnAfter ?? false);
    // Nothing the commands started is left behind (their process groups are stopped).
    const children = childPids(ws);
    if (row.scripts && Object.values(row.scripts).some(script => script.includes(leaveChild))) expect(children.length).toBeGreaterThan(0);
    await until(() => children.every(pid => !processAlive(pid)), 5_000, `the commands' children ${children.join(', ')} were stopped`);
  }, 90_000);
});

/** Temporary ZIPs of the run in the output folder (".logflow-<run>.zip.<random>.partial"). */
function partialZips(ws: FaultWorkspace, runId: string): string[] {
  const prefix = `.logflow-${runId}.zip.`;
  try {
    return readdirSync(outputDir(ws.stateDir)).filter(name => name.startsWith(prefix) && name.endsWith('.partial'));
  } catch {
    return [];
  }
}

function readWatchdogLog(ws: FaultWorkspace, runId: string): string {
  try {
    return readFileSync(watchdogLogPath(ws.stateDir, runId), 'utf8');
  } catch {
    return '';
  }
}

function childPids(ws: FaultWorkspace): number[] {
  try {
    return readFileSync(`${ws.marks}.pids`, 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

async function statusWhen(ws: FaultWorkspace, accept: (value: {loggingOn: boolean; state: string}) => boolean, timeoutMs: number) {
  const started = Date.now();
  for (;;) {
    const value = await status(ws).catch(() => undefined);
    if (value && accept(value)) return value;
    if (Date.now() - started > timeoutMs) return value ?? {loggingOn: true, state: 'unreadable'};
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}

describe('a second run', () => {
  it('20 pairs started at the same moment: exactly one enable per pair; the other is refused naming the pid', async () => {
    // The wait keeps the winner holding the lock long enough that a slow start of its twin (40 consoles
    // on a loaded machine) still overlaps it: the pair really runs at the same time.
    const pairs = Array.from({length: 20}, () => makeFaultWorkspace({}, {wait: '8s'}));
    const outcomes = await Promise.all(
      pairs.map(async ws => {
        const runs = [startRun(ws), startRun(ws)];
        const codes = await Promise.all(runs.map(run => run.exited));
        return {ws, codes, outputs: runs.map(run => run.output())};
      }),
    );
    for (const {ws, codes, outputs} of outcomes) {
      expect(marks(ws).filter(mark => mark === "on"), `${codes.join(",")}\n${outputs.join("\n---\n")}`).toHaveLength(1);
      expect(scriptSaysOff(ws)).toBe(true);
      expect([...codes].sort(), outputs.join('\n---\n')).toEqual([0, 3]);
      const refused = outputs[codes.indexOf(3)]!;
      expect(refused).toMatch(/in progress|already running/);
      expect(refused).toMatch(/process \d+/);
    }
  }, 120_000);

  it('a stale run lock (dead pid) is recovered, not ignored', async () => {
    const ws = makeFaultWorkspace({}, {wait: '1s'});
    const first = startRun(ws, ['--wait', '3s']);
    await journalWhen(ws, journal => journal.state.phase === 'countingDown', 30_000);
    first.child.kill('SIGKILL');
    await first.exited;
    // The watchdog turns the dead run off at deadline + grace; the lock it left names a dead pid.
    await until(() => scriptSaysOff(ws), 40_000, 'the watchdog turned the killed run off');
    const second = startRun(ws);
    expect(await second.exited, second.output()).toBe(0);
    expect(marks(ws)).toEqual(['on', 'off', 'on', 'off']);
    expect(second.output()).toContain('interrupted');
  }, 90_000);

  it("the watchdog holds the run lock while it turns off, and never overwrites a newer run's journal", async () => {
    const ws = makeFaultWorkspace({disable: 'sleep 2; echo off >> "$1"'}, {wait: '1s', commandTimeout: '10s'});
    const first = startRun(ws);
    const counting = await journalWhen(ws, journal => journal.state.phase === 'countingDown', 30_000);
    first.child.kill('SIGKILL');
    await first.exited;
    // At deadline + grace the watchdog takes over the dead console's (stale) lock, then starts the slow disable.
    await until(() => runLockHolder(ws.stateDir)?.pid === counting.watchdogPid, 20_000, 'the watchdog holds the run lock');
    // Meanwhile another run's journal appears: the watchdog's "off" must not replace it. It appears once
    // the watchdog's own first write (turning off) is on disk, while its slow disable runs: a journal
    // written by the test in the same instant as that first write would be a race of the test, not a
    // run (a real newer run cannot write the journal while the watchdog holds the lock).
    await journalWhen(ws, journal => journal.state.phase === 'turningOff' && journal.history.at(-1)?.by === 'watchdog', 10_000);
    await writeJournal(ws.stateDir, {...counting, state: {...counting.state, runId: 'a-newer-run'}});
    await until(() => scriptSaysOff(ws), 15_000, 'the watchdog turned logging off');
    await until(() => !processAlive(counting.watchdogPid!), 15_000, 'the watchdog ended');
    expect((await readJournal(ws.stateDir))!.state.runId).toBe('a-newer-run');
    expect(runLockHolder(ws.stateDir)).toBeUndefined();
    expect(readFileSync(watchdogLogPath(ws.stateDir, counting.state.runId), 'utf8')).toContain('now belongs to run a-newer-run');
  }, 60_000);

  it('the watchdog acknowledges before anything is switched on and records what it did', async () => {
    const ws = makeFaultWorkspace({}, {wait: '2s'});
    const run = startRun(ws);
    const journal = await journalWhen(ws, current => current.state.phase === 'turningOn' || current.state.phase === 'verifyingOn', 30_000);
    const record = await readWatchdogRecord(ws.stateDir, journal.state.runId);
    expect(record?.pid).toBe(journal.watchdogPid);
    expect(Date.parse(record!.startedAt)).toBeLessThanOrEqual(Date.parse(journal.state.startedAt!));
    run.child.kill('SIGKILL');
    await until(() => scriptSaysOff(ws), 15_000, 'the watchdog turned logging off');
    await until(() => !processAlive(journal.watchdogPid!), 10_000, 'the watchdog ended');
    const done = await readWatchdogRecord(ws.stateDir, journal.state.runId);
    expect(done?.acted).toMatchObject({result: 'logging off'});
    const told = await status(ws);
    expect(told.loggingOn).toBe(false);
  }, 60_000);
});
