import React from 'react';
import {Box, Text} from 'ink';
import {formatBytes} from '../../source/archive/zip-writer.js';
import {defaultLimits, type BundleItem} from '../../source/bundle/types.js';
import {plannedBytes} from '../../source/bundle/write.js';
import {useKeyTable} from '../input/key-table.js';
import {useLayout} from '../layout.js';
import {wrapWords} from '../text/wrap.js';
import {Title} from './parts.js';
import type {Bundle} from './use-bundle.js';

/** Before writing: how many files, how big, where to, what will be cut or is missing. */
export function SummaryView({bundle, items}: {bundle: Bundle; items: readonly BundleItem[]}) {
  const layout = useLayout();
  const width = layout.columns - 1;
  const {checking, summary} = bundle.state;
  const ready = checking.length === 0 && summary !== undefined;
  useKeyTable(
    [
      {keys: 'Enter', does: 'write the ZIP', matches: key => key.name === 'return', run: () => void bundle.startWriting(), when: ready},
      {keys: 'Esc', does: 'back to the checklist', matches: key => key.name === 'escape' || key.name === 'backspace', run: () => bundle.show({kind: 'checklist'})},
    ],
    // Until the output path and the caps are read, typed-ahead keys wait (an Enter typed at once still writes).
    {holdKeys: summary === undefined},
  );
  const found = items.filter(item => item.status === 'found');
  const entries = found.flatMap(item => item.entries).length;
  const open = items.filter(item => item.status !== 'found');
  // The caps the writer will use (settings.json "bundle"), so size and cuts are told before writing.
  const limits = typeof summary?.limits === 'object' ? summary.limits : defaultLimits;
  const sizes = found.flatMap(item => item.entries).map(entry => ({name: entry.path.split('/').at(-1)!, size: entry.input.kind === 'bytes' ? entry.input.data.length : entry.input.size}));
  const unlimited = sizes.reduce((sum, entry) => sum + entry.size, 0);
  const cut = sizes.filter(entry => entry.size > limits.maxFileBytes);
  const lines = [
    `${entries} file(s) from ${found.length} item(s), about ${formatBytes(plannedBytes(items, limits))} before compression`,
    `to ${summary?.outPath ?? '...'}`,
    ...(typeof summary?.limits === 'string' ? [`settings.json: ${summary.limits}`] : []),
    ...cut.map(entry => `will be cut: ${entry.name} (${formatBytes(entry.size)}, the first ${formatBytes(limits.maxFileBytes)} are kept)`),
    ...(unlimited > limits.maxTotalBytes ? [`over the total cap of ${formatBytes(limits.maxTotalBytes)}: the last files are cut or left out`] : []),
    ...open.map(item => `${item.status === 'skipped' ? 'left out' : 'missing'}: ${item.label} (${item.summary})`),
  ].flatMap(line => wrapWords(line, width));
  // Wrapped, never cut (the path is copied); what does not fit the body is counted.
  const room = Math.max(2, layout.bodyRows - 3);
  const shown = lines.length > room ? [...lines.slice(0, room - 1), `... and ${lines.length - room + 1} more lines`] : lines;
  return (
    <Box flexDirection="column">
      <Title>Summary: write the support bundle?</Title>
      {shown.map((line, position) => (
        <Text key={position}>{line}</Text>
      ))}
      {checking.length > 0 ? <Text dimColor>still checking items...</Text> : summary === undefined ? <Text dimColor>reading the settings...</Text> : null}
    </Box>
  );
}
