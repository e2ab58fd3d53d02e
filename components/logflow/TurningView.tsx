import React from 'react';
import {Box, Text} from 'ink';
import {guidedSteps} from '../../source/logflow/drivers.js';
import {isChar} from '../../source/input/keys.js';
import {useKeyTable, type KeyTable} from '../input/key-table.js';
import {useLayout, useMeasuredHeight} from '../layout.js';
import {wrapWords} from '../text/wrap.js';
import {usePager} from '../widgets/use-pager.js';
import {escHintShown, openQuestion} from './flow-view-state.js';
import {escWhileOn, questionKeys} from './guard-keys.js';
import {EscHint, Output, RoleStates, StepHeader} from './parts.js';
import type {PhaseProps} from './phase-props.js';

const pageKeys = new Set(['pageup', 'pagedown', 'home', 'end']);

export const offReasonText = {
  countdown: 'time is up',
  finishedEarly: 'finished early',
  aborted: 'aborted',
  error: 'because of an error',
  signal: 'the console is closing',
  watchdog: 'watchdog',
  stop: 'stop command',
  recovery: 'after a restart',
} as const;

/** Steps 3 and 7: a script role's command runs, or a guided role's steps wait for the admin. */
export function TurningView({controller, view, ui, dispatch}: PhaseProps) {
  const layout = useLayout();
  const phase = view.state.phase;
  const on = phase === 'turningOn';
  const guided = view.guided;
  const asking = openQuestion(ui, phase) === 'abort';
  const steps = guided ? guidedSteps(view.state.roles.find(role => role.name === guided.role) ?? {name: guided.role, location: ''}, view.state.protocols, guided.turn) : [];
  // The steps get what the rest leaves; wrapped by the console so they can be paged, never cut.
  const [topRef, topHeight] = useMeasuredHeight();
  const [bottomRef, bottomHeight] = useMeasuredHeight();
  const stepLines = steps.flatMap((step, offset) => wrapWords(`${offset + 1}. ${step}`, layout.columns, 3));
  const pager = usePager(stepLines, Math.max(2, layout.bodyRows - topHeight - bottomHeight));
  // Aborting throws the run away: a asks, only y aborts (a script role's running command finishes
  // or times out first, then every role is turned off).
  const table: KeyTable = asking
    ? questionKeys('abort, turn logging off again', 'keep going', () => (dispatch({type: 'answered'}), controller.abort()), () => dispatch({type: 'answered'}))
    : [
        {keys: 'PgUp/PgDn', does: 'page the steps', matches: key => pageKeys.has(key.name), run: key => void pager.onKey(key), when: pager.indicator !== undefined, helpOnly: true},
        {keys: 'Enter', does: on ? 'done' : 'done: logging is off for this role', matches: key => key.name === 'return', run: () => controller.confirmGuided(), when: guided !== undefined},
        {keys: 'f', does: 'could not do it', matches: key => isChar(key, 'f'), run: () => controller.failGuided('the admin could not turn logging on in the NoSpamProxy console'), when: on && guided !== undefined},
        {keys: 'a', does: guided ? 'abort' : 'abort (logging is turned off once the running command returns)', matches: key => isChar(key, 'a'), run: () => dispatch({type: 'ask', kind: 'abort', phase}), when: on},
        {...escWhileOn(() => dispatch({type: 'escPressed', phase})), when: on},
      ];
  useKeyTable(table);
  const running = view.state.roles.find(role => role.logging === (on ? 'turningOn' : 'turningOff'));
  const question = asking ? <Text color="yellow" bold wrap="wrap">Abort and turn logging off again? y = yes, any other key = no</Text> : null;
  return (
    <Box flexDirection="column">
      <Box ref={topRef} flexDirection="column" flexShrink={0}>
        <StepHeader step={on ? 3 : 7} extra={!on && view.state.offReason ? `(${offReasonText[view.state.offReason]})` : undefined} />
        {!on && view.state.error ? <Text color="red">{view.state.error}</Text> : null}
        {/* One guided role: its name is in the steps; the states of several roles are listed. */}
        {!guided || view.state.roles.length > 1 ? <RoleStates roles={view.state.roles} max={guided ? 3 : Math.max(3, layout.bodyRows - 8)} /> : null}
        {guided ? <Text bold>{`Do this now for "${guided.role}":`}</Text> : null}
      </Box>
      {guided ? (
        <Box flexDirection="column">
          {/* Wrapped, never cut: the admin must read every word (role name, location, protocols). */}
          {pager.visible.map((line, offset) => (
            <Text key={offset}>{line}</Text>
          ))}
          {pager.indicator ? <Text dimColor>{pager.indicator}</Text> : null}
          <Box ref={bottomRef} flexDirection="column" flexShrink={0}>
            {question}
            <EscHint shown={escHintShown(ui, phase)} />
          </Box>
        </Box>
      ) : (
        <Box flexDirection="column">
          <Text>{view.busy ?? ''}</Text>
          <Output lines={running ? view.output[running.name] : undefined} />
          {question}
          <EscHint shown={escHintShown(ui, phase)} />
        </Box>
      )}
    </Box>
  );
}
