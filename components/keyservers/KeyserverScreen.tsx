import React, {useCallback, useEffect, useRef, useState} from 'react';
import {Box, Text} from 'ink';
import {errorMessage} from '../../source/errors.js';
import type {CatalogueEntry} from '../../source/keyservers/catalogue.js';
import {checkEmailAddress} from '../../source/keyservers/filter.js';
import {directorySummary} from '../../source/keyservers/format.js';
import type {DirectoryResult} from '../../source/keyservers/lookup.js';
import {isChar, isDown, isUp} from '../../source/input/keys.js';
import {useKeyTable, type KeyBinding} from '../input/key-table.js';
import {glyphs, useLayout, useMeasuredHeight} from '../layout.js';
import type {KeyHelp, ScreenProps} from '../screen-types.js';
import {TextField} from '../widgets/TextField.js';
import {CertificateView} from './CertificateView.js';
import {ConnectivityView} from './ConnectivityView.js';
import {DirectoryManager} from './DirectoryManager.js';
import {ResultRows, RowMessage, type RowState} from './rows.js';
import {useSpinnerFrame} from './spinner.js';

const timeoutMs = 10_000;

const lookupKeys: KeyHelp = [
  ['a or /', 'type an address'],
  ['Enter', 'open the certificates of the row'],
  ['r', 'run again with the last address'],
  ['t', 'connectivity test'],
  ['d', 'directories: add, edit, remove'],
  ['c', 'credentials for the row'],
  ['PgUp/PgDn', 'more directories'],
];

const testKeys: KeyHelp = [
  ['Up/Down', 'the steps of a directory'],
  ['t', 'test again'],
];

type View = {kind: 'lookup'} | {kind: 'certificates'; result: DirectoryResult} | {kind: 'test'} | {kind: 'directories'} | {kind: 'credentials'; directory: CatalogueEntry};

