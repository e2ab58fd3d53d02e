import {extendStepMs} from './options.js';
import type {Protocol, RoleDefinition, Snapshot} from './types.js';

/**
 * The troubleshooting-log flow as a typed reducer: pure, persisted as JSON in the journal after every
 * transition, time passed in (never read) so tests run the countdown instantly.
 */
export type Phase =
  | 'choosingRoles'
  | 'confirmingSettings'
  | 'turningOn'
  | 'verifyingOn'
  | 'reproducing'
  | 'countingDown'
  | 'confirmingFinish'
  | 'turningOff'
  | 'verifyingOff'
  | 'stillLogging'
  | 'collecting'
  | 'finished'
  | 'aborted'
  | 'failed'
  | 'stopped'
  | 'leftOn';

/** Where a role's logging is: only 'off' and 'neverOn' are safe. */
export type RoleLogging = 'neverOn' | 'turningOn' | 'on' | 'turningOff' | 'off' | 'offFailed' | 'pendingManualOff';

export interface RunRole extends RoleDefinition {
  logging: RoleLogging;
  /** Last problem of this role (a failed command, a time-out, "still growing"). */
  problem?: string;
}

/** Why logging is being turned off. Only a normal end (countdown, finishedEarly) collects a ZIP. */
export type OffReason = 'countdown' | 'finishedEarly' | 'aborted' | 'error' | 'signal' | 'watchdog' | 'stop' | 'recovery';

export interface FlowState {
  phase: Phase;
  runId: string;
  roles: RunRole[];
  protocols: Protocol[];
  waitMs: number;
  /** ISO times. */
  createdAt: string;
  startedAt?: string;
  countdownStartedAt?: string;
  deadline?: string;
  endedAt?: string;
  offReason?: OffReason;
  /** Sizes at "on" and at "off": the window to collect. */
  onSnapshot?: Snapshot;
  offSnapshot?: Snapshot;
  error?: string;
  zipPath?: string;
  zipBytes?: number;
  /** Roles still growing after "off". */
  growing?: string[];
}

export type FlowEvent =
  | {type: 'ROLES_CHOSEN'; roles: RoleDefinition[]}
  | {type: 'BACK_TO_ROLES'}
  | {type: 'SETTINGS_CONFIRMED'; protocols: Protocol[]; roles: RoleDefinition[]; onSnapshot: Snapshot}
  | {type: 'ROLE_TURNED_ON'; role: string}
  | {type: 'ROLE_ON_FAILED'; role: string; message: string}
  | {type: 'ACTIVITY_CONFIRMED'}
  | {type: 'REPRODUCED'}
  | {type: 'TICK'}
  | {type: 'EXTEND'}
  | {type: 'FINISH_REQUESTED'}
  | {type: 'FINISH_CONFIRMED'}
  | {type: 'FINISH_CANCELLED'}
  | {type: 'ABORT'; reason?: Extract<OffReason, 'aborted' | 'signal' | 'watchdog' | 'stop' | 'recovery'>}
  | {type: 'FAILED'; message: string}
  | {type: 'ROLE_TURNED_OFF'; role: string}
  | {type: 'ROLE_OFF_FAILED'; role: string; message: string}
  | {type: 'ROLE_OFF_PENDING_MANUAL'; role: string}
  | {type: 'OFF_VERIFIED'; offSnapshot: Snapshot}
  | {type: 'STILL_GROWING'; roles: string[]; offSnapshot: Snapshot}
  | {type: 'RETRY_OFF'}
  | {type: 'MANUAL_OFF_CONFIRMED'}
  | {type: 'LEAVE_ON_CONFIRMED'}
  | {type: 'RESUME'}
  | {type: 'COLLECTED'; zipPath: string; zipBytes: number};

/** Phases in which logging may be on: every path out of them goes through turningOff. */
export const onPhases: readonly Phase[] = ['turningOn', 'verifyingOn', 'reproducing', 'countingDown', 'confirmingFinish'];
export const endPhases: readonly Phase[] = ['finished', 'aborted', 'failed', 'stopped', 'leftOn'];
const unsafeLogging: readonly RoleLogging[] = ['turningOn', 'on', 'turningOff', 'offFailed', 'pendingManualOff'];

export function isRoleMaybeOn(role: RunRole): boolean {
  return unsafeLogging.includes(role.logging);
}

/** True while any role may be logging (also after the end when an admin still has to turn one off). */
export function isLoggingMaybeOn(state: FlowState): boolean {
  return state.roles.some(isRoleMaybeOn);
}

export function isEnded(state: FlowState): boolean {
  return endPhases.includes(state.phase);
}

export function initialFlowState(runId: string, waitMs: number, now: number, protocols: Protocol[]): FlowState {
  return {phase: 'choosingRoles', runId, roles: [], protocols, waitMs, createdAt: new Date(now).toISOString()};
}

/** Milliseconds left in the countdown, computed from the deadline (never from counted ticks). */
export function remainingMs(state: FlowState, now: number): number {
  if (!state.deadline) return state.waitMs;
  return Math.max(0, Date.parse(state.deadline) - now);
}

