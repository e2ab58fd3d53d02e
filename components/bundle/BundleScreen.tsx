import React, {useCallback, useEffect, useRef, useState} from 'react';
import {Box, Text} from 'ink';
import {join} from 'node:path';
import {existsSync} from 'node:fs';
import {formatBytes} from '../../source/archive/zip-writer.js';
import {progressBar} from '../../source/progress-bar.js';
import {emptyRequest, newWorkFolder, removeWorkFolder} from '../../source/bundle/create.js';
import {collectItems, collectOne} from '../../source/bundle/items.js';
import {listLogflowRuns, type LogflowRun} from '../../source/logflow/runs.js';
import {parseTime, resolveLimits} from '../../source/bundle/options.js';
import {defaultLimits, itemIds, type BundleItem, type BundleLimits, type BundleRequest, type ItemId} from '../../source/bundle/types.js';
import {chooseOutputPath, plannedBytes, writeBundle, type BundleProgress, type WrittenBundle} from '../../source/bundle/write.js';
import {errorMessage} from '../../source/errors.js';
import {isChar, isDown, isUp, type Key} from '../../source/input/keys.js';
import {recordOutcome} from '../../source/outcome.js';
import {onShutdown} from '../../source/system/shutdown.js';
import {useKeys} from '../input/key-router.js';
import {glyphs, useLayout} from '../layout.js';
import type {ScreenProps} from '../shell/screen.js';
import {wrapWords} from '../text/wrap.js';
import {Menu} from '../widgets/Menu.js';
import {TextField} from '../widgets/TextField.js';
import {BundleDone} from './BundleDone.js';
import {FilePicker} from './FilePicker.js';
import {TextEditor} from './TextEditor.js';

type PickTarget = 'message-tracks' | 'attachments' | 'queue-files' | 'eventlog-file';

type View =
  | {kind: 'checklist'}
  | {kind: 'version'}
  | {kind: 'description'}
  | {kind: 'queues'}
  | {kind: 'queue-note'}
  | {kind: 'pick'; target: PickTarget}
  | {kind: 'eventlog'}
  | {kind: 'range'; field: 'since' | 'until'}
  | {kind: 'logs'; runs: LogflowRun[]}
  | {kind: 'summary'}
  | {kind: 'writing'}
  | {kind: 'done'; written: WrittenBundle}
  | {kind: 'error'; message: string};

const statusText: Record<BundleItem['status'] | 'checking', string> = {found: 'found', skipped: 'skipped', 'to-enter': 'to enter', checking: 'checking'};
const statusColor: Record<BundleItem['status'] | 'checking', string | undefined> = {found: 'green', skipped: 'gray', 'to-enter': 'yellow', checking: 'cyan'};

function clip(text: string, width: number, ascii: boolean): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  return `${text.slice(0, Math.max(0, width - (ascii ? 3 : 1)))}${ascii ? '...' : '…'}`;
}

