import type {FlowEvent} from './machine.js';
import {flowReducer} from './machine.js';
import {readJournal, writeJournal, type Journal, type JournalEntry} from './journal.js';
import {runRoleCommand} from './drivers.js';
import type {OffReason, RunRole} from './machine.js';

/** Applies one event to a journal (state + history line); returns the same object when nothing changed. */
export function applyEvent(journal: Journal, event: FlowEvent, now: number, by: JournalEntry['by'], note?: string): Journal {
  const next = flowReducer(journal.state, event, now);
  if (next === journal.state) return journal;
  return {
    ...journal,
    state: next,
    history: [...journal.history, {at: new Date(now).toISOString(), event: event.type, from: journal.state.phase, to: next.phase, by, ...(note ? {note} : {})}],
  };
}

export interface TurnOffOptions {
  stateDir: string;
  now: () => number;
  by: JournalEntry['by'];
  onLine?: (role: string, line: string) => void;
  /** Called after every saved transition. */
  onChange?: (journal: Journal) => void;
  /** The journal could not be written; turning off goes on regardless. */
  onJournalError?: (error: unknown) => void;
  /**
   * Write the journal only while it still belongs to this run (the watchdog: a new run may have been
   * started meanwhile, and its journal must never be overwritten with this run's "off").
   */
  onlyWhileRunIs?: string;
}

export type ApplyEvent = (event: FlowEvent) => Promise<void>;

/**
 * The one turn-off loop. While the phase is turningOff, every role still turning off gets its disable
 * command (script roles first, one at a time, each bounded with its whole process tree); a guided role
 * is either handed back to the caller to ask the admin (`guided: 'ask'`) or recorded as pending.
 * Returns the guided role waiting for the admin, if any.
 */
export async function turnOffRoles(
  current: () => Journal,
  apply: ApplyEvent,
  options: {guided: 'ask' | 'pending'; onLine?: (role: string, line: string) => void},
): Promise<RunRole | undefined> {
  for (;;) {
    const journal = current();
    if (journal.state.phase !== 'turningOff') return undefined;
    const waiting = journal.state.roles.filter(role => role.logging === 'turningOff');
    const role = waiting.find(candidate => candidate.driver !== 'guided') ?? waiting[0];
    if (!role) return undefined;
    if (role.driver === 'guided') {
      if (options.guided === 'ask') return role;
      await apply({type: 'ROLE_OFF_PENDING_MANUAL', role: role.name});
      continue;
    }
    const outcome = await runRoleCommand(role, 'disable', journal.state.protocols, journal.commandTimeoutMs, line => options.onLine?.(role.name, line));
    const before = current();
    await apply(outcome.ok ? {type: 'ROLE_TURNED_OFF', role: role.name} : {type: 'ROLE_OFF_FAILED', role: role.name, message: outcome.message ?? 'failed'});
    // Nothing changed (e.g. the event was refused): do not run the same command again.
    if (current() === before) return undefined;
  }
}

/** How long turning everything off may take at most: every role's disable, bounded, plus slack. */
export function turnOffLimitMs(journal: Pick<Journal, 'commandTimeoutMs' | 'state'>): number {
  return Math.max(1, journal.state.roles.length) * (journal.commandTimeoutMs + 4_000) + 5_000;
}

/**
 * Turns logging off for every role the journal says may be on, without a screen: script roles through
 * their disable command, guided roles recorded as pending for the admin. Each step is journaled.
 * Used on signals, by the watchdog, by `logflow stop` and on recovery.
 */
export async function turnOffEverything(journal: Journal, reason: Extract<OffReason, 'signal' | 'watchdog' | 'stop' | 'recovery'>, options: TurnOffOptions): Promise<Journal> {
  let current = journal;
  const save = async (next: Journal) => {
    if (next === current) return;
    current = next;
    try {
      if (options.onlyWhileRunIs !== undefined) {
        const onDisk = await readJournal(options.stateDir).catch(() => undefined);
        if (onDisk && onDisk.state.runId !== options.onlyWhileRunIs) throw new Error(`the journal now belongs to run ${onDisk.state.runId}; it was left as it is`);
      }
      await writeJournal(options.stateDir, current);
    } catch (error) {
      // A journal that cannot be written (full disk) must not stop logging from going off.
      options.onJournalError?.(error);
    }
    options.onChange?.(current);
  };
  await save(applyEvent(current, {type: 'ABORT', reason}, options.now(), options.by));
  await turnOffRoles(() => current, event => save(applyEvent(current, event, options.now(), options.by)), {guided: 'pending', onLine: options.onLine});
  return current;
}
