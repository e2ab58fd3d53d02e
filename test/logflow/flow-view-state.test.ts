import {describe, expect, it} from 'vitest';
import {escHintShown, flowViewReducer, initialFlowViewState, initialSettingsState, openQuestion, settingsReducer, type FlowViewAction, type FlowViewState} from '../../components/logflow/flow-view-state.js';
import type {RoleDefinition} from '../../source/logflow/types.js';

// The screen's own state of the troubleshooting-log flow, key by key, without a terminal.

const gw1: RoleDefinition = {name: 'Gateway 1', driver: 'guided', location: 'D:\\Logs'};
const gw2: RoleDefinition = {name: 'Gateway 2', driver: 'guided', location: 'E:\\Logs'};
const gw3: RoleDefinition = {name: 'Gateway 3', driver: 'guided', location: 'F:\\Logs'};

function run(roles: RoleDefinition[], actions: FlowViewAction[]): FlowViewState {
  return actions.reduce(flowViewReducer, initialFlowViewState(roles));
}

describe('flowViewReducer: step 1', () => {
  it('chooses the only role up front, none of several', () => {
    expect(initialFlowViewState([gw1]).chosen).toEqual(['Gateway 1']);
    expect(initialFlowViewState([gw1, gw2]).chosen).toEqual([]);
  });

  it.each([
    {name: 'down wraps to the top', actions: [{type: 'move', delta: 1}, {type: 'move', delta: 1}, {type: 'move', delta: 1}], index: 0},
    {name: 'up from the top wraps to the bottom', actions: [{type: 'move', delta: -1}], index: 2},
    {name: 'a page down stops at the last role', actions: [{type: 'page', delta: 1, pageSize: 5}], index: 2},
    {name: 'a page up stops at the first role', actions: [{type: 'move', delta: 1}, {type: 'page', delta: -1, pageSize: 5}], index: 0},
  ] satisfies {name: string; actions: FlowViewAction[]; index: number}[])('$name', ({actions, index}) => {
    expect(run([gw1, gw2, gw3], actions).index).toBe(index);
  });

  it('Space toggles the role under the cursor; A chooses all', () => {
    const toggled = run([gw1, gw2, gw3], [{type: 'move', delta: 1}, {type: 'toggle'}]);
    expect(toggled.chosen).toEqual(['Gateway 2']);
    expect(flowViewReducer(toggled, {type: 'toggle'}).chosen).toEqual([]);
    expect(flowViewReducer(toggled, {type: 'chooseAll'}).chosen).toEqual(['Gateway 1', 'Gateway 2', 'Gateway 3']);
  });

  it('x asks before removing; any other key keeps the role and says so', () => {
    const asking = run([gw1, gw2], [{type: 'move', delta: 1}, {type: 'askRemove'}]);
    expect(asking.removing).toBe(gw2);
    const kept = flowViewReducer(flowViewReducer(asking, {type: 'key'}), {type: 'keepRole'});
    expect(kept.removing).toBeUndefined();
    expect(kept.roles).toEqual([gw1, gw2]);
    expect(kept.message).toBe('Kept "Gateway 2".');
  });

  it('the last role is never offered for removal: it says why', () => {
    const state = run([gw1], [{type: 'askRemove'}]);
    expect(state.removing).toBeUndefined();
    expect(state.message).toMatch(/only role and stays/);
  });

  it('a saved list replaces the roles, drops removed ones from the choice and closes the question', () => {
    const asking = run([gw1, gw2], [{type: 'chooseAll'}, {type: 'move', delta: 1}, {type: 'askRemove'}]);
    const saved = flowViewReducer(asking, {type: 'saved', roles: [gw1], message: 'Removed "Gateway 2" from settings.json.', resetIndex: true});
    expect(saved).toMatchObject({roles: [gw1], chosen: ['Gateway 1'], index: 0, removing: undefined, message: 'Removed "Gateway 2" from settings.json.'});
  });

  it('a failed save closes the edit and says why; the list stays as it was', () => {
    const editing = run([gw1], [{type: 'edit', edit: {kind: 'location'}}]);
    const failed = flowViewReducer(editing, {type: 'saveFailed', error: 'EACCES'});
    expect(failed).toMatchObject({roles: [gw1], edit: undefined, message: 'Not saved: EACCES'});
  });

  it('the next key makes the message stale', () => {
    const told = run([gw1], [{type: 'tell', message: 'hello'}]);
    expect(flowViewReducer(told, {type: 'key'}).message).toBeUndefined();
  });
});

describe('flowViewReducer: questions and hints belong to one phase', () => {
  it('an abort question asked in step 4 is not open in step 5', () => {
    const state = run([gw1], [{type: 'ask', kind: 'abort', phase: 'verifyingOn'}]);
    expect(openQuestion(state, 'verifyingOn')).toBe('abort');
    expect(openQuestion(state, 'reproducing')).toBeUndefined();
    expect(openQuestion(flowViewReducer(state, {type: 'answered'}), 'verifyingOn')).toBeUndefined();
  });

  it('the Esc hint shows only in the phase it was asked in', () => {
    const state = run([gw1], [{type: 'escPressed', phase: 'countingDown'}]);
    expect(escHintShown(state, 'countingDown')).toBe(true);
    expect(escHintShown(state, 'reproducing')).toBe(false);
  });
});

describe('settingsReducer: step 2', () => {
  const run2 = {protocols: [] as never[], roles: [gw1, gw2]};

  it('starts with every protocol and each role location', () => {
    const state = initialSettingsState(run2);
    expect(state.protocols).toHaveLength(4);
    expect(state.locations).toEqual({'Gateway 1': 'D:\\Logs', 'Gateway 2': 'E:\\Logs'});
  });

  it('toggles keep the catalogue order; a location is for this run only and closes the field', () => {
    let state = initialSettingsState(run2);
    const [first, second] = state.protocols;
    state = settingsReducer(state, {type: 'toggleProtocol', protocol: first!});
    state = settingsReducer(state, {type: 'toggleProtocol', protocol: second!});
    state = settingsReducer(state, {type: 'toggleProtocol', protocol: first!});
    expect(state.protocols[0]).toBe(first);
    expect(state.protocols).not.toContain(second);
    state = settingsReducer(state, {type: 'editLocation', role: 'Gateway 2'});
    state = settingsReducer(state, {type: 'setLocation', role: 'Gateway 2', location: '/srv/logs'});
    expect(state).toMatchObject({editing: undefined, locations: {'Gateway 1': 'D:\\Logs', 'Gateway 2': '/srv/logs'}});
  });

  it('the cursor wraps over protocols and roles', () => {
    const state = settingsReducer(initialSettingsState(run2), {type: 'move', delta: -1, rows: 6});
    expect(state.index).toBe(5);
  });
});
