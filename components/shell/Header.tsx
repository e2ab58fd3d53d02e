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
        {context.isDemo ? <Text backgroundColor="yellow" color="black" bold>{' DEMO '}</Text> : null}
      </Box>
      <Text wrap="truncate-end">{`Host ${context.hostName}  ${layout.ascii ? '|' : '·'}  NoSpamProxy ${report?.nspVersion ?? pending}`}</Text>
      <Text wrap="truncate-end" dimColor>{`Root ${root}${context.isDemo ? ' (demo sandbox)' : ''}`}</Text>
      <Text wrap="truncate-end">
        {report
          ? report.files.map(file => `${file.exists ? g.check : '-'} ${file.path.split('/').pop()}`).join('  ')
          : ''}
      </Text>
    </Box>
  );
}

export function truncateMiddle(text: string, max: number, ellipsis = '…'): string {
  if (text.length <= max) return text;
  const half = Math.floor((max - ellipsis.length) / 2);
  return `${text.slice(0, half)}${ellipsis}${text.slice(text.length - (max - ellipsis.length - half))}`;
}
