import React, {useState} from 'react';
import {Box, Text} from 'ink';
import {formatPlan, type ProxyPlan} from '../../source/cyren/proxy-files.js';
import {isDown, isUp} from '../../source/input/keys.js';
import {maskSecrets} from '../../source/system/session-record.js';
import {useKeys} from '../input/key-router.js';
import {useLayout} from '../layout.js';
import {Line} from './Line.js';

/** The diff of the proxy lines (password masked), scrollable; y writes, t tests first, n goes back. */
export function ReviewView({plan, onConfirm, onCancel, onTest}: {plan: ProxyPlan; onConfirm: () => void; onCancel: () => void; onTest?: () => void}) {
  const layout = useLayout();
  const lines = formatPlan(plan).map(line => maskSecrets(line));
  const pageSize = Math.max(3, layout.bodyRows - 4);
  const [offset, setOffset] = useState(0);
  const maxOffset = Math.max(0, lines.length - pageSize);
  useKeys(key => {
    // Only an explicit y writes: a stray Enter (key repeat, an SSH burst) must not.
    if (key.name === 'char' && /^y$/i.test(key.input)) onConfirm();
    else if (key.name === 'escape' || (key.name === 'char' && /^n$/i.test(key.input))) onCancel();
    else if (onTest && key.name === 'char' && /^t$/i.test(key.input)) onTest();
    else if (key.name === 'pagedown' || key.name === 'space') setOffset(current => Math.min(maxOffset, current + pageSize));
    else if (key.name === 'pageup') setOffset(current => Math.max(0, current - pageSize));
    else if (isDown(key)) setOffset(current => Math.min(maxOffset, current + 1));
    else if (isUp(key)) setOffset(current => Math.max(0, current - 1));
  });
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
