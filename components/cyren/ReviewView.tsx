import React, {useState} from 'react';
import {Box, Text} from 'ink';
import {formatPlan, type ProxyPlan} from '../../source/cyren/proxy-files.js';
import {isChar, isDown, isUp} from '../../source/input/keys.js';
import {maskSecrets} from '../../source/system/session-record.js';
import {useKeyTable} from '../input/key-table.js';
import {useLayout} from '../layout.js';
import {Line} from './Line.js';

/** The diff of the proxy lines (password masked), scrollable; y writes, t tests first, n goes back. */
export function ReviewView({plan, onConfirm, onCancel, onTest}: {plan: ProxyPlan; onConfirm: () => void; onCancel: () => void; onTest?: () => void}) {
  const layout = useLayout();
  const lines = formatPlan(plan).map(line => maskSecrets(line));
  const pageSize = Math.max(3, layout.bodyRows - 4);
  const [offset, setOffset] = useState(0);
  const maxOffset = Math.max(0, lines.length - pageSize);
  const paged = lines.length > pageSize;
  // Only an explicit y writes: a stray Enter (key repeat, an SSH burst) must not.
  useKeyTable([
    {keys: 'y', does: 'write', matches: key => isChar(key, 'y') || isChar(key, 'Y'), run: onConfirm},
    {keys: 't', does: 'test first', matches: key => isChar(key, 't') || isChar(key, 'T'), run: () => onTest?.(), when: onTest !== undefined},
    {keys: 'n/Esc', does: 'back', matches: key => key.name === 'escape' || isChar(key, 'n') || isChar(key, 'N'), run: onCancel},
    {keys: 'PgUp/PgDn', does: 'page', matches: key => key.name === 'pagedown' || key.name === 'space' || key.name === 'pageup', run: key => setOffset(current => (key.name === 'pageup' ? Math.max(0, current - pageSize) : Math.min(maxOffset, current + pageSize))), when: paged},
    {keys: 'Up/Down', does: 'scroll', matches: key => isUp(key) || isDown(key), run: key => setOffset(current => (isUp(key) ? Math.max(0, current - 1) : Math.min(maxOffset, current + 1))), when: paged, helpOnly: true},
  ]);
  const visible = lines.slice(offset, offset + pageSize);

  return (
    <Box flexDirection="column">
      <Text bold>{`Preview: ${plan.change.kind === 'set' ? 'set the proxy' : 'turn the proxy off'} (password masked)`}</Text>
      {visible.map((line, index) => (
        <Line key={`${offset + index}`} color={/^\s*\d+ \+/.test(line) ? 'green' : /^\s*\d+ -/.test(line) ? 'red' : undefined} bold={!/^\s/.test(line)}>
          {line}
        </Line>
      ))}
      {lines.length > pageSize ? <Text dimColor>{`lines ${offset + 1}-${Math.min(lines.length, offset + pageSize)} of ${lines.length}  (PgUp/PgDn, Up/Down)`}</Text> : null}
      <Text>{`y: write, back up, restart the services   ${onTest ? 't: test first   ' : ''}n/Esc: back`}</Text>
    </Box>
  );
}