const iso = (now: number) => new Date(now).toISOString();

function setRole(state: FlowState, name: string, change: Partial<RunRole>): RunRole[] {
  return state.roles.map(role => (role.name === name ? {...role, ...change} : role));
}

/** Every role whose logging may be on goes to turningOff (including ones whose "on" failed: off is cheap, on by accident is not). */
function startTurningOff(state: FlowState, now: number, reason: OffReason, error?: string): FlowState {
  const roles = state.roles.map(role =>
    role.logging === 'neverOn' || role.logging === 'off' ? role : {...role, logging: 'turningOff' as const, problem: role.logging === 'turningOff' ? role.problem : undefined},
  );
  return {...afterTurnOff({...state, roles, phase: 'turningOff', offReason: reason, error: error ?? state.error}, now)};
}

/** Once no role is still turning off: verify (normal) or stop (signal/watchdog/stop, nobody to verify). */
function afterTurnOff(state: FlowState, now: number): FlowState {
  if (state.roles.some(role => role.logging === 'turningOff')) return state;
  const endedAt = state.endedAt ?? iso(now);
  if (state.roles.some(role => role.logging === 'offFailed')) return {...state, phase: 'stillLogging', endedAt, growing: state.roles.filter(role => role.logging === 'offFailed').map(role => role.name)};
  if (state.offReason === 'signal' || state.offReason === 'watchdog' || state.offReason === 'stop') return {...state, phase: 'stopped', endedAt};
  return {...state, phase: 'verifyingOff', endedAt};
}

function afterTurnOn(state: FlowState, now: number): FlowState {
  if (state.roles.some(role => role.logging === 'turningOn')) return state;
  const failed = state.roles.filter(role => role.problem !== undefined);
  if (failed.length > 0) {
    return startTurningOff(state, now, 'error', `Turning logging on failed for ${failed.map(role => role.name).join(', ')}: ${failed.map(role => role.problem).join('; ')}`);
  }
  return {...state, phase: 'verifyingOn'};
}

