import {mkdir, readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {OperationalError} from '../errors.js';
import {writeFileAtomic} from '../system/atomic-write.js';
import type {FlowEvent, FlowState} from './machine.js';

/** <stateDir>/logflow/journal.json: the flow's last state, rewritten atomically at every transition. */
export interface Journal {
  version: 1;
  /** The process running the flow (to tell a crash from a flow running in another console). */
  ownerPid: number;
  /** The watchdog guarding this run, when one was started. */
  watchdogPid?: number;
  watchdogGraceMs: number;
  commandTimeoutMs: number;
  state: FlowState;
  /** Every transition of this run, oldest first. */
  history: JournalEntry[];
}

export interface JournalEntry {
  at: string;
  event: FlowEvent['type'];
  from: string;
  to: string;
  by: 'console' | 'command' | 'watchdog' | 'signal' | 'recovery';
  note?: string;
}

export function logflowDir(stateDir: string): string {
  return join(stateDir, 'logflow');
}

export function journalPath(stateDir: string): string {
  return join(logflowDir(stateDir), 'journal.json');
}

export async function readJournal(stateDir: string): Promise<Journal | undefined> {
  let text: string;
  try {
    text = await readFile(journalPath(stateDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new OperationalError(`Cannot read the log-flow journal ${journalPath(stateDir)}: ${(error as Error).message}`);
  }
  try {
    const journal = JSON.parse(text) as Journal;
    if (journal?.version !== 1 || typeof journal.state?.phase !== 'string' || !Array.isArray(journal.state.roles)) throw new Error('unexpected structure');
    return journal;
  } catch (error) {
    throw new OperationalError(`The log-flow journal ${journalPath(stateDir)} is damaged (${(error as Error).message}); check the gateway's log settings by hand, then remove the file.`);
  }
}

export async function writeJournal(stateDir: string, journal: Journal): Promise<void> {
  await mkdir(logflowDir(stateDir), {recursive: true});
  // Snapshots can be large; history is what an admin reads, keep it bounded.
  const bounded = journal.history.length > 500 ? {...journal, history: journal.history.slice(-500)} : journal;
  await writeFileAtomic(journalPath(stateDir), `${JSON.stringify(bounded, null, 2)}\n`);
}

export function isProcessAlive(pid: number | undefined): boolean {
  if (!pid || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
