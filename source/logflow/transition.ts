import type {FlowEvent} from './machine.js';
import {flowReducer} from './machine.js';
import {writeJournal, type Journal, type JournalEntry} from './journal.js';
import {runRoleCommand} from './drivers.js';
import type {OffReason} from './machine.js';

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
    await writeJournal(options.stateDir, current);
    options.onChange?.(current);
  };
  await save(applyEvent(current, {type: 'ABORT', reason}, options.now(), options.by));
  for (const role of current.state.roles) {
    if (current.state.phase !== 'turningOff') break;
    if (role.logging !== 'turningOff') continue;
    if (role.driver === 'guided') {
      await save(applyEvent(current, {type: 'ROLE_OFF_PENDING_MANUAL', role: role.name}, options.now(), options.by));
      continue;
    }
    const outcome = await runRoleCommand(role, 'disable', current.state.protocols, current.commandTimeoutMs, line => options.onLine?.(role.name, line));
    await save(
      applyEvent(
        current,
        outcome.ok ? {type: 'ROLE_TURNED_OFF', role: role.name} : {type: 'ROLE_OFF_FAILED', role: role.name, message: outcome.message ?? 'failed'},
        options.now(),
        options.by,
      ),
    );
  }
  return current;
}
