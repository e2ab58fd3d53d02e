import React from 'react';
import {Box, Text} from 'ink';
import {formatBytes} from '../../source/archive/zip-writer.js';
import {isChar} from '../../source/input/keys.js';
import {localTime} from '../../source/local-time.js';
import {useKeyTable} from '../input/key-table.js';
import {Line, phaseLabels, RoleStates, StepHeader} from './parts.js';
import type {PhaseProps} from './phase-props.js';

export interface EndedProps extends Pick<PhaseProps, 'controller' | 'view'> {
  back: () => void;
  /** A line added below the outcome (e.g. an offer about old runs). */
  note?: string;
}

/** The run is over (finished, aborted, failed, stopped, left on): what happened and where the ZIP is. */
export function EndedView({controller, view, back, note}: EndedProps) {
  const state = view.state;
  const pending = state.roles.filter(role => role.logging === 'pendingManualOff');
  useKeyTable([
    {keys: 'd', does: 'done by hand', matches: key => isChar(key, 'd'), run: () => controller.manualOffConfirmed(), when: pending.length > 0},
    {keys: 'Enter/Esc', does: 'back', matches: key => key.name === 'return' || key.name === 'escape', run: back},
  ]);
  const headline =
    state.phase === 'finished'
      ? 'Done. Logging is off; the logs of the window are zipped:'
      : state.phase === 'leftOn'
        ? 'Logging was LEFT ON at your request. Turn it off soon: log files are never deleted.'
        : state.phase === 'aborted'
          ? 'Aborted. Logging is off; no ZIP was made.'
          : state.phase === 'stopped'
            ? 'Stopped. Logging was turned off.'
            : 'The run failed; logging was turned off.';
  return (
    <Box flexDirection="column">
      {state.phase === 'finished' ? <StepHeader step={8} extra="(finished)" /> : <Line bold>{`Troubleshooting logs: ${phaseLabels[state.phase]}`}</Line>}
      <Line color={state.phase === 'finished' ? 'green' : state.phase === 'leftOn' ? 'red' : 'yellow'}>{headline}</Line>
      {state.zipPath ? <Text wrap="wrap">{state.zipPath}</Text> : null}
      {state.zipPath ? <Text>{`Size: ${formatBytes(state.zipBytes ?? 0)}  Window: ${localTime(state.startedAt)} - ${localTime(state.endedAt)}`}</Text> : null}
      {state.error ? <Line color="red">{state.error}</Line> : null}
      {note ? <Text wrap="wrap">{note}</Text> : null}
      <RoleStates roles={state.roles} max={4} />
      {pending.length > 0 ? <Line color="red">{`Turn logging off by hand for ${pending.map(role => role.name).join(', ')}, then press d.`}</Line> : null}
    </Box>
  );
}
