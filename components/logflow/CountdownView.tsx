import React from 'react';
import {Box, Text} from 'ink';
import {formatClock, progressBar} from '../../source/logflow/format.js';
import {isChar} from '../../source/input/keys.js';
import {localTime} from '../../source/local-time.js';
import {useKeyTable} from '../input/key-table.js';
import {useLayout} from '../layout.js';
import {escHintShown, openQuestion} from './flow-view-state.js';
import {escWhileOn, questionKeys} from './guard-keys.js';
import {Activity, EscHint, StepHeader} from './parts.js';
import type {PhaseProps} from './phase-props.js';

/** Step 6: the wait after reproducing; extend, finish early (asks) or abort (asks). */
export function CountdownView({controller, view, ui, dispatch}: PhaseProps) {
  const layout = useLayout();
  const phase = view.state.phase;
  const confirming = phase === 'confirmingFinish';
  // Aborting throws the run away (no ZIP): it asks for y; any other key keeps the countdown.
  const asking = openQuestion(ui, phase) === 'abort';
  useKeyTable(
    confirming
      ? [
          {keys: 'y', does: 'finish now', matches: key => isChar(key, 'y'), run: () => controller.confirmFinish()},
          {keys: 'n/Esc', does: 'keep counting', matches: key => isChar(key, 'n') || key.name === 'escape', run: () => controller.cancelFinish()},
        ]
      : asking
        ? questionKeys('abort (logging off, no ZIP)', 'keep the countdown', () => (dispatch({type: 'answered'}), controller.abort()), () => dispatch({type: 'answered'}))
        : [
            {keys: '+ or e', does: 'extend 1 min', matches: key => isChar(key, '+') || isChar(key, 'e'), run: () => controller.extend()},
            {keys: 'f', does: 'finish now', matches: key => isChar(key, 'f'), run: () => controller.requestFinish()},
            {keys: 'a', does: 'abort (turns logging off)', matches: key => isChar(key, 'a'), run: () => dispatch({type: 'ask', kind: 'abort', phase})},
            escWhileOn(() => dispatch({type: 'escPressed', phase})),
          ],
  );
  const remaining = controller.remainingMs();
  const deadline = view.state.deadline ? Date.parse(view.state.deadline) : 0;
  const started = view.state.countdownStartedAt ? Date.parse(view.state.countdownStartedAt) : deadline - view.state.waitMs;
  const total = Math.max(1, deadline - started);
  const width = Math.max(10, Math.min(50, layout.columns - 20));
  return (
    <Box flexDirection="column">
      <StepHeader step={6} />
      <Text>
        <Text bold>{formatClock(remaining)}</Text>
        {`  left  ${progressBar((total - remaining) / total, width, layout.ascii)}`}
      </Text>
      <Text dimColor>{`Logging is ON since ${localTime(view.state.startedAt)}; it is turned off at ${localTime(view.state.deadline)}.`}</Text>
      <Activity view={view} max={Math.max(2, Math.floor((layout.bodyRows - 6) / 2))} />
      {confirming ? (
        <Text color="yellow" bold>Finish now and turn logging off? y = yes, n = no</Text>
      ) : asking ? (
        <Text color="yellow" bold wrap="wrap">Abort the run? Logging is turned off now and no ZIP is made. y = abort, any other key keeps the countdown</Text>
      ) : null}
      <EscHint shown={escHintShown(ui, phase) && !confirming} />
    </Box>
  );
}
