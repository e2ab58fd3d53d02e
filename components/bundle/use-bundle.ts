import {useEffect, useReducer, useRef, useState} from 'react';
import {existsSync} from 'node:fs';
import {join} from 'node:path';
import type {ConsoleContext} from '../../source/context.js';
import {emptyRequest, newWorkFolder, removeWorkFolder} from '../../source/bundle/create.js';
import {collectItems, collectOne} from '../../source/bundle/items.js';
import {resolveLimits} from '../../source/bundle/options.js';
import {itemIds, type BundleRequest, type ItemId} from '../../source/bundle/types.js';
import {chooseOutputPath, writeBundle} from '../../source/bundle/write.js';
import {errorMessage} from '../../source/errors.js';
import {listLogflowRuns} from '../../source/logflow/runs.js';
import {recordOutcome} from '../../source/outcome.js';
import {onShutdown} from '../../source/system/shutdown.js';
import {bundleReducer, initialBundleState, skipToggled, type BundleAction, type BundleState, type BundleView} from './bundle-state.js';

export interface Bundle {
  state: BundleState;
  dispatch: (action: BundleAction) => void;
  show: (view: BundleView) => void;
  /** Changes the request and checks the named items again. */
  update: (change: Partial<BundleRequest>, check: ItemId[]) => void;
  toggleSkip: (id: ItemId) => void;
  /** Enter on an item: its view, or (environment, configuration, a skipped item) skip/include. */
  openItem: (id: ItemId) => Promise<void>;
  recheckAll: () => void;
  startWriting: () => Promise<void>;
  abortWriting: () => void;
}

/**
 * The support-data screen's state and its I/O: the items are read when the screen opens and checked
 * again after each change, the summary's facts when it opens, the ZIP on Enter. Nothing is read while drawing.
 */
export function useBundle(context: ConsoleContext): Bundle {
  const [state, dispatch] = useReducer(bundleReducer, undefined, () => initialBundleState(emptyRequest()));
  const [workFolder] = useState(() => newWorkFolder(context.stateDir));
  // The running writer's abort switch (not screen state: nothing is drawn from it).
  const writer = useRef<AbortController | undefined>(undefined);

  useEffect(() => {
    let live = true;
    collectItems(context, emptyRequest(), {workFolder}).then(
      collected => live && dispatch({type: 'itemsLoaded', items: collected.items}),
      error => live && dispatch({type: 'problem', message: errorMessage(error)}),
    );
    return () => {
      live = false;
      writer.current?.abort();
      void removeWorkFolder(workFolder);
    };
  }, [context, workFolder]);

  const summaryOpen = state.view.kind === 'summary';
  useEffect(() => {
    if (!summaryOpen) return;
    let live = true;
    let outPath: string;
    try {
      outPath = chooseOutputPath(context, undefined, new Date());
    } catch (error) {
      outPath = errorMessage(error);
    }
    // The caps the writer will use (settings.json "bundle"), so size and cuts are told before writing.
    resolveLimits(context.stateDir, {}).then(
      limits => live && dispatch({type: 'summaryRead', facts: {limits, outPath}}),
      error => live && dispatch({type: 'summaryRead', facts: {limits: errorMessage(error), outPath}}),
    );
    return () => {
      live = false;
    };
  }, [summaryOpen, context]);

  const check = (ids: ItemId[], request: BundleRequest) => {
    for (const id of ids) {
      collectOne(context, request, id, {workFolder}).then(
        item => dispatch({type: 'checked', item}),
        error => dispatch({type: 'checkFailed', id, error: errorMessage(error)}),
      );
    }
  };
  const update = (change: Partial<BundleRequest>, ids: ItemId[]) => {
    dispatch({type: 'requestChanged', change, checking: ids});
    check(ids, {...state.request, ...change});
  };
  const toggleSkip = (id: ItemId) => {
    const {change, check: ids} = skipToggled(state.request, id);
    update(change, ids);
  };
  const show = (view: BundleView) => dispatch({type: 'show', view});

  const openItem = async (id: ItemId) => {
    dispatch({type: 'problem', message: undefined});
    if (state.request.skip.includes(id)) return toggleSkip(id);
    switch (id) {
      case 'version':
        return show({kind: 'version'});
      case 'description':
        return show({kind: 'description'});
      case 'environment':
      case 'config':
        return toggleSkip(id);
      case 'eventlog':
        return show(context.platform === 'win32' ? {kind: 'eventlog'} : {kind: 'pick', target: 'eventlog-file'});
      case 'message-tracks': {
        // Message tracks open in the data root's MessageTracks; everything else in the last folder used or the documents.
        const folder = join(context.root, 'MessageTracks');
        return show({kind: 'pick', target: 'message-tracks', startFolder: existsSync(folder) ? folder : undefined});
      }
      case 'queues':
        return show({kind: 'queues'});
      case 'attachments':
        return show({kind: 'pick', target: 'attachments'});
      case 'logs': {
        const runs = await listLogflowRuns(context.stateDir);
        if (runs.length === 0) return dispatch({type: 'problem', message: 'No troubleshooting-log run yet: run one from "Troubleshooting logs" first.'});
        return show({kind: 'logs', runs});
      }
    }
  };

  const startWriting = async () => {
    const items = state.items;
    if (!items) return;
    const abort = new AbortController();
    writer.current = abort;
    dispatch({type: 'writing'});
    let writing: Promise<unknown> = Promise.resolve();
    const removeHandler = onShutdown(async () => {
      abort.abort();
      await writing.catch(() => {});
      recordOutcome('Support bundle interrupted: the partial ZIP was removed', {interrupted: true});
    });
    try {
      const limits = await resolveLimits(context.stateDir, {});
      const version = items.find(item => item.id === 'version');
      const nspVersion = state.request.nspVersion ?? (version?.status === 'found' ? version.summary.replace(/ \(.*\)$/, '') : 'unknown');
      const promise = writeBundle(context, items, {nspVersion, limits, signal: abort.signal, onProgress: progress => dispatch({type: 'progress', progress})});
      writing = promise;
      const written = await promise;
      recordOutcome(`Support bundle written: ${written.path}`);
      show({kind: 'done', written});
    } catch (error) {
      show({kind: 'error', message: abort.signal.aborted ? 'Aborted: the partial bundle was removed; nothing else changed.' : errorMessage(error)});
    } finally {
      removeHandler();
      writer.current = undefined;
    }
  };

  return {
    state,
    dispatch,
    show,
    update,
    toggleSkip,
    openItem,
    recheckAll: () => update({}, [...itemIds]),
    startWriting,
    abortWriting: () => writer.current?.abort(),
  };
}

