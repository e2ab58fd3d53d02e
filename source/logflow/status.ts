import {isOwnerAlive, type Journal} from './journal.js';
import {isEnded, isLoggingMaybeOn, isRoleMaybeOn} from './machine.js';

/** `logflow status --json`: exactly this shape. */
export interface LogflowStatus {
  loggingOn: boolean;
  state: string;
  roles: {name: string; loggingOn: boolean}[];
  since: string | null;
  deadline: string | null;
}

export function statusFromJournal(journal: Journal | undefined): LogflowStatus {
  if (!journal) return {loggingOn: false, state: 'none', roles: [], since: null, deadline: null};
  const state = journal.state;
  const loggingOn = isLoggingMaybeOn(state);
  return {
    loggingOn,
    state: state.phase,
    roles: state.roles.map(role => ({name: role.name, loggingOn: isRoleMaybeOn(role)})),
    since: loggingOn ? (state.startedAt ?? null) : null,
    deadline: loggingOn ? (state.deadline ?? null) : null,
  };
}

/** A flow in progress in a live process (this console must not start another one). */
export function runningElsewhere(journal: Journal | undefined, stateDir: string): boolean {
  return !!journal && !isEnded(journal.state) && journal.ownerPid !== process.pid && isOwnerAlive(stateDir, journal);
}

/**
 * The journal says on (or a run stopped half-way through "off"/collecting), and its console is gone:
 * the next start shows the recovery screen.
 */
export function needsRecovery(journal: Journal | undefined, stateDir: string): boolean {
  if (!journal) return false;
  const interrupted = isLoggingMaybeOn(journal.state) || (!isEnded(journal.state) && ['turningOff', 'verifyingOff', 'collecting'].includes(journal.state.phase));
  return interrupted && (journal.ownerPid === process.pid || !isOwnerAlive(stateDir, journal));
}
