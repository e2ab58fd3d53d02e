import {readFileSync} from 'node:fs';
import {mkdir, readFile, rm} from 'node:fs/promises';
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
  /** Set when the run ended abnormally: when and why (signal, terminal closed, console gone). */
  interrupted?: {at: string; reason: string};
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
  const text = `${JSON.stringify(bounded, null, 2)}\n`;
  try {
    await writeFileAtomic(journalPath(stateDir), text);
  } catch (error) {
    // A full disk: the reserve set aside at the start of the run makes room for the journal's truth.
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC' || !(await rm(reservePath(stateDir)).then(() => true, () => false))) throw error;
    await writeFileAtomic(journalPath(stateDir), text);
  }
}

export function reservePath(stateDir: string): string {
  return join(logflowDir(stateDir), 'reserve.bin');
}

/** Space held back for the journal while logging may be on (released when a write fails with ENOSPC). */
export async function setAsideReserve(stateDir: string, bytes = 128 * 1024): Promise<void> {
  await writeFileAtomic(reservePath(stateDir), new Uint8Array(bytes));
}

export function isProcessAlive(pid: number | undefined): boolean {
  if (!pid || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // A killed process whose parent has not reaped it yet still answers signal 0: it is dead.
  if (process.platform === 'linux') {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
    } catch {
      return false;
    }
  }
  return true;
}

/** <stateDir>/logflow/owner.json: the running flow says it is alive every few seconds. */
export interface Heartbeat {
  pid: number;
  runId: string;
  at: string;
}

export const heartbeatIntervalMs = 3_000;
/** Older than this, the owner counts as gone even if its pid exists (pid reuse after a reboot). */
export const heartbeatStaleMs = 15_000;

export function heartbeatPath(stateDir: string): string {
  return join(logflowDir(stateDir), 'owner.json');
}

export async function writeHeartbeat(stateDir: string, heartbeat: Heartbeat): Promise<void> {
  await mkdir(logflowDir(stateDir), {recursive: true});
  await writeFileAtomic(heartbeatPath(stateDir), `${JSON.stringify(heartbeat)}\n`);
}

export function readHeartbeat(stateDir: string): Heartbeat | undefined {
  try {
    return JSON.parse(readFileSync(heartbeatPath(stateDir), 'utf8')) as Heartbeat;
  } catch {
    return undefined;
  }
}

/** The process that owns the journal's run is alive and still beating (this process always is). */
export function isOwnerAlive(stateDir: string, journal: Journal, now = Date.now()): boolean {
  if (journal.ownerPid === process.pid) return true;
  if (!isProcessAlive(journal.ownerPid)) return false;
  const heartbeat = readHeartbeat(stateDir);
  return !!heartbeat && heartbeat.pid === journal.ownerPid && heartbeat.runId === journal.state.runId && now - Date.parse(heartbeat.at) < heartbeatStaleMs;
}
