import React from 'react';
import {Box, Text} from 'ink';
import type {ConsoleContext} from '../../source/context.js';
import type {EnvironmentReport} from '../../source/environment.js';
import {glyphs, useLayout} from '../layout.js';

/** Data root (DEMO badge), host, NoSpamProxy version and which configuration files exist. */
export function Header({context, report, title}: {context: ConsoleContext; report: EnvironmentReport | undefined; title: string}) {
  const layout = useLayout();
  const g = glyphs(layout.ascii);
  const width = layout.columns;
  const root = truncateMiddle(context.root, Math.max(20, width - 30), g.ellipsis);
  const pending = g.ellipsis;
  return (
    <Box flexDirection="column" width={width}>
      <Box>
        <Text bold color="cyan">nsp-console</Text>
        <Text>{`  ${title}`}</Text>
        {/* The space before the badge is uncoloured: a coloured one would look glued to the title. */}
        {context.isDemo ? <Text>{' '}</Text> : null}
        {context.isDemo ? <Text backgroundColor="yellow" color="black" bold>DEMO</Text> : null}
      </Box>
      <Text>{fit(`Host ${context.hostName}  ${layout.ascii ? '|' : '·'}  NoSpamProxy ${report?.nspVersion ?? pending}`, width, g.ellipsis)}</Text>
      <Text dimColor>{fit(`Root ${root}${context.isDemo ? ' (demo sandbox)' : ''}`, width, g.ellipsis)}</Text>
      <Text>{report ? filesLine(report.files, width, layout.ascii) : ''}</Text>
    </Box>
  );
}

/** Which configuration files exist; the ".config" suffix goes when the full names do not fit (80 columns). */
export function filesLine(files: {path: string; exists: boolean}[], width: number, ascii: boolean): string {
  const g = glyphs(ascii);
  const line = (short: boolean) =>
    files.map(file => `${file.exists ? (ascii ? '+' : g.check) : '-'} ${(file.path.split('/').pop() ?? '').replace(short ? /\.config$/ : /$^/, '')}`).join('  ');
  const full = line(false);
  return fit(full.length <= width ? full : line(true), width, g.ellipsis);
}

/** Cuts a line to the width with the mode's own ellipsis (Ink's truncation would print a Unicode one). */
export function fit(text: string, width: number, ellipsis: string): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - ellipsis.length))}${ellipsis}`;
}

export function truncateMiddle(text: string, max: number, ellipsis = '…'): string {
  if (text.length <= max) return text;
  const half = Math.floor((max - ellipsis.length) / 2);
  return `${text.slice(0, half)}${ellipsis}${text.slice(text.length - (max - ellipsis.length - half))}`;
}
