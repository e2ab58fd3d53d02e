import {existsSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import {dirname, join, resolve} from 'node:path';
import {isSea} from 'node:sea';
import {writeFileAtomic} from '../system/atomic-write.js';
import {fileURLToPath} from 'node:url';
import {watchdogArgument} from '../exe/internal-args.js';
import {spawnDetached} from '../system/spawn-detached.js';
import {isOwnerAlive, isProcessAlive, logflowDir, readHeartbeat, readJournal, type Journal} from './journal.js';
import {isEnded, isLoggingMaybeOn, onPhases} from './machine.js';
import {takeRunLock} from './run-lock.js';
import {turnOffEverything, turnOffLimitMs} from './transition.js';

/** What the watchdog should do on one look at the journal. */
export type WatchdogDecision = {action: 'exit'; why: string} | {action: 'wait'; actAt?: number} | {action: 'turnOff'; why: string};

/**
 * The dead-man switch's rule: leave once the run has ended; act at deadline + grace while the journal
 * still says on (and the console is not already turning it off). Without a deadline (the console died
 * before the countdown) the last transition + the wait time stands in for it.
 */
export function watchdogDecision(journal: Journal | undefined, runId: string, now: number, ownerAlive: boolean): WatchdogDecision {
  if (!journal) return {action: 'exit', why: 'no journal'};
  const state = journal.state;
  if (state.runId !== runId) return {action: 'exit', why: `the journal belongs to another run (${state.runId})`};
  // Started before logging goes on (it must acknowledge first): wait while the console prepares.
  if (ownerAlive && (state.phase === 'choosingRoles' || state.phase === 'confirmingSettings')) return {action: 'wait'};
  if (isEnded(state) || !isLoggingMaybeOn(state)) return {action: 'exit', why: `logging is off or the flow ended (last state ${state.phase})`};
  if (ownerAlive && !onPhases.includes(state.phase)) return {action: 'wait'};
  const lastAt = Date.parse(journal.history.at(-1)?.at ?? state.startedAt ?? state.createdAt);
  const deadline = state.deadline ? Date.parse(state.deadline) : ownerAlive ? undefined : lastAt + state.waitMs;
  if (deadline === undefined) return {action: 'wait'};
  const actAt = deadline + journal.watchdogGraceMs;
  if (now >= actAt) return {action: 'turnOff', why: ownerAlive ? 'the deadline passed and the console did not turn logging off' : `the console (pid ${journal.ownerPid}) is gone`};
  return {action: 'wait', actAt};
}

export function watchdogLogPath(stateDir: string, runId: string): string {
  return join(logflowDir(stateDir), `watchdog-${runId}.log`);
}

/** <stateDir>/logflow/watchdog-<runId>.json: the watchdog's acknowledgement, heartbeat and what it did. */
export interface WatchdogRecord {
  pid: number;
  runId: string;
  startedAt: string;
  heartbeatAt: string;
  /** Set once it acted: when, why, and how it ended. */
  acted?: {at: string; why: string; result?: string; endedAt?: string};
}

export function watchdogRecordPath(stateDir: string, runId: string): string {
  return join(logflowDir(stateDir), `watchdog-${runId}.json`);
}

export async function readWatchdogRecord(stateDir: string, runId: string): Promise<WatchdogRecord | undefined> {
  try {
    return JSON.parse(await readFile(watchdogRecordPath(stateDir, runId), 'utf8')) as WatchdogRecord;
  } catch {
    return undefined;
  }
}

export interface WatchdogOptions {
  pollMs?: number;
  /** Gives up on a run that never switched logging on within this long (the console refused it). */
  armTimeoutMs?: number;
}

/** Polls the journal until the run ends or the watchdog has turned logging off. */
export async function runWatchdog(stateDir: string, runId: string, log: (line: string) => void, options: WatchdogOptions = {}): Promise<number> {
  const pollMs = options.pollMs ?? 1_000;
  const startedAt = Date.now();
  let record: WatchdogRecord = {pid: process.pid, runId, startedAt: new Date(startedAt).toISOString(), heartbeatAt: new Date(startedAt).toISOString()};
  const saveRecord = async (change: Partial<WatchdogRecord> = {}) => {
    record = {...record, ...change, heartbeatAt: new Date().toISOString()};
    try {
      await writeFileAtomic(watchdogRecordPath(stateDir, runId), `${JSON.stringify(record)}\n`);
    } catch (error) {
      log(`cannot write ${watchdogRecordPath(stateDir, runId)}: ${(error as Error).message}`);
    }
  };
  // The acknowledgement: the console switches nothing on before it has read this.
  await saveRecord();
  log(`watchdog for run ${runId} started (pid ${process.pid})`);
  for (;;) {
    let journal: Journal | undefined;
    try {
      journal = await readJournal(stateDir);
    } catch (error) {
      log(`cannot read the journal: ${(error as Error).message}`);
      await saveRecord();
      await new Promise(resolve => setTimeout(resolve, pollMs));
      continue;
    }
    // Before logging goes on the owner's pid is enough (its first heartbeat may still be on its way).
    const preparing = journal?.state.phase === 'choosingRoles' || journal?.state.phase === 'confirmingSettings';
    const ownerAlive = journal ? (preparing ? isProcessAlive(journal.ownerPid) : isOwnerAlive(stateDir, journal)) : false;
    if (journal && journal.state.runId === runId && !isLoggingMaybeOn(journal.state) && !isEnded(journal.state) && Date.now() - startedAt > (options.armTimeoutMs ?? 120_000)) {
      log('exiting: the run never switched logging on');
      return 0;
    }
    const decision = watchdogDecision(journal, runId, Date.now(), ownerAlive);
    if (decision.action === 'exit') {
      log(`exiting: ${decision.why}`);
      return 0;
    }
    if (decision.action === 'turnOff') {
      log(`turning logging off: ${decision.why}`);
      await saveRecord({acted: {at: new Date().toISOString(), why: decision.why}});
      // Its own work has a hard deadline too: every disable is bounded, and so is the whole.
      const limitMs = turnOffLimitMs(journal!);
      // A console killed outright leaves no word: its last heartbeat is when it was last seen alive.
      const heartbeat = readHeartbeat(stateDir);
      const lastSeen = !ownerAlive && heartbeat?.pid === journal!.ownerPid ? heartbeat.at : new Date().toISOString();
      const interrupted = journal!.interrupted ?? {at: lastSeen, reason: ownerAlive ? 'the console did not turn logging off at the deadline' : 'the console ended without turning logging off'};
      // While it turns off, no new run may start (its enable could race this disable, its journal be
      // overwritten). A lock held by a live process (the console past its deadline, a recovery) is left
      // to it: turning off goes on regardless, and the journal is written only while it is this run's.
      const lock = await takeRunLock(stateDir, `watchdog of run ${runId} turning logging off`).catch(error => ({problem: (error as Error).message}));
      if ('problem' in lock) log(`turning off without the run lock: ${lock.problem}`);
      const beating = 'lock' in lock ? setInterval(() => lock.lock.beat(), 2_000) : undefined;
      const work = turnOffEverything({...journal!, interrupted}, 'watchdog', {
        stateDir,
        now: Date.now,
        by: 'watchdog',
        onLine: (role, line) => log(`${role}: ${line}`),
        onJournalError: error => log(`cannot write the journal: ${(error as Error).message}`),
        onlyWhileRunIs: runId,
      });
      let limitTimer: NodeJS.Timeout | undefined;
      const after = await Promise.race([work, new Promise<undefined>(resolve => (limitTimer = setTimeout(() => resolve(undefined), limitMs)))]);
      clearTimeout(limitTimer);
      clearInterval(beating);
      if ('lock' in lock) lock.lock.release();
      if (!after) {
        log(`gave up after ${Math.round(limitMs / 1000)} s: turning logging off did not finish`);
        await saveRecord({acted: {...record.acted!, result: 'did not finish in time', endedAt: new Date().toISOString()}});
        return 3;
      }
      for (const role of after.state.roles) log(`${role.name}: ${role.logging}${role.problem ? ` (${role.problem})` : ''}`);
      log(`done: the journal says ${after.state.phase}`);
      const failed = after.state.roles.some(role => role.logging === 'offFailed');
      await saveRecord({acted: {...record.acted!, result: failed ? 'turning off failed for a role' : 'logging off', endedAt: new Date().toISOString()}});
      return failed ? 3 : 0;
    }
    await saveRecord();
    await new Promise(resolve => setTimeout(resolve, pollMs));
  }
}

/** dist/watchdog.js next to the bundle (dist/ or dist/chunks/), or the built one when running from source. */
export function locateWatchdogScript(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'watchdog.js'), join(here, '..', 'watchdog.js'), resolve(here, '..', '..', 'dist', 'watchdog.js')];
  return candidates.find(candidate => existsSync(candidate));
}

/** Starts the detached watchdog for a run; returns its pid (undefined when it could not be started). */
export function startWatchdog(stateDir: string, runId: string): number | undefined {
  const log = watchdogLogPath(stateDir, runId);
  // nsp-console.exe is its own watchdog: nothing else needs to be on disk.
  if (isSea()) return spawnDetached(process.execPath, [watchdogArgument, '--state-dir', stateDir, '--run-id', runId], log);
  const script = locateWatchdogScript();
  if (!script) return undefined;
  return spawnDetached(process.execPath, [script, '--state-dir', stateDir, '--run-id', runId], log);
}
