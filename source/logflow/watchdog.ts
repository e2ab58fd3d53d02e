import {existsSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {isSea} from 'node:sea';
import {fileURLToPath} from 'node:url';
import {watchdogArgument} from '../exe/internal-args.js';
import {spawnDetached} from '../system/spawn-detached.js';
import {isOwnerAlive, logflowDir, readJournal, type Journal} from './journal.js';
import {isEnded, isLoggingMaybeOn, onPhases} from './machine.js';
import {turnOffEverything} from './transition.js';

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

/** Polls the journal until the run ends or the watchdog has turned logging off. */
export async function runWatchdog(stateDir: string, runId: string, log: (line: string) => void, pollMs = 1_000): Promise<number> {
  log(`watchdog for run ${runId} started (pid ${process.pid})`);
  for (;;) {
    let journal: Journal | undefined;
    try {
      journal = await readJournal(stateDir);
    } catch (error) {
      log(`cannot read the journal: ${(error as Error).message}`);
      await new Promise(resolve => setTimeout(resolve, pollMs));
      continue;
    }
    const decision = watchdogDecision(journal, runId, Date.now(), journal ? isOwnerAlive(stateDir, journal) : false);
    if (decision.action === 'exit') {
      log(`exiting: ${decision.why}`);
      return 0;
    }
    if (decision.action === 'turnOff') {
      log(`turning logging off: ${decision.why}`);
      const after = await turnOffEverything(journal!, 'watchdog', {stateDir, now: Date.now, by: 'watchdog', onLine: (role, line) => log(`${role}: ${line}`)});
      for (const role of after.state.roles) log(`${role.name}: ${role.logging}${role.problem ? ` (${role.problem})` : ''}`);
      log(`done: the journal says ${after.state.phase}`);
      return after.state.roles.some(role => role.logging === 'offFailed') ? 3 : 0;
    }
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
