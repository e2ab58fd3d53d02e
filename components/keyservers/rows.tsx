import React from 'react';
import {Box, Text} from 'ink';
import type {DirectoryResult} from '../../source/keyservers/lookup.js';
import {statusLabel} from '../../source/keyservers/format.js';
import {Line} from './Line.js';
import {glyphs, useLayout} from '../layout.js';

export interface RowState {
  id: string;
  name: string;
  /** undefined: not asked yet; 'running': spinner. */
  result?: DirectoryResult | 'running';
}

export function statusColor(result: DirectoryResult): string | undefined {
  if (result.status === 'found') return 'green';
  if (result.status === 'error') return 'red';
  if (result.status === 'needs-credentials') return 'yellow';
  return undefined;
}

/** One row per directory: name, spinner or verdict, time; a page indicator when paged. */
export function ResultRows({rows, selected, maxRows, spinner}: {rows: RowState[]; selected: number; maxRows: number; spinner: string}) {
  const layout = useLayout();
  const g = glyphs(layout.ascii);
  const pageSize = Math.max(1, Math.min(maxRows, rows.length));
  const pageStart = Math.floor(selected / pageSize) * pageSize;
  const nameWidth = Math.min(nameColumnWidth(layout.columns), Math.max(8, ...rows.map(row => row.name.length)));
  const pages = Math.ceil(rows.length / pageSize);
  return (
    <Box flexDirection="column">
      {rows.slice(pageStart, pageStart + pageSize).map((row, offset) => {
        const isSelected = pageStart + offset === selected;
        const result = row.result;
        const verdict = result === undefined ? '-' : result === 'running' ? `${spinner} searching${g.ellipsis}` : summaryText(result);
        const time = result && result !== 'running' && result.status !== 'needs-credentials' ? `${result.elapsedMs} ms` : '';
        return (
          <Box key={row.id}>
            <Text color={isSelected ? 'cyan' : undefined}>{isSelected ? `${g.pointer} ` : '  '}</Text>
            <Text bold={isSelected}>{nameCell(row.name, nameWidth, g.ellipsis)} </Text>
            <Box flexGrow={1}>
              <Line width={layout.columns - nameWidth - 12} color={result && result !== 'running' ? statusColor(result) : undefined} dimColor={result === undefined}>
                {verdict}
              </Line>
            </Box>
            <Text dimColor>{time.padStart(9)}</Text>
          </Box>
        );
      })}
      {pages > 1 ? <Text dimColor>{`page ${Math.floor(selected / pageSize) + 1}/${pages}  PgUp/PgDn Home/End`}</Text> : null}
    </Box>
  );
}

function summaryText(result: DirectoryResult): string {
  if (result.status === 'found') return `${result.certificates.length} cert${result.certificates.length === 1 ? '' : 's'} on ${result.entries} entr${result.entries === 1 ? 'y' : 'ies'}${result.truncated ? ' (cut: size limit)' : ''}`;
  return statusLabel(result);
}

/** The name column: 24 characters at 80 columns, wider from 100-column terminals on (99 usable; "Federal Office for IT Security"). */
export function nameColumnWidth(columns: number): number {
  return columns >= 99 ? 32 : 24;
}

/** A name padded to the column, or cut with the mode's ellipsis so a cut name is visibly cut. */
export function nameCell(name: string, width: number, ellipsis: string): string {
  return (name.length <= width ? name : `${name.slice(0, width - ellipsis.length)}${ellipsis}`).padEnd(width);
}

/** The selected row's whole message, wrapped (a reason is never cut). */
export function RowMessage({row}: {row: RowState | undefined}) {
  const result = row?.result;
  return result && result !== 'running' ? <Text dimColor>{result.message}</Text> : <Text> </Text>;
}
