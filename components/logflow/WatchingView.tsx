import React from 'react';
import {Box, Text} from 'ink';
import {isChar} from '../../source/input/keys.js';
import {useKeyTable} from '../input/key-table.js';
import {useLayout} from '../layout.js';
import {escHintShown, openQuestion} from './flow-view-state.js';
import {escWhileOn, questionKeys} from './guard-keys.js';
import {Activity, EscHint, Line, StepHeader} from './parts.js';
import type {PhaseProps} from './phase-props.js';

/** Steps 4 and 5: logging is on; the log locations are watched while the admin checks and reproduces. */
export function WatchingView({controller, view, ui, dispatch}: PhaseProps) {
  const layout = useLayout();
  const phase = view.state.phase;
  const verifying = phase === 'verifyingOn';
  const asking = openQuestion(ui, phase) === 'abort';
  useKeyTable(
    asking
      ? questionKeys('abort, turn logging off', 'keep going', () => (dispatch({type: 'answered'}), controller.abort()), () => dispatch({type: 'answered'}))
      : [
          {keys: 'Enter', does: verifying ? 'logging is on, continue' : 'reproduced, start the countdown', matches: key => key.name === 'return', run: () => (verifying ? controller.confirmActivity() : controller.reproduced())},
          {keys: 'a', does: 'abort (turns logging off)', matches: key => isChar(key, 'a'), run: () => dispatch({type: 'ask', kind: 'abort', phase})},
          escWhileOn(() => dispatch({type: 'escPressed', phase})),
        ],
  );
  return (
    <Box flexDirection="column">
      <StepHeader step={verifying ? 4 : 5} />
      {verifying ? (
        <Line>{`Logging should be on now. Log files and bytes written:`}</Line>
      ) : (
        <>
          <Text bold color="cyan">Reproduce the problem now</Text>
          <Line>{`(send the mail that fails, retry the delivery...). Press Enter when done.`}</Line>
        </>
      )}
      <Activity view={view} max={Math.max(2, Math.floor((layout.bodyRows - 6) / 2))} />
      {asking ? <Text color="yellow" bold wrap="wrap">Abort the run? Logging is turned off now and no ZIP is made. y = abort, any other key = no</Text> : null}
      <EscHint shown={escHintShown(ui, phase)} />
    </Box>
  );
}
