import React, {useCallback, useEffect, useRef, useState} from 'react';
import {Box, Text} from 'ink';
import type {CatalogueEntry} from '../../source/keyservers/catalogue.js';
import type {ConnectivityResult} from '../../source/keyservers/connectivity.js';
import type {ConsoleContext} from '../../source/context.js';
import {isChar, isDown, isUp} from '../../source/input/keys.js';
import {useKeyTable} from '../input/key-table.js';
import {glyphs, useLayout, useMeasuredHeight} from '../layout.js';
import {nameCell, nameColumnWidth} from './rows.js';
import {Line} from './Line.js';
import {useSpinnerFrame} from './spinner.js';

/** `t`: per directory TCP reachable, bind result, base DN, round-trip time; live rows. */
export function ConnectivityView({context, directories, timeoutMs, onBack}: {context: ConsoleContext; directories: CatalogueEntry[]; timeoutMs: number; onBack: () => void}) {
  const layout = useLayout();
  const g = glyphs(layout.ascii);
  const [results, setResults] = useState<Record<string, ConnectivityResult>>({});
  const [running, setRunning] = useState(false);
  const [selected, setSelected] = useState(0);
  const generation = useRef(0);
  const spinner = useSpinnerFrame(running, layout.ascii);
  const run = useCallback(() => {
    const current = ++generation.current;
    setResults({});
    setRunning(true);
    void import('../../source/keyservers/connectivity.js').then(({testDirectories}) =>
      testDirectories(directories, {
        timeoutMs,
        env: context.env,
        onResult: result => {
          if (generation.current === current) setResults(previous => ({...previous, [result.id]: result}));
        },
      }).finally(() => {
        if (generation.current === current) setRunning(false);
      }),
    );
  }, [directories, timeoutMs, context.env]);
  useEffect(() => {
    run();
    const counter = generation;
    return () => {
      counter.current++;
    };
  }, [run]);
  // The rows get what the title, the selected directory's steps (wrapped) and the key line leave.
  const [bottomRef, bottomHeight] = useMeasuredHeight();
  const available = layout.bodyRows - 1 - bottomHeight;
  const pageSize = Math.max(1, directories.length > available ? available - 1 : available);
  const pages = Math.ceil(directories.length / pageSize);
  const pageStart = Math.floor(selected / pageSize) * pageSize;
  const many = directories.length > 1;
  useKeyTable([
    {keys: 'Up/Down', does: 'the steps of a directory', matches: key => isUp(key) || isDown(key), run: key => setSelected(current => (current + (isUp(key) ? -1 : 1) + directories.length) % directories.length), when: many},
    {keys: 'PgUp/PgDn', does: 'page', matches: key => key.name === 'pageup' || key.name === 'pagedown', run: key => setSelected(current => (key.name === 'pageup' ? Math.max(0, current - pageSize) : Math.min(directories.length - 1, current + pageSize))), when: pages > 1},
    {keys: 'Home/End', does: 'first / last', matches: key => key.name === 'home' || key.name === 'end', run: key => setSelected(key.name === 'home' ? 0 : directories.length - 1), when: many, helpOnly: true},
    {keys: 't', does: 'test again', matches: key => isChar(key, 't'), run: run, when: !running},
    {keys: 'Esc', does: 'back', matches: key => key.name === 'escape' || key.name === 'backspace', run: onBack},
  ]);
  const nameWidth = Math.min(nameColumnWidth(layout.columns), Math.max(8, ...directories.map(directory => directory.name.length)));
  const chosen = directories[selected] ? results[directories[selected]!.id] : undefined;
  return (
    <Box flexDirection="column">
      <Text bold>{`Connectivity test (deadline ${timeoutMs / 1000} s)`}</Text>
      {directories.slice(pageStart, pageStart + pageSize).map((directory, offset) => {
        const result = results[directory.id];
        const isSelected = pageStart + offset === selected;
        return (
          <Box key={directory.id}>
            <Text color={isSelected ? 'cyan' : undefined}>{isSelected ? `${g.pointer} ` : '  '}</Text>
            <Text bold={isSelected}>{nameCell(directory.name, nameWidth, g.ellipsis)} </Text>
            <Box flexGrow={1}>
              <Line width={layout.columns - nameWidth - 12} color={result ? (result.ok ? 'green' : result.bind.status === 'needs-credentials' ? 'yellow' : 'red') : undefined}>
                {result ? verdict(result) : `${spinner} testing${g.ellipsis}`}
              </Line>
            </Box>
            <Text dimColor>{(result ? `${result.elapsedMs} ms` : '').padStart(9)}</Text>
          </Box>
        );
      })}
      {pages > 1 ? <Text dimColor>{`page ${Math.floor(selected / pageSize) + 1}/${pages}  PgUp/PgDn Home/End`}</Text> : null}
      <Box ref={bottomRef} flexDirection="column" flexShrink={0}>
        {chosen ? (
          <>
            <Text dimColor>{`tcp:  ${chosen.tcp.status}: ${chosen.tcp.message}`}</Text>
            <Text dimColor>{chosen.bind.status === 'skipped' ? 'bind: not tried' : `bind: ${chosen.bind.status}: ${chosen.bind.message}`}</Text>
            <Text dimColor>{chosen.base.status === 'skipped' ? 'base: not tried' : `base: ${chosen.base.status}: ${chosen.base.message}`}</Text>
          </>
        ) : (
          <Text> </Text>
        )}
        <Text dimColor>{running ? `testing${g.ellipsis}  Esc back` : 't test again  Esc back'}</Text>
      </Box>
    </Box>
  );
}

function verdict(result: ConnectivityResult): string {
  if (result.ok) return `OK  tcp ${result.tcp.rttMs} ms, ldap rtt ${result.rttMs ?? '?'} ms, ${result.bind.status}`;
  if (result.tcp.status !== 'ok') return `unreachable: ${result.errorKind ?? 'other'}`;
  if (result.bind.status === 'needs-credentials') return 'reachable; needs credentials';
  if (result.bind.status === 'failed') return `bind failed: ${result.errorKind ?? 'other'}`;
  return `base: ${result.base.status} (${result.errorKind ?? 'other'})`;
}