/** One transition. Events that make no sense in a phase leave the state unchanged (same object). */
export function flowReducer(state: FlowState, event: FlowEvent, now: number): FlowState {
  const phase = state.phase;
  // Abort and error: before "on" nothing to undo; in an on-phase always through turningOff.
  if (event.type === 'ABORT') {
    const reason = event.reason ?? 'aborted';
    if (phase === 'choosingRoles' || phase === 'confirmingSettings') return {...state, phase: 'aborted', offReason: reason, endedAt: iso(now)};
    if (onPhases.includes(phase)) return startTurningOff(state, now, reason);
    if (phase === 'turningOff' && (reason === 'signal' || reason === 'watchdog' || reason === 'stop')) return {...state, offReason: reason};
    if (phase === 'verifyingOff' || phase === 'collecting') return {...state, phase: 'aborted', offReason: state.offReason ?? reason, error: phase === 'collecting' ? 'Collecting was aborted; the partial ZIP was removed.' : state.error};
    if (phase === 'stillLogging' && reason !== 'aborted') return startTurningOff({...state, roles: state.roles.map(role => (role.logging === 'offFailed' ? {...role, logging: 'on'} : role))}, now, reason);
    if ((phase === 'stopped' || phase === 'leftOn' || phase === 'failed' || phase === 'aborted') && isLoggingMaybeOn(state) && reason !== 'aborted') {
      return startTurningOff({...state, roles: state.roles.map(role => (isRoleMaybeOn(role) ? {...role, logging: 'on'} : role))}, now, reason);
    }
    return state;
  }
  if (event.type === 'FAILED') {
    if (phase === 'choosingRoles' || phase === 'confirmingSettings') return {...state, phase: 'failed', error: event.message, endedAt: iso(now)};
    if (onPhases.includes(phase)) return startTurningOff(state, now, 'error', event.message);
    if (phase === 'turningOff') return {...state, error: event.message};
    if (phase === 'verifyingOff') return {...state, phase: 'stillLogging', error: event.message, growing: state.growing ?? []};
    if (phase === 'collecting') return {...state, phase: 'failed', error: event.message};
    return state;
  }
  switch (event.type) {
    case 'ROLES_CHOSEN':
      if (phase !== 'choosingRoles' || event.roles.length === 0) return state;
      return {...state, phase: 'confirmingSettings', roles: event.roles.map(role => ({...role, logging: 'neverOn'}))};
    case 'BACK_TO_ROLES':
      return phase === 'confirmingSettings' ? {...state, phase: 'choosingRoles'} : state;
    case 'SETTINGS_CONFIRMED':
      if (phase !== 'confirmingSettings' || event.protocols.length === 0 || event.roles.length === 0) return state;
      return {
        ...state,
        phase: 'turningOn',
        protocols: event.protocols,
        roles: event.roles.map(role => ({...role, logging: 'turningOn'})),
        onSnapshot: event.onSnapshot,
        startedAt: iso(now),
      };
    case 'ROLE_TURNED_ON':
      if (phase !== 'turningOn') return state;
      return afterTurnOn({...state, roles: setRole(state, event.role, {logging: 'on', problem: undefined})}, now);
    case 'ROLE_ON_FAILED':
      if (phase !== 'turningOn') return state;
      // Still counted as maybe on: a half-run script may have switched something.
      return afterTurnOn({...state, roles: setRole(state, event.role, {logging: 'on', problem: event.message})}, now);
    case 'ACTIVITY_CONFIRMED':
      return phase === 'verifyingOn' ? {...state, phase: 'reproducing'} : state;
    case 'REPRODUCED':
      if (phase !== 'reproducing') return state;
      return {...state, phase: 'countingDown', countdownStartedAt: iso(now), deadline: iso(now + state.waitMs)};
    case 'TICK':
      if ((phase === 'countingDown' || phase === 'confirmingFinish') && remainingMs(state, now) <= 0) return startTurningOff(state, now, 'countdown');
      return state;
    case 'EXTEND':
      if ((phase !== 'countingDown' && phase !== 'confirmingFinish') || !state.deadline) return state;
      return {...state, deadline: iso(Math.max(Date.parse(state.deadline), now) + extendStepMs)};
    case 'FINISH_REQUESTED':
      return phase === 'countingDown' ? {...state, phase: 'confirmingFinish'} : state;
    case 'FINISH_CANCELLED':
      return phase === 'confirmingFinish' ? flowReducer({...state, phase: 'countingDown'}, {type: 'TICK'}, now) : state;
    case 'FINISH_CONFIRMED':
      return phase === 'confirmingFinish' ? startTurningOff(state, now, 'finishedEarly') : state;
    case 'ROLE_TURNED_OFF':
      if (phase !== 'turningOff') return state;
      return afterTurnOff({...state, roles: setRole(state, event.role, {logging: 'off', problem: undefined})}, now);
    case 'ROLE_OFF_FAILED':
      if (phase !== 'turningOff') return state;
      return afterTurnOff({...state, roles: setRole(state, event.role, {logging: 'offFailed', problem: event.message})}, now);
    case 'ROLE_OFF_PENDING_MANUAL':
      if (phase !== 'turningOff') return state;
      return afterTurnOff({...state, roles: setRole(state, event.role, {logging: 'pendingManualOff', problem: 'the admin still has to turn logging off in the NoSpamProxy console'})}, now);
    case 'OFF_VERIFIED': {
      if (phase !== 'verifyingOff') return state;
      const collect = (state.offReason === 'countdown' || state.offReason === 'finishedEarly') && !state.error;
      if (collect) return {...state, phase: 'collecting', offSnapshot: event.offSnapshot};
      return {...state, phase: state.offReason === 'error' || state.error ? 'failed' : 'aborted', offSnapshot: event.offSnapshot};
    }
    case 'STILL_GROWING':
      if (phase !== 'verifyingOff') return state;
      return {
        ...state,
        phase: 'stillLogging',
        offSnapshot: event.offSnapshot,
        growing: event.roles,
        roles: state.roles.map(role => (event.roles.includes(role.name) ? {...role, logging: 'offFailed', problem: 'log files still growing after "off"'} : role)),
      };
    case 'RETRY_OFF':
      if (phase !== 'stillLogging') return state;
      return startTurningOff({...state, growing: undefined, roles: state.roles.map(role => (role.logging === 'offFailed' ? {...role, logging: 'on'} : role))}, now, state.offReason ?? 'error');
    case 'MANUAL_OFF_CONFIRMED':
      // The admin switched it off by hand: verify again through the files.
      if (phase !== 'stillLogging' && !(isEnded(state) && state.roles.some(role => role.logging === 'pendingManualOff'))) return state;
      return {
        ...state,
        phase: phase === 'stillLogging' ? 'verifyingOff' : phase,
        growing: undefined,
        roles: state.roles.map(role => (role.logging === 'offFailed' || role.logging === 'pendingManualOff' ? {...role, logging: 'off', problem: undefined} : role)),
      };
    case 'LEAVE_ON_CONFIRMED':
      return phase === 'stillLogging' ? {...state, phase: 'leftOn'} : state;
    case 'RESUME':
      // After a restart: continue the countdown (from the recorded deadline when there is one).
      if (!onPhases.includes(phase)) return state;
      return flowReducer(
        {
          ...state,
          phase: 'countingDown',
          roles: state.roles.map(role => (role.logging === 'turningOn' ? {...role, logging: 'on'} : role)),
          countdownStartedAt: state.countdownStartedAt ?? iso(now),
          deadline: state.deadline ?? iso(now + state.waitMs),
        },
        {type: 'TICK'},
        now,
      );
    case 'COLLECTED':
      return phase === 'collecting' ? {...state, phase: 'finished', zipPath: event.zipPath, zipBytes: event.zipBytes} : state;
  }
  return state;
}
