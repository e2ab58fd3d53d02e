import type {Phase} from '../../source/logflow/machine.js';
import {allProtocols, type Protocol, type RoleDefinition} from '../../source/logflow/types.js';

/**
 * What the troubleshooting-log screen remembers besides the run itself (the run is the controller's):
 * the role list of step 1 as saved, the cursor, the choice, the open edit or question, the last message.
 * A pure reducer, so every key's effect on it is tested without a terminal.
 */
export interface FlowViewState {
  /** The configured roles as saved in settings.json (edits in step 1 survive going back from step 2). */
  roles: RoleDefinition[];
  index: number;
  /** Names of the roles chosen for this run. */
  chosen: string[];
  edit?: RoleEdit;
  /** Removing a role loses its settings (a script role's hand-written commands): it asks first. */
  removing?: RoleDefinition;
  /** A line answering the previous key; the next key makes it stale. */
  message?: string;
  /** The yes/no question open now; it belongs to one phase and never outlives it. */
  question?: {kind: Question; phase: Phase};
  /** Esc was pressed while logging is on (in this phase): say what leaves instead. */
  escHintPhase?: Phase;
  /** Step 7: the manual turn-off steps are shown. */
  showManual: boolean;
}

export type RoleEdit = {kind: 'newName'} | {kind: 'newLocation'; name: string} | {kind: 'location'};

/** Guarded actions: aborting throws a running flow away; leaving logging on is never the default. */
export type Question = 'abort' | 'leaveOn';

export type FlowViewAction =
  | {type: 'key'}
  | {type: 'move'; delta: number}
  | {type: 'page'; delta: number; pageSize: number}
  | {type: 'toggle'}
  | {type: 'chooseAll'}
  | {type: 'edit'; edit: RoleEdit | undefined}
  | {type: 'tell'; message: string}
  | {type: 'askRemove'}
  | {type: 'keepRole'}
  | {type: 'saved'; roles: RoleDefinition[]; message: string; resetIndex?: boolean}
  | {type: 'saveFailed'; error: string}
  | {type: 'ask'; kind: Question; phase: Phase}
  | {type: 'answered'}
  | {type: 'escPressed'; phase: Phase}
  | {type: 'toggleManual'};

export function initialFlowViewState(roles: readonly RoleDefinition[]): FlowViewState {
  return {roles: [...roles], index: 0, chosen: roles.length === 1 ? [roles[0]!.name] : [], showManual: false};
}

export function flowViewReducer(state: FlowViewState, action: FlowViewAction): FlowViewState {
  const count = state.roles.length;
  switch (action.type) {
    case 'key':
      return state.message === undefined ? state : {...state, message: undefined};
    case 'move':
      return count === 0 ? state : {...state, index: (state.index + action.delta + count) % count};
    case 'page':
      return count === 0 ? state : {...state, index: Math.max(0, Math.min(count - 1, state.index + action.delta * action.pageSize))};
    case 'toggle': {
      const role = state.roles[state.index];
      if (!role) return state;
      const chosen = state.chosen.includes(role.name) ? state.chosen.filter(name => name !== role.name) : [...state.chosen, role.name];
      return {...state, chosen};
    }
    case 'chooseAll':
      return {...state, chosen: state.roles.map(role => role.name)};
    case 'edit':
      return {...state, edit: action.edit};
    case 'tell':
      return {...state, message: action.message};
    case 'askRemove': {
      const role = state.roles[state.index];
      if (!role) return state;
      if (count > 1) return {...state, removing: role};
      return {...state, message: `"${role.name}" is the only role and stays: add another first (n), or change its location (e).`};
    }
    case 'keepRole':
      return state.removing ? {...state, removing: undefined, message: `Kept "${state.removing.name}".`} : state;
    case 'saved': {
      const names = new Set(action.roles.map(role => role.name));
      return {
        ...state,
        roles: action.roles,
        chosen: state.chosen.filter(name => names.has(name)),
        index: action.resetIndex ? 0 : Math.min(state.index, Math.max(0, action.roles.length - 1)),
        edit: undefined,
        removing: undefined,
        message: action.message,
      };
    }
    case 'saveFailed':
      return {...state, edit: undefined, removing: undefined, message: `Not saved: ${action.error}`};
    case 'ask':
      return {...state, question: {kind: action.kind, phase: action.phase}};
    case 'answered':
      return state.question ? {...state, question: undefined} : state;
    case 'escPressed':
      return {...state, escHintPhase: action.phase};
    case 'toggleManual':
      return {...state, showManual: !state.showManual};
  }
}

/** The question open in this phase (one asked in an earlier phase is gone). */
export function openQuestion(state: FlowViewState, phase: Phase): Question | undefined {
  return state.question?.phase === phase ? state.question.kind : undefined;
}

export function escHintShown(state: FlowViewState, phase: Phase): boolean {
  return state.escHintPhase === phase;
}

/** Step 2: the protocols to log and this run's log location per role (edited for this run only). */
export interface SettingsState {
  protocols: Protocol[];
  locations: Record<string, string>;
  /** Rows: the protocols first, then one per role. */
  index: number;
  editing?: string;
  checking: boolean;
}

export type SettingsAction =
  | {type: 'move'; delta: number; rows: number}
  | {type: 'toggleProtocol'; protocol: Protocol}
  | {type: 'editLocation'; role: string | undefined}
  | {type: 'setLocation'; role: string; location: string}
  | {type: 'checking'; checking: boolean};

export function initialSettingsState(run: {protocols: readonly Protocol[]; roles: readonly {name: string; location: string}[]}): SettingsState {
  return {
    protocols: run.protocols.length > 0 ? [...run.protocols] : [...allProtocols],
    locations: Object.fromEntries(run.roles.map(role => [role.name, role.location])),
    index: 0,
    checking: false,
  };
}

export function settingsReducer(state: SettingsState, action: SettingsAction): SettingsState {
  switch (action.type) {
    case 'move':
      return action.rows === 0 ? state : {...state, index: (state.index + action.delta + action.rows) % action.rows};
    case 'toggleProtocol': {
      const on = state.protocols.includes(action.protocol);
      // Kept in the catalogue's order, whatever order they were toggled in.
      const protocols = allProtocols.filter(protocol => (protocol === action.protocol ? !on : state.protocols.includes(protocol)));
      return {...state, protocols};
    }
    case 'editLocation':
      return {...state, editing: action.role};
    case 'setLocation':
      return {...state, locations: {...state.locations, [action.role]: action.location}, editing: undefined};
    case 'checking':
      return {...state, checking: action.checking};
  }
}
