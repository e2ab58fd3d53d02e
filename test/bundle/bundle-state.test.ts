import {describe, expect, it} from 'vitest';
import {backFromPick, bundleReducer, initialBundleState, skipToggled, type BundleAction, type BundleState} from '../../components/bundle/bundle-state.js';
import {emptyRequest} from '../../source/bundle/create.js';
import type {BundleItem, ItemId} from '../../source/bundle/types.js';

// The support-data screen's state, action by action, without a terminal.

function item(id: ItemId, status: BundleItem['status'] = 'found', summary = 'ok'): BundleItem {
  return {id, label: id, status, summary, details: [], entries: []} as unknown as BundleItem;
}

const loaded: BundleAction = {type: 'itemsLoaded', items: [item('version'), item('description', 'to-enter'), item('config')]};

function run(actions: BundleAction[]): BundleState {
  return actions.reduce(bundleReducer, initialBundleState(emptyRequest()));
}

describe('bundleReducer', () => {
  it.each([
    {name: 'down moves through the items onto "Create the bundle"', actions: [{type: 'move', delta: 1}, {type: 'move', delta: 1}, {type: 'move', delta: 1}], index: 3},
    {name: 'down from "Create the bundle" wraps to the top', actions: [{type: 'move', delta: 1}, {type: 'move', delta: 1}, {type: 'move', delta: 1}, {type: 'move', delta: 1}], index: 0},
    {name: 'up from the top wraps to "Create the bundle"', actions: [{type: 'move', delta: -1}], index: 3},
    {name: 'End is "Create the bundle", Home the first item', actions: [{type: 'jump', to: 'last'}], index: 3},
    {name: 'Home is the first item', actions: [{type: 'jump', to: 'last'}, {type: 'jump', to: 'first'}], index: 0},
  ] satisfies {name: string; actions: BundleAction[]; index: number}[])('$name', ({actions, index}) => {
    expect(run([loaded, ...actions]).index).toBe(index);
  });

  it('a change merges into the request, clears the problem and marks the items being checked', () => {
    const state = run([loaded, {type: 'problem', message: 'old'}, {type: 'requestChanged', change: {nspVersion: '15.2'}, checking: ['version']}]);
    expect(state).toMatchObject({request: {nspVersion: '15.2'}, problem: undefined, checking: ['version']});
  });

  it('a checked item replaces its old state; a failed check says why; both end "checking"', () => {
    let state = run([loaded, {type: 'requestChanged', change: {}, checking: ['version', 'config']}]);
    state = bundleReducer(state, {type: 'checked', item: item('version', 'found', '15.2 (entered)')});
    expect(state.items![0]!.summary).toBe('15.2 (entered)');
    expect(state.checking).toEqual(['config']);
    state = bundleReducer(state, {type: 'checkFailed', id: 'config', error: 'EACCES'});
    expect(state).toMatchObject({checking: [], problem: 'EACCES'});
  });

  it('opening the summary forgets the facts read for an earlier one (settings.json may have changed)', () => {
    let state = run([loaded, {type: 'summaryRead', facts: {limits: 'bad', outPath: '/out/a.zip'}}]);
    state = bundleReducer(state, {type: 'show', view: {kind: 'summary'}});
    expect(state.summary).toBeUndefined();
  });

  it('writing starts with no progress', () => {
    const state = run([loaded, {type: 'progress', progress: {bytesDone: 1, bytesTotal: 2, entriesDone: 1, entriesTotal: 2} as never}, {type: 'writing'}]);
    expect(state).toMatchObject({view: {kind: 'writing'}, progress: undefined});
  });
});

describe('skipToggled', () => {
  it.each([
    {id: 'config' as ItemId, skip: [] as ItemId[], after: ['config'], check: ['config']},
    {id: 'config' as ItemId, skip: ['config'] as ItemId[], after: [], check: ['config']},
    // The chosen run decides the event log's window: both are checked again.
    {id: 'logs' as ItemId, skip: [] as ItemId[], after: ['logs'], check: ['logs', 'eventlog']},
  ])('$id with skip $skip', ({id, skip, after, check}) => {
    expect(skipToggled({...emptyRequest(), skip}, id)).toEqual({change: {skip: after}, check});
  });

  it('queue files go back to the queues view, the rest to the checklist', () => {
    expect(backFromPick('queue-files')).toEqual({kind: 'queues'});
    expect(backFromPick('attachments')).toEqual({kind: 'checklist'});
  });
});
