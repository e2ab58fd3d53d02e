import React, {useCallback, useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import {errorMessage} from '../../source/errors.js';
import {runHealth} from '../../source/health/run.js';
import type {HealthReport} from '../../source/health/types.js';
import {isChar} from '../../source/input/keys.js';
import {fitLine} from '../cyren/Line.js';
import {useKeyTable} from '../input/key-table.js';
import {statusColor, statusMark, useLayout} from '../layout.js';
import {healthRows, wrapHealthRows, type HealthRow} from './health-rows.js';
import type {ScreenProps} from '../screen-types.js';

export const healthKeys: [string, string][] = [
  ['Up / Down, PgUp / PgDn', 'scroll'],
  ['r', 'check again'],
  ['Esc', 'back'],
];

/** The server at a glance: every probe at once, each line with what to do next and which screen does it. */
export function HealthScreen({context, back, setKeyHelp}: ScreenProps) {
  const layout = useLayout();
  const [report, setReport] = useState<HealthReport | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [top, setTop] = useState(0);
  useEffect(() => setKeyHelp(healthKeys), [setKeyHelp]);
  const check = useCallback(() => {
    setReport(undefined);
    setProblem(undefined);
    runHealth(context).then(setReport, error => setProblem(errorMessage(error)));
  }, [context]);
  useEffect(check, [check]);
  const lines = report ? wrapHealthRows(healthRows(report, layout.ascii), layout.columns, layout.ascii) : [];
  const visible = Math.max(1, layout.bodyRows - 2);
  const maxTop = Math.max(0, lines.length - visible);
  const paged = lines.length > visible;
  useKeyTable([
    {
      keys: 'r',
      does: 'check again',
      matches: key => isChar(key, 'r'),
      run: () => {
        setTop(0);
        check();
      },
    },
    {keys: 'PgUp/PgDn', does: 'page', matches: key => key.name === 'pageup' || key.name === 'pagedown', run: key => setTop(current => (key.name === 'pageup' ? Math.max(0, current - visible) : Math.min(maxTop, current + visible))), when: paged},
    {keys: 'Up/Down', does: 'scroll', matches: key => key.name === 'up' || key.name === 'down', run: key => setTop(current => (key.name === 'up' ? Math.max(0, current - 1) : Math.min(maxTop, current + 1))), when: paged, helpOnly: true},
    {keys: 'Esc', does: 'back', matches: key => key.name === 'escape', run: back},
  ]);
  if (problem) return <Text color="red">{`Health check failed: ${problem}  (r: again, Esc: back)`}</Text>;
  if (!report) return <Text dimColor>Checking services, event log, disk, logs, CYREN and key servers...</Text>;
  const shown = lines.slice(top, top + visible);
  return (
    <Box flexDirection="column">
      <Text bold>{`Health: ${report.attention ? `something needs attention (${statusMark('failed', layout.ascii)})` : 'nothing needs attention'}`}</Text>
      {shown.map((row, index) => (
        <RowLine key={top + index} row={row} />
      ))}
      {paged ? <Text dimColor>{`lines ${top + 1}-${Math.min(lines.length, top + visible)} of ${lines.length}`}</Text> : null}
    </Box>
  );
}

/** A row (already wrapped to the width): the mark in its status colour (readable without colour too), then the text. */
function RowLine({row}: {row: HealthRow}) {
  const {columns, ascii} = useLayout();
  const mark = row.status ? `${statusMark(row.status, ascii)} ` : '';
  const room = Math.max(10, columns - row.indent - mark.length);
  return (
    <Text wrap="truncate-end">
      {' '.repeat(row.indent)}
      {row.status ? <Text color={statusColor[row.status]}>{mark}</Text> : null}
      <Text dimColor={row.dim} bold={row.bold}>
        {fitLine(row.text, room + 1, ascii)}
      </Text>
    </Text>
  );
}
