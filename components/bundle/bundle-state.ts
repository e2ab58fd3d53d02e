import type {LogflowRun} from '../../source/logflow/runs.js';
import type {BundleItem, BundleLimits, BundleRequest, ItemId} from '../../source/bundle/types.js';
import type {BundleProgress, WrittenBundle} from '../../source/bundle/write.js';

export type PickTarget = 'message-tracks' | 'attachments' | 'queue-files' | 'eventlog-file';

/** One view of the support-data screen at a time (one file each). */
export type BundleView =
  | {kind: 'checklist'}
  | {kind: 'version'}
  | {kind: 'description'}
  | {kind: 'queues'}
  | {kind: 'queue-note'}
  /** startFolder: where the picker opens (looked up when the item is opened, never while drawing). */
  | {kind: 'pick'; target: PickTarget; startFolder?: string}
  | {kind: 'eventlog'}
  | {kind: 'range'; field: 'since' | 'until'}
  | {kind: 'logs'; runs: LogflowRun[]}
  | {kind: 'summary'}
  | {kind: 'writing'}
  | {kind: 'done'; written: WrittenBundle}
  | {kind: 'error'; message: string};

/** What the summary needs from the disk (the caps in settings.json, the free output name), read when it opens. */
export interface SummaryFacts {
  limits: BundleLimits | string;
  outPath: string;
}

/**
 * The support-data screen's state: what the admin asked for, the items as last checked, the cursor,
 * the view. A pure reducer: every key's and every check's effect is tested without a terminal.
 */
export interface BundleState {
  request: BundleRequest;
  items?: BundleItem[];
  /** Items being checked again after a change. */
  checking: ItemId[];
  /** Checklist cursor: the items, then "Create the bundle". */
  index: number;
  view: BundleView;
  progress?: BundleProgress;
  problem?: string;
  summary?: SummaryFacts;
}

export type BundleAction =
  | {type: 'itemsLoaded'; items: BundleItem[]}
  | {type: 'requestChanged'; change: Partial<BundleRequest>; checking: ItemId[]}
  | {type: 'checked'; item: BundleItem}
  | {type: 'checkFailed'; id: ItemId; error: string}
  | {type: 'move'; delta: number}
  | {type: 'jump'; to: 'first' | 'last'}
  | {type: 'show'; view: BundleView}
  | {type: 'problem'; message: string | undefined}
  | {type: 'summaryRead'; facts: SummaryFacts}
  | {type: 'writing'}
  | {type: 'progress'; progress: BundleProgress};

export function initialBundleState(request: BundleRequest): BundleState {
  return {request, checking: [], index: 0, view: {kind: 'checklist'}};
}

function without(ids: readonly ItemId[], id: ItemId): ItemId[] {
  return ids.filter(candidate => candidate !== id);
}

export function bundleReducer(state: BundleState, action: BundleAction): BundleState {
  const rows = (state.items?.length ?? 0) + 1;
  switch (action.type) {
    case 'itemsLoaded':
      return {...state, items: action.items};
    case 'requestChanged':
      return {...state, request: {...state.request, ...action.change}, problem: undefined, checking: [...new Set([...state.checking, ...action.checking])]};
    case 'checked':
      return {...state, items: state.items?.map(item => (item.id === action.item.id ? action.item : item)), checking: without(state.checking, action.item.id)};
    case 'checkFailed':
      return {...state, problem: action.error, checking: without(state.checking, action.id)};
    case 'move':
      return {...state, index: (state.index + action.delta + rows) % rows};
    case 'jump':
      return {...state, index: action.to === 'first' ? 0 : rows - 1};
    case 'show':
      // A new summary reads its facts again (settings.json may have changed meanwhile).
      return {...state, view: action.view, summary: action.view.kind === 'summary' ? undefined : state.summary};
    case 'problem':
      return {...state, problem: action.message};
    case 'summaryRead':
      return {...state, summary: action.facts};
    case 'writing':
      return {...state, view: {kind: 'writing'}, progress: undefined};
    case 'progress':
      return {...state, progress: action.progress};
  }
}

/** Skipping or including an item: the new skip list and the items to check again (the logs decide the event log's window). */
export function skipToggled(request: BundleRequest, id: ItemId): {change: Partial<BundleRequest>; check: ItemId[]} {
  const skip = request.skip.includes(id) ? request.skip.filter(item => item !== id) : [...request.skip, id];
  return {change: {skip}, check: id === 'logs' ? ['logs', 'eventlog'] : [id]};
}

/** Where a view opened from a sub-view goes back to. */
export function backFromPick(target: PickTarget): BundleView {
  return target === 'queue-files' ? {kind: 'queues'} : {kind: 'checklist'};
}
