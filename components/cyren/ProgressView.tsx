import React from 'react';
import {Box, Text} from 'ink';
import type {ApplyOutcome, ProgressStep} from '../../source/cyren/flow.js';
import {ctmailReminder} from '../../source/cyren/proxy-check.js';
import {maskSecrets} from '../../source/system/session-record.js';
import {isChar} from '../../source/input/keys.js';
import {useKeyTable} from '../input/key-table.js';
import {statusMark, useLayout} from '../layout.js';
import {Line} from './Line.js';

export interface ProgressState {
  title: string;
  steps: ProgressStep[];
  running: boolean;
  outcome?: ApplyOutcome;
  footer?: string;
}

/** Write, restart and check, step by step; keys only once it is finished. */
export function ProgressView({view, onDone, onRollback}: {view: ProgressState; onDone: () => void; onRollback?: () => void}) {
  const layout = useLayout();
  useKeyTable(
    [
      {keys: 'r', does: 'restore the backups', matches: key => isChar(key, 'r') || isChar(key, 'R'), run: () => onRollback?.(), when: onRollback !== undefined},
      {keys: 'Enter/Esc', does: 'back', matches: key => key.name === 'return' || key.name === 'escape', run: onDone},
    ],
    {isActive: !view.running},
  );

  const hasCheck = view.steps.some(step => step.id.startsWith('check'));
  const rows: {text: string; color?: string; dim?: boolean}[] = [];
  for (const step of view.steps) {
    const mark = statusMark(step.state === 'ok' || step.state === 'failed' || step.state === 'skipped' ? step.state : 'running', layout.ascii);
    rows.push({text: `${mark} ${maskSecrets(step.label)}`, color: step.state === 'ok' ? 'green' : step.state === 'failed' ? 'red' : undefined});
    if (step.detail) rows.push({text: `     ${maskSecrets(step.detail)}`, dim: true});
  }
  const reserved = 2 + (hasCheck && !view.running ? 2 : 0) + (view.footer ? 2 : 0);
  const visible = rows.slice(-Math.max(1, layout.bodyRows - reserved));
  return (
    <Box flexDirection="column">
      <Text bold>{`${view.title}${view.running ? '...' : ''}`}</Text>
      {visible.map((row, index) => (
        <Line key={index} color={row.color} dimColor={row.dim}>
          {row.text}
        </Line>
      ))}
      {hasCheck && !view.running ? (
        <Text wrap="wrap" dimColor>
          {ctmailReminder}
        </Text>
      ) : null}
      {view.footer ? (
        // Wrapped, not cut: its key hints come last (two lines are reserved for it above).
        <Text wrap="wrap" color={view.outcome?.restartFailed ? 'yellow' : undefined}>
          {layout.ascii ? maskSecrets(view.footer).replace(/[\u2010-\u2015\u2212]/g, '-') : maskSecrets(view.footer)}
        </Text>
      ) : null}
    </Box>
  );
}
