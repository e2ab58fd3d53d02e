import React from 'react';
import {Box, Text} from 'ink';
import type {EnvironmentReport} from '../../source/environment.js';
import {glyphs, useLayout} from '../layout.js';

/** Data root (DEMO badge), host, NoSpamProxy version and which configuration files exist. */
export function Header({report, title}: {report: EnvironmentReport | undefined; title: string}) {
  const layout = useLayout();
  const g = glyphs(layout.ascii);
  const width = layout.columns;
  const root = report ? truncateMiddle(report.root, Math.max(20, width - 40)) : '…';
  return (
    <Box flexDirection="column" width={width}>
      <Box>
        <Text bold color="cyan">nsp-console</Text>
        <Text>{`  ${title}`}</Text>
        {report?.isDemo ? <Text backgroundColor="yellow" color="black" bold>{' DEMO '}</Text> : null}
      </Box>
      <Text wrap="truncate-end">{`Host ${report?.hostName ?? '…'}  ·  NoSpamProxy ${report?.nspVersion ?? '…'}`.replace('·', layout.ascii ? '|' : '·')}</Text>
      <Text wrap="truncate-end" dimColor>{`Root ${root}${report?.isDemo ? ' (demo sandbox)' : ''}`}</Text>
      <Text wrap="truncate-end">
        {report
          ? report.files.map(file => `${file.exists ? g.check : '-'} ${file.path.split('/').pop()}`).join('  ')
          : ''}
      </Text>
    </Box>
  );
}

export function truncateMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const half = Math.floor((max - 1) / 2);
  return `${text.slice(0, half)}…${text.slice(text.length - (max - 1 - half))}`;
}
