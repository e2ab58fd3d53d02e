import React from 'react';
import {Box, Text} from 'ink';
import type {BundleItem} from '../../source/bundle/types.js';
import {isChar, isDown, isUp} from '../../source/input/keys.js';
import {useKeyTable} from '../input/key-table.js';
import {glyphs, useLayout} from '../layout.js';
import {clip, Title} from './parts.js';
import type {Bundle} from './use-bundle.js';

const statusText: Record<BundleItem['status'] | 'checking', string> = {found: 'found', skipped: 'skipped', 'to-enter': 'to enter', checking: 'checking'};
const statusColor: Record<BundleItem['status'] | 'checking', string | undefined> = {found: 'green', skipped: 'gray', 'to-enter': 'yellow', checking: 'cyan'};

/** The support-data checklist: every item with its state; Enter fills one in, c goes to the summary. */
export function ChecklistView({bundle, back}: {bundle: Bundle; back: () => void}) {
  const layout = useLayout();
  const g = glyphs(layout.ascii);
  const {state, dispatch} = bundle;
  const {items, index, problem, checking} = state;
  const selected = items?.[index];
  const onCreate = items !== undefined && index === items.length;
  useKeyTable(
    [
      {keys: 'Up/Down', does: 'move', matches: key => isUp(key) || isDown(key), run: key => dispatch({type: 'move', delta: isUp(key) ? -1 : 1}), helpOnly: true},
      {keys: 'Home/End', does: 'first / last', matches: key => key.name === 'home' || key.name === 'end', run: key => dispatch({type: 'jump', to: key.name === 'home' ? 'first' : 'last'}), helpOnly: true},
      {keys: 'Enter', does: onCreate ? 'summary' : 'fill in', matches: key => key.name === 'return', run: () => (onCreate ? bundle.show({kind: 'summary'}) : selected && void bundle.openItem(selected.id)), when: items !== undefined},
      {keys: 's', does: 'skip/include', matches: key => key.name === 'space' || isChar(key, 's'), run: () => selected && bundle.toggleSkip(selected.id), when: selected !== undefined},
      {keys: 'c', does: 'create', matches: key => isChar(key, 'c'), run: () => bundle.show({kind: 'summary'}), when: items !== undefined},
      {keys: 'r', does: 're-check', matches: key => isChar(key, 'r'), run: bundle.recheckAll, when: items !== undefined},
      {keys: 'Esc', does: 'back', matches: key => key.name === 'escape' || key.name === 'backspace', run: back},
    ],
    // Until the items are read, typed-ahead keys wait for them (a burst "Down Enter" must not be spent on an empty list).
    {holdKeys: !items && !problem},
  );

  const width = layout.columns - 1;
  if (!items) {
    return (
      <Box flexDirection="column">
        <Title>Support data bundle</Title>
        <Text>{problem ? '' : 'Looking for version, configuration, event log, runs...'}</Text>
        {problem ? <Text color="red">{problem}</Text> : null}
      </Box>
    );
  }
  const found = items.filter(item => item.status === 'found').length;
  const toEnter = items.filter(item => item.status === 'to-enter').length;
  const detailLines = selected ? [selected.summary, ...selected.details].slice(0, 3) : ['Shows the summary (size, path), then writes the ZIP.'];
  const listRows = Math.max(3, layout.bodyRows - 2 - detailLines.length - 1);
  const all = [...items.map(item => ({item})), {item: undefined}];
  const pageStart = Math.floor(index / listRows) * listRows;
  const labelWidth = 29;
  return (
    <Box flexDirection="column">
      <Title>{`Support data: ${found} found, ${toEnter} to enter, ${items.length - found - toEnter} skipped`}</Title>
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
        const shown = checking.includes(item.id) ? 'checking' : item.status;
        return (
          <Text key={item.id} wrap="truncate-end">
            <Text color={active ? 'cyan' : undefined}>{pointer}</Text>
            <Text color={statusColor[shown]}>{`${statusText[shown].padEnd(9)}`}</Text>
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
      ) : all.length > listRows ? (
        <Text dimColor>{`page ${Math.floor(index / listRows) + 1}/${Math.ceil(all.length / listRows)}`}</Text>
      ) : null}
    </Box>
  );
}