/** Type an address; every directory is asked in parallel and its row updates live. */
export function KeyserverScreen({context, back, setKeyHelp}: ScreenProps) {
  const layout = useLayout();
  const g = glyphs(layout.ascii);
  const [catalogue, setCatalogue] = useState<CatalogueEntry[] | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [view, setView] = useState<View>({kind: 'lookup'});
  const [editing, setEditing] = useState(true);
  const [address, setAddress] = useState('');
  const [rows, setRows] = useState<RowState[]>([]);
  const [selected, setSelected] = useState(0);
  const [notice, setNotice] = useState<string | undefined>();
  /** Typed before the directory list had loaded: looked up as soon as it has. */
  const [pending, setPending] = useState<string | undefined>();
  const run = useRef(0);
  const running = rows.some(row => row.result === 'running');
  const spinner = useSpinnerFrame(running, layout.ascii);

  const reload = useCallback(async () => {
    const {loadCatalogue} = await import('../../source/keyservers/directory-store.js');
    try {
      const loaded = await loadCatalogue(context.stateDir);
      setCatalogue(loaded);
      setProblem(undefined);
      setRows(current => loaded.map(directory => ({id: directory.id, name: directory.name, result: current.find(row => row.id === directory.id)?.result})));
    } catch (error) {
      // The built-ins still work; the broken custom part is named, never overwritten (saving refuses too).
      const {mergeCatalogue} = await import('../../source/keyservers/catalogue.js');
      setProblem(`Custom directories not loaded: ${errorMessage(error)}`);
      const builtIns = mergeCatalogue([]);
      setCatalogue(current => current ?? builtIns);
      setRows(current => (current.length > 0 ? current : builtIns.map(directory => ({id: directory.id, name: directory.name}))));
    }
  }, [context.stateDir]);
  useEffect(() => {
    void reload();
    void import('../../source/keyservers/ldap-session.js').then(({preloadLdapClient}) => preloadLdapClient());
  }, [reload]);
  useEffect(() => {
    // The certificate view and the directory manager have key tables: their help is exactly those keys.
    setKeyHelp(view.kind === 'test' ? testKeys : view.kind === 'lookup' ? lookupKeys : []);
  }, [setKeyHelp, view.kind]);

  const lookup = useCallback(
    (target: string) => {
      if (!catalogue || catalogue.length === 0) return;
      const current = ++run.current;
      setAddress(target);
      setNotice(undefined);
      setRows(catalogue.map(directory => ({id: directory.id, name: directory.name, result: 'running'})));
      void import('../../source/keyservers/lookup.js').then(({lookupAddress}) =>
        lookupAddress(catalogue, target, {
          timeoutMs,
          env: context.env,
          onResult: result => {
            if (run.current !== current) return;
            setRows(previous => previous.map(row => (row.id === result.id ? {...row, result} : row)));
          },
        }),
      );
    },
    [catalogue, context.env],
  );
  /** After credentials were given: ask that one directory again, keeping the other rows. */
  const lookupOne = useCallback(
    (directory: CatalogueEntry) => {
      if (!address) return;
      const current = run.current;
      setRows(previous => previous.map(row => (row.id === directory.id ? {...row, result: 'running'} : row)));
      void import('../../source/keyservers/lookup.js').then(async ({lookupDirectory}) => {
        const result = await lookupDirectory(directory, address, {timeoutMs, env: context.env});
        if (run.current === current) setRows(previous => previous.map(row => (row.id === result.id ? {...row, result} : row)));
      });
    },
    [address, context.env],
  );
  useEffect(
    () => () => {
      run.current++;
    },
    [],
  );
  useEffect(() => {
    if (pending && catalogue && catalogue.length > 0) {
      setPending(undefined);
      lookup(pending);
    }
  }, [pending, catalogue, lookup]);

  const selectedRow = rows[selected];
  // Every directory failed the same way: one line says what to check (not twelve red rows to read).
  const finished = rows.length > 0 && rows.every(row => row.result !== undefined && row.result !== 'running');
  const summary = finished ? directorySummary(rows.map(row => row.result as DirectoryResult)) : undefined;
  const openRow = () => {
    const result = selectedRow?.result;
    if (!result || result === 'running') return;
    if (result.certificates.length > 0) setView({kind: 'certificates', result});
    else if (result.status === 'needs-credentials') {
      const directory = catalogue?.find(item => item.id === result.id);
      if (directory) setView({kind: 'credentials', directory});
    } else setNotice(`${result.name}: no certificate to show (${result.message}).`);
  };
  const many = rows.length > 1;
  // One table: the keys, the footer and the '?' help. A notice answers the previous key; the next makes it stale.
  const table: KeyBinding[] = [
      {keys: 'Enter', does: 'certificates', matches: key => key.name === 'return', run: openRow, when: rows.some(row => row.result !== undefined)},
      {keys: 'Up/Down', does: 'move', matches: key => isUp(key) || isDown(key), run: key => setSelected(current => (current + (isUp(key) ? -1 : 1) + rows.length) % Math.max(1, rows.length)), when: many, helpOnly: true},
      {keys: 'PgUp/PgDn', does: 'page', matches: key => key.name === 'pageup' || key.name === 'pagedown', run: key => setSelected(current => (key.name === 'pageup' ? Math.max(0, current - rowsPerPage) : Math.min(rows.length - 1, current + rowsPerPage))), when: many, helpOnly: true},
      {keys: 'Home/End', does: 'first / last', matches: key => key.name === 'home' || key.name === 'end', run: key => setSelected(key.name === 'home' ? 0 : Math.max(0, rows.length - 1)), when: many, helpOnly: true},
      {keys: 'a', does: 'address', matches: key => isChar(key, 'a') || isChar(key, '/'), run: () => setEditing(true)},
      // In the help only: with it the footer would not fit 80 columns.
      {keys: 'r', does: 'again', matches: key => isChar(key, 'r'), run: () => lookup(address), when: Boolean(address) && !running, helpOnly: true},
      {keys: 't', does: 'test', matches: key => isChar(key, 't'), run: () => setView({kind: 'test'})},
      {keys: 'd', does: 'directories', matches: key => isChar(key, 'd'), run: () => setView({kind: 'directories'})},
      {
        keys: 'c',
        does: 'credentials',
        matches: key => isChar(key, 'c'),
        run: () => {
          const directory = catalogue?.find(item => item.id === selectedRow?.id);
          if (directory) setView({kind: 'credentials', directory});
        },
        helpOnly: true,
      },
      {keys: 'Esc', does: 'back', matches: key => key.name === 'escape' || key.name === 'backspace', run: back},
  ];
  useKeyTable(
    table.map(binding => ({...binding, run: key => (setNotice(undefined), binding.run(key))})),
    {isActive: view.kind === 'lookup' && !editing && catalogue !== undefined, onOtherKey: () => setNotice(undefined)},
  );

  // The list gets what the title, the address field (wrapped, with its error), the problem, the notice and
  // the key line leave; below the rows: the page indicator (when paged) and the selected row's message.
  const [topRef, topHeight] = useMeasuredHeight();
  const [bottomRef, bottomHeight] = useMeasuredHeight();
  const available = layout.bodyRows - topHeight - bottomHeight;
  const rowsPerPage = Math.max(1, rows.length > available ? available - 1 : available);

  if (catalogue && view.kind === 'certificates') return <CertificateView context={context} result={view.result} onBack={() => setView({kind: 'lookup'})} />;
  if (catalogue && view.kind === 'test') return <ConnectivityView context={context} directories={catalogue} timeoutMs={timeoutMs} onBack={() => setView({kind: 'lookup'})} />;
  if (catalogue && (view.kind === 'directories' || view.kind === 'credentials')) {
    return (
      <DirectoryManager
        context={context}
        catalogue={catalogue}
        onChanged={reload}
        initial={view.kind === 'credentials' ? {kind: 'credentials', directory: view.directory} : undefined}
        onBack={() => setView({kind: 'lookup'})}
        onCredentialsGiven={view.kind === 'credentials' ? lookupOne : undefined}
      />
    );
  }
  return (
    <Box flexDirection="column">
      <Box ref={topRef} flexDirection="column" flexShrink={0}>
        <Text bold>{!catalogue ? 'Find S/MIME certificates' : address ? `Certificates for ${address} in ${catalogue.length} directories` : `Find S/MIME certificates in ${catalogue.length} directories`}</Text>
        {/* The same field while the directory list loads and after: what is typed meanwhile is kept. */}
        {editing ? (
          <TextField
            label="Address"
            initialValue={address}
            placeholder="alice@example.com"
            validate={value => checkEmailAddress(value.trim())}
            onSubmit={value => {
              setEditing(false);
              if (catalogue) lookup(value.trim());
              else setPending(value.trim());
            }}
            onCancel={() => (address ? setEditing(false) : back())}
          />
        ) : null}
        {!catalogue ? <Text dimColor>{`Loading the directory list${g.ellipsis}${pending ? ` then looking up ${pending}` : ''}`}</Text> : null}
        {problem ? <Text color="red">{problem}</Text> : null}
      </Box>
      <ResultRows rows={rows} selected={Math.min(selected, Math.max(0, rows.length - 1))} maxRows={rowsPerPage} spinner={spinner} />
      <Box ref={bottomRef} flexDirection="column" flexShrink={0}>
        <RowMessage row={selectedRow} />
        {summary ? <Text color="red">{summary}</Text> : null}
        {notice ? <Text color="yellow">{notice}</Text> : null}
        {/* The results' keys are on the footer; the field says what Enter does here. */}
        {editing ? <Text dimColor>Enter search  Esc cancel</Text> : null}
      </Box>
    </Box>
  );
}
