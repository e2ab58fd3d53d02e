import {join} from 'node:path';
import {errorMessage} from '../errors.js';
import {acquireLock, readLock, type HeldLock, type LockRecord} from '../system/lock-file.js';
import {heartbeatStaleMs, isProcessAlive, logflowDir} from './journal.js';

/** <stateDir>/logflow/run.lock: one run per state dir (console, command, or the watchdog turning off). */
export function runLockPath(stateDir: string): string {
  return join(logflowDir(stateDir), 'run.lock');
}

/** Whoever holds the run lock now (for messages), or undefined. */
export function runLockHolder(stateDir: string): LockRecord | undefined {
  return readLock(runLockPath(stateDir));
}

/** Takes the run lock: one run (console or command) per state dir; a stale lock is recovered. */
export async function takeRunLock(stateDir: string, purpose: string): Promise<{lock: HeldLock; recovered?: LockRecord} | {problem: string; holderPid?: number}> {
  try {
    const result = await acquireLock(runLockPath(stateDir), {purpose, staleMs: heartbeatStaleMs}, isProcessAlive);
    if (result.ok) return {lock: result.lock, recovered: result.recovered};
    return {problem: `Another troubleshooting-log run is in progress: the run lock ${runLockPath(stateDir)} is ${result.reason}.`, holderPid: result.holder?.pid};
  } catch (error) {
    return {problem: `The run lock cannot be taken in ${logflowDir(stateDir)}: ${errorMessage(error)}`};
  }
}
