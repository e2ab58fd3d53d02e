import React from 'react';
import {Box} from 'ink';
import type {LogflowRun} from '../../source/logflow/runs.js';
import {useLayout} from '../layout.js';
import {Menu} from '../widgets/Menu.js';
import {Title} from './parts.js';
import type {Bundle} from './use-bundle.js';

const none = '\u0000none';

/** Which troubleshooting-log run goes into the bundle (or none). */
export function LogRunsView({bundle, runs}: {bundle: Bundle; runs: readonly LogflowRun[]}) {
  const layout = useLayout();
  const width = layout.columns - 1;
  const toChecklist = () => bundle.show({kind: 'checklist'});
  return (
    <Box flexDirection="column">
      <Title>Troubleshooting logs: which run?</Title>
      <Menu
        maxRows={Math.max(3, layout.bodyRows - 3)}
        items={[
          ...runs.map((run, position) => ({value: run.id, label: `${position === 0 ? 'latest: ' : ''}${run.id}`, hint: `${new Date(run.startedAt).toISOString().slice(0, 16).replace('T', ' ')} ${run.roles.join(', ')}`.slice(0, Math.max(0, width - run.id.length - 14))})),
          {value: none, label: 'none (leave the logs out)'},
        ]}
        onSelect={choice => {
          bundle.update({logs: choice.value === none ? undefined : choice.value}, ['logs', 'eventlog']);
          toChecklist();
        }}
        onBack={toChecklist}
      />
    </Box>
  );
}