/** The support-data checklist: every item with its state, Enter fills one in, then summary, progress, path. */
export function BundleScreen({context, back, setKeyHelp}: ScreenProps) {
  const layout = useLayout();
  const g = glyphs(layout.ascii);
  const [request, setRequestState] = useState<BundleRequest>(emptyRequest);
  const requestRef = useRef(request);
  const [items, setItems] = useState<BundleItem[] | undefined>();
  const [checking, setChecking] = useState<ItemId[]>([]);
  const [index, setIndexState] = useState(0);
  // Keys of one burst arrive before React re-renders: the handler reads the latest index from a ref.
  const indexRef = useRef(0);
  const setIndex = (next: number | ((current: number) => number)) => {
    indexRef.current = typeof next === 'function' ? next(indexRef.current) : next;
    setIndexState(indexRef.current);
  };
  const [view, setView] = useState<View>({kind: 'checklist'});
  const [progress, setProgress] = useState<BundleProgress | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const workFolder = useRef(newWorkFolder(context.stateDir));
  const controller = useRef<AbortController | undefined>(undefined);

  useEffect(() => {
    setKeyHelp([
      ['Enter', 'fill in / change the item'],
      ['s or Space', 'skip / include the item'],
      ['c', 'summary, then create the bundle'],
      ['r', 'check every item again'],
      ['Ctrl-D', 'save text (editors)'],
      ['d', 'done choosing files (picker)'],
      ['g', 'go to a typed folder or file (picker)'],
      ['Esc', 'back / abort writing'],
    ]);
    let live = true;
    collectItems(context, requestRef.current, {workFolder: workFolder.current}).then(
      collected => live && setItems(collected.items),
      error => live && setProblem(errorMessage(error)),
    );
    const folder = workFolder.current;
    return () => {
      live = false;
      controller.current?.abort();
      void removeWorkFolder(folder);
    };
  }, [context, setKeyHelp]);

  const refresh = useCallback(
    (ids: ItemId[], next: BundleRequest) => {
      setChecking(current => [...new Set([...current, ...ids])]);
      for (const id of ids) {
        collectOne(context, next, id, {workFolder: workFolder.current}).then(
          item => {
            setItems(current => current?.map(existing => (existing.id === id ? item : existing)));
            setChecking(current => current.filter(candidate => candidate !== id));
          },
          error => {
            setProblem(errorMessage(error));
            setChecking(current => current.filter(candidate => candidate !== id));
          },
        );
      }
    },
    [context],
  );

  const update = (change: Partial<BundleRequest>, ids: ItemId[]) => {
    const next = {...requestRef.current, ...change};
    requestRef.current = next;
    setRequestState(next);
    setProblem(undefined);
    refresh(ids, next);
  };

  const toggleSkip = (id: ItemId) => {
    const skip = requestRef.current.skip.includes(id) ? requestRef.current.skip.filter(item => item !== id) : [...requestRef.current.skip, id];
    update({skip}, id === 'logs' ? ['logs', 'eventlog'] : [id]);
  };

  const openItem = async (id: ItemId) => {
    setProblem(undefined);
    if (requestRef.current.skip.includes(id)) return toggleSkip(id);
    switch (id) {
      case 'version':
        return setView({kind: 'version'});
      case 'description':
        return setView({kind: 'description'});
      case 'environment':
      case 'config':
        return toggleSkip(id);
      case 'eventlog':
        return setView(context.platform === 'win32' ? {kind: 'eventlog'} : {kind: 'pick', target: 'eventlog-file'});
      case 'message-tracks':
        return setView({kind: 'pick', target: 'message-tracks'});
      case 'queues':
        return setView({kind: 'queues'});
      case 'attachments':
        return setView({kind: 'pick', target: 'attachments'});
      case 'logs': {
        const runs = await listLogflowRuns(context.stateDir);
        if (runs.length === 0) return setProblem('No troubleshooting-log run yet: run one from "Troubleshooting logs" first.');
        return setView({kind: 'logs', runs});
      }
    }
  };

  const [summaryLimits, setSummaryLimits] = useState<BundleLimits | string | undefined>();
  useEffect(() => {
    if (view.kind !== 'summary') return;
    let live = true;
    resolveLimits(context.stateDir, {}).then(
      limits => live && setSummaryLimits(limits),
      error => live && setSummaryLimits(errorMessage(error)),
    );
    return () => {
      live = false;
    };
  }, [view.kind, context]);
  const startWriting = async () => {
    if (!items) return;
    const abort = new AbortController();
    controller.current = abort;
    setProgress(undefined);
    setView({kind: 'writing'});
    let writing: Promise<unknown> = Promise.resolve();
    const removeHandler = onShutdown(async () => {
      abort.abort();
      await writing.catch(() => {});
      recordOutcome('Support bundle interrupted: the partial ZIP was removed', {interrupted: true});
    });
    try {
      const limits = await resolveLimits(context.stateDir, {});
      const version = items.find(item => item.id === 'version');
      const nspVersion = requestRef.current.nspVersion ?? (version?.status === 'found' ? version.summary.replace(/ \(.*\)$/, '') : 'unknown');
      const promise = writeBundle(context, items, {nspVersion, limits, signal: abort.signal, onProgress: setProgress});
      writing = promise;
      const written = await promise;
      recordOutcome(`Support bundle written: ${written.path}`);
      setView({kind: 'done', written});
    } catch (error) {
      setView({kind: 'error', message: abort.signal.aborted ? 'Aborted: the partial bundle was removed; nothing else changed.' : errorMessage(error)});
    } finally {
      removeHandler();
      controller.current = undefined;
    }
  };

  const rows = (items ?? []).length + 1;
  useKeys(
    (key: Key) => {
      if (view.kind === 'checklist') {
        if (isUp(key)) setIndex(current => (current - 1 + rows) % rows);
        else if (isDown(key)) setIndex(current => (current + 1) % rows);
        else if (key.name === 'home') setIndex(0);
        else if (key.name === 'end') setIndex(rows - 1);
        else if (key.name === 'escape' || key.name === 'backspace') back();
        else if (!items) return;
        else if (key.name === 'return') {
          const at = indexRef.current;
          if (at === items.length) setView({kind: 'summary'});
          else void openItem(items[at]!.id);
        } else if (key.name === 'space' || isChar(key, 's')) {
          const at = indexRef.current;
          if (at < items.length) toggleSkip(items[at]!.id);
        } else if (isChar(key, 'c')) setView({kind: 'summary'});
        else if (isChar(key, 'r')) refresh([...itemIds], requestRef.current);
      } else if (view.kind === 'summary') {
        if (key.name === 'escape' || key.name === 'backspace') setView({kind: 'checklist'});
        else if (key.name === 'return' && checking.length === 0) void startWriting();
      } else if (view.kind === 'writing') {
        if (key.name === 'escape') controller.current?.abort();
      } else if (view.kind === 'error') {
        if (key.name === 'return' || key.name === 'escape') setView({kind: 'checklist'});
      }
    },
    // Until the items are read, typed-ahead keys wait for them (a burst "Down Enter" must not be spent on an empty list).
    {isActive: ['checklist', 'summary', 'writing', 'error'].includes(view.kind), holdKeys: !items && !problem},
  );

  const width = layout.columns - 1;
  const title = (text: string) => <Text bold wrap="truncate-end">{clip(text, width, layout.ascii)}</Text>;

  if (view.kind === 'version') {
    return (
      <Box flexDirection="column">
        {title('NoSpamProxy version (as shown on the start page of the NoSpamProxy console)')}
        <TextField
          label="Version"
          initialValue={requestRef.current.nspVersion ?? ''}
          placeholder="e.g. 15.2.1.7"
          validate={value => (/^[0-9A-Za-z][0-9A-Za-z.\- ]{0,39}$/.test(value.trim()) ? undefined : 'digits, letters, dots and dashes, at most 40')}
          onSubmit={value => {
            update({nspVersion: value.trim()}, ['version']);
            setView({kind: 'checklist'});
          }}
          onCancel={() => setView({kind: 'checklist'})}
        />
        <Text dimColor>Enter save  Esc cancel</Text>
      </Box>
    );
  }
  if (view.kind === 'description' || view.kind === 'queue-note') {
    const isNote = view.kind === 'queue-note';
    return (
      <TextEditor
        title={isNote ? 'Email queues / emails on hold: what does Monitoring show?' : 'Describe the problem: what happens, since when, who is affected'}
        initialText={(isNote ? requestRef.current.queueNote : requestRef.current.description) ?? ''}
        rows={Math.max(3, layout.bodyRows - 3)}
        onSave={text => {
          if (isNote) update({queueNote: text}, ['queues']);
          else update({description: text, descriptionFile: undefined, descriptionTyped: true}, ['description']);
          setView(isNote ? {kind: 'queues'} : {kind: 'checklist'});
        }}
        onCancel={() => setView(isNote ? {kind: 'queues'} : {kind: 'checklist'})}
      />
    );
  }
  if (view.kind === 'pick') {
    const target = view.target;
    const messageTracks = join(context.root, 'MessageTracks');
    // Message tracks open in the data root's MessageTracks; everything else in the last folder used or the documents.
    const start = target === 'message-tracks' && existsSync(messageTracks) ? messageTracks : undefined;
    const current = target === 'message-tracks' ? requestRef.current.messageTracks : target === 'attachments' ? requestRef.current.attachments : target === 'queue-files' ? requestRef.current.queueFiles : requestRef.current.eventLogFile ? [requestRef.current.eventLogFile] : [];
    const titles: Record<PickTarget, string> = {'message-tracks': 'Message tracks (JSON)', attachments: 'Screenshots & attachments', 'queue-files': 'Queue / on-hold files', 'eventlog-file': 'Exported event log'};
    const done = (paths: string[]) => {
      if (target === 'message-tracks') update({messageTracks: paths}, ['message-tracks']);
      else if (target === 'attachments') update({attachments: paths}, ['attachments']);
      else if (target === 'queue-files') update({queueFiles: paths}, ['queues']);
      else update({eventLogFile: paths[0]}, ['eventlog']);
      setView(target === 'queue-files' ? {kind: 'queues'} : {kind: 'checklist'});
    };
    return (
      <FilePicker
        title={titles[target]}
        startFolder={start}
        stateDir={context.stateDir}
        extensions={target === 'message-tracks' ? ['.json'] : target === 'eventlog-file' ? ['.evtx', '.csv', '.txt', '.xml'] : undefined}
        multiple={target !== 'eventlog-file'}
        initialSelection={current}
        onDone={done}
        onCancel={() => setView(target === 'queue-files' ? {kind: 'queues'} : {kind: 'checklist'})}
      />
    );
  }
  if (view.kind === 'queues') {
    return (
      <Box flexDirection="column">
        {title('Email queues and emails on hold')}
        <Text dimColor wrap="truncate-end">{clip(`note: ${requestRef.current.queueNote?.split('\n')[0] ?? '(none)'}  files: ${requestRef.current.queueFiles.length}`, width, layout.ascii)}</Text>
        <Menu
          items={[
            {value: 'note', label: 'Write or change the note'},
            {value: 'files', label: 'Choose exported files / screenshots'},
            {value: 'back', label: 'Back to the checklist'},
          ]}
          onSelect={choice => setView(choice.value === 'note' ? {kind: 'queue-note'} : choice.value === 'files' ? {kind: 'pick', target: 'queue-files'} : {kind: 'checklist'})}
          onBack={() => setView({kind: 'checklist'})}
        />
      </Box>
    );
  }
  if (view.kind === 'eventlog') {
    const range = `${requestRef.current.since?.toISOString() ?? 'default'} .. ${requestRef.current.until?.toISOString() ?? 'now'}`;
    return (
      <Box flexDirection="column">
        {title('Event log "Net at Work Mail Gateway": warnings and errors')}
        <Text dimColor wrap="truncate-end">{clip(`range: ${range}${requestRef.current.eventLogFile ? `  attached: ${requestRef.current.eventLogFile}` : ''}`, width, layout.ascii)}</Text>
        <Menu
          items={[
            {value: 'export', label: 'Export now for this range', hint: 'wevtutil / Get-WinEvent'},
            {value: 'since', label: 'Change the start (since)'},
            {value: 'until', label: 'Change the end (until)'},
            {value: 'file', label: 'Attach an exported file instead'},
            {value: 'back', label: 'Back to the checklist'},
          ]}
          onSelect={choice => {
            if (choice.value === 'export') {
              update({eventLogFile: undefined}, ['eventlog']);
              setView({kind: 'checklist'});
            } else if (choice.value === 'since' || choice.value === 'until') setView({kind: 'range', field: choice.value});
            else if (choice.value === 'file') setView({kind: 'pick', target: 'eventlog-file'});
            else setView({kind: 'checklist'});
          }}
          onBack={() => setView({kind: 'checklist'})}
        />
      </Box>
    );
  }
  if (view.kind === 'range') {
    const field = view.field;
    return (
      <Box flexDirection="column">
        {title(`Event log range: ${field}`)}
        <Text dimColor>{'"2026-11-27 08:00", 2026-11-27T08:00:00Z, 24h (ago), 2d, now'}</Text>
        <TextField
          label={field}
          validate={value => {
            try {
              parseTime(value, field, new Date());
              return undefined;
            } catch (error) {
              return errorMessage(error);
            }
          }}
          onSubmit={value => {
            update({[field]: parseTime(value, field, new Date())}, []);
            setView({kind: 'eventlog'});
          }}
          onCancel={() => setView({kind: 'eventlog'})}
        />
      </Box>
    );
  }
  if (view.kind === 'logs') {
    const runs = view.runs;
    return (
      <Box flexDirection="column">
        {title('Troubleshooting logs: which run?')}
        <Menu
          maxRows={Math.max(3, layout.bodyRows - 3)}
          items={[
            ...runs.map((run, position) => ({value: run.id, label: `${position === 0 ? 'latest: ' : ''}${run.id}`, hint: `${new Date(run.startedAt).toISOString().slice(0, 16).replace('T', ' ')} ${run.roles.join(', ')}`.slice(0, Math.max(0, width - run.id.length - 14))})),
            {value: '\u0000none', label: 'none (leave the logs out)'},
          ]}
          onSelect={choice => {
            update({logs: choice.value === '\u0000none' ? undefined : choice.value}, ['logs', 'eventlog']);
            setView({kind: 'checklist'});
          }}
          onBack={() => setView({kind: 'checklist'})}
        />
      </Box>
    );
  }
  if (view.kind === 'summary' && items) {
    const found = items.filter(item => item.status === 'found');
    const entries = found.flatMap(item => item.entries).length;
    let outPath: string;
    try {
      outPath = chooseOutputPath(context, undefined, new Date());
    } catch (error) {
      outPath = errorMessage(error);
    }
    const open = items.filter(item => item.status !== 'found');
    // The caps the writer will use (settings.json "bundle"), so size and cuts are told before writing.
    const limits = typeof summaryLimits === 'object' ? summaryLimits : defaultLimits;
    const sizes = found.flatMap(item => item.entries).map(entry => ({name: entry.path.split('/').at(-1)!, size: entry.input.kind === 'bytes' ? entry.input.data.length : entry.input.size}));
    const unlimited = sizes.reduce((sum, entry) => sum + entry.size, 0);
    const cut = sizes.filter(entry => entry.size > limits.maxFileBytes);
    const lines = [
      `${entries} file(s) from ${found.length} item(s), about ${formatBytes(plannedBytes(items, limits))} before compression`,
      `to ${outPath}`,
      ...(typeof summaryLimits === 'string' ? [`settings.json: ${summaryLimits}`] : []),
      ...cut.map(entry => `will be cut: ${entry.name} (${formatBytes(entry.size)}, the first ${formatBytes(limits.maxFileBytes)} are kept)`),
      ...(unlimited > limits.maxTotalBytes ? [`over the total cap of ${formatBytes(limits.maxTotalBytes)}: the last files are cut or left out`] : []),
      ...open.map(item => `${item.status === 'skipped' ? 'left out' : 'missing'}: ${item.label} (${item.summary})`),
    ].flatMap(line => wrapWords(line, width));
    // Wrapped, never cut (the path is copied); what does not fit the body is counted.
    const room = Math.max(2, layout.bodyRows - 3);
    const shown = lines.length > room ? [...lines.slice(0, room - 1), `... and ${lines.length - room + 1} more lines`] : lines;
    return (
      <Box flexDirection="column">
        {title('Summary: write the support bundle?')}
        {shown.map((line, position) => (
          <Text key={position}>{line}</Text>
        ))}
        <Text dimColor>{checking.length > 0 ? 'still checking items...' : 'Enter write the ZIP  Esc back to the checklist'}</Text>
      </Box>
    );
  }
  if (view.kind === 'writing') {
    const fraction = progress && progress.bytesTotal > 0 ? progress.bytesDone / progress.bytesTotal : 0;
    return (
      <Box flexDirection="column">
        {title('Writing the support bundle...')}
        <Text>{`${progressBar(fraction, Math.min(50, width - 10), layout.ascii)} ${Math.floor(fraction * 100)}%`}</Text>
        <Text>{progress ? `${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)}, ${progress.entriesDone}/${progress.entriesTotal} entries` : 'starting...'}</Text>
        <Text dimColor>Esc abort (the partial ZIP is removed)</Text>
      </Box>
    );
  }
  if (view.kind === 'done') return <BundleDone written={view.written} stateDir={context.stateDir} platform={context.platform} onBack={() => setView({kind: 'checklist'})} />;
  if (view.kind === 'error') {
    return (
      <Box flexDirection="column">
        <Text bold color="red">{`${g.fail} The bundle was not written`}</Text>
        <Text wrap="wrap">{view.message}</Text>
        <Text dimColor>Enter back to the checklist</Text>
      </Box>
    );
  }

  // Checklist
  if (!items) {
    return (
      <Box flexDirection="column">
        {title('Support data bundle')}
        <Text>{problem ? '' : 'Looking for version, configuration, event log, runs...'}</Text>
        {problem ? <Text color="red">{problem}</Text> : null}
      </Box>
    );
  }
  const found = items.filter(item => item.status === 'found').length;
  const toEnter = items.filter(item => item.status === 'to-enter').length;
  const selected = items[index];
  const detailLines = selected ? [selected.summary, ...selected.details].slice(0, 3) : ['Shows the summary (size, path), then writes the ZIP.'];
  const listRows = Math.max(3, layout.bodyRows - 2 - detailLines.length - 1);
  const all = [...items.map(item => ({item})), {item: undefined}];
  const pageStart = Math.floor(index / listRows) * listRows;
  const labelWidth = 29;
  return (
    <Box flexDirection="column">
      {title(`Support data: ${found} found, ${toEnter} to enter, ${items.length - found - toEnter} skipped`)}
      {all.slice(pageStart, pageStart + listRows).map(({item}, offset) => {
        const active = pageStart + offset === index;
        const pointer = active ? `${g.pointer} ` : '  ';
        if (!item) {
          return (
            <Text key="create" color={active ? 'cyan' : undefined} bold={active}>
              {`${pointer}>> Create the bundle (summary first)`}
            </Text>
          );
        }
        const state = checking.includes(item.id) ? 'checking' : item.status;
        return (
          <Text key={item.id} wrap="truncate-end">
            <Text color={active ? 'cyan' : undefined}>{pointer}</Text>
            <Text color={statusColor[state]}>{`${statusText[state].padEnd(9)}`}</Text>
            <Text color={active ? 'cyan' : undefined} bold={active}>{clip(item.label, labelWidth - 1, layout.ascii).padEnd(labelWidth)}</Text>
            <Text dimColor>{clip(item.summary, width - 2 - 9 - labelWidth, layout.ascii)}</Text>
          </Text>
        );
      })}
      {detailLines.map((line, position) => (
        <Text key={`detail-${position}`} dimColor wrap="truncate-end">
          {clip(`   ${line}`, width, layout.ascii)}
        </Text>
      ))}
      {problem ? (
        <Text color="red" wrap="truncate-end">
          {clip(problem, width, layout.ascii)}
        </Text>
      ) : (
        <Text dimColor wrap="truncate-end">{clip(`${all.length > listRows ? `page ${Math.floor(index / listRows) + 1}/${Math.ceil(all.length / listRows)}  ` : ''}Enter fill in  s skip/include  c create  r re-check  Esc back`, width, layout.ascii)}</Text>
      )}
    </Box>
  );
}
