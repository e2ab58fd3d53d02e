import React from 'react';
import {Box, Text} from 'ink';
import {guidedSteps} from '../../source/logflow/drivers.js';
import {isChar} from '../../source/input/keys.js';
import {useKeyTable} from '../input/key-table.js';
import {openQuestion} from './flow-view-state.js';
import {questionKeys} from './guard-keys.js';
import {Line, RoleStates, StepHeader} from './parts.js';
import type {PhaseProps} from './phase-props.js';

/** Step 7 when a role did not turn off: retry, the manual steps, done by hand, or leave it on (asks). */
export function StillLoggingView({controller, view, ui, dispatch}: PhaseProps) {
  const phase = view.state.phase;
  const asking = openQuestion(ui, phase) === 'leaveOn';
  useKeyTable(
    asking
      ? questionKeys('leave logging on', 'no', () => (dispatch({type: 'answered'}), controller.leaveOn()), () => dispatch({type: 'answered'}))
      : [
          {keys: 'r', does: 'retry', matches: key => isChar(key, 'r'), run: () => controller.retryOff()},
          {keys: 'm', does: ui.showManual ? 'hide the manual steps' : 'manual steps', matches: key => isChar(key, 'm'), run: () => dispatch({type: 'toggleManual'})},
          {keys: 'd', does: 'done by hand (verify again)', matches: key => isChar(key, 'd'), run: () => controller.manualOffConfirmed()},
          {keys: 'L', does: 'leave it on', matches: key => isChar(key, 'L'), run: () => dispatch({type: 'ask', kind: 'leaveOn', phase})},
        ],
  );
  const stuck = view.state.roles.filter(role => role.logging === 'offFailed');
  const first = stuck[0];
  return (
    <Box flexDirection="column">
      <StepHeader step={7} />
      <Line color="red" bold>{`LOGGING MAY STILL BE ON: ${stuck.map(role => role.name).join(', ')}`}</Line>
      <RoleStates roles={stuck} max={3} />
      {view.state.error ? <Line color="red">{view.state.error}</Line> : null}
      {ui.showManual && first
        ? guidedSteps(first, view.state.protocols, 'off').map((step, offset) => (
            <Text key={offset} wrap="wrap">{`${offset + 1}. ${step}`}</Text>
          ))
        : null}
      {asking ? <Text color="red" bold>Leave logging ON? Log files are never deleted. y = yes, any key = no</Text> : null}
    </Box>
  );
}
