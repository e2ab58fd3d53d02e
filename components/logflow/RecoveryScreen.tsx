import React, {useEffect, useMemo, useState} from 'react';
import {Box, Text} from 'ink';
import type {ConsoleContext} from '../../source/context.js';
import {errorMessage} from '../../source/errors.js';
import {LogflowController, type ControllerOptions} from '../../source/logflow/controller.js';
import {readJournal, type Journal} from '../../source/logflow/journal.js';
import {isLoggingMaybeOn, onPhases} from '../../source/logflow/machine.js';
import {timingsFromSettings, type FlowTimings} from '../../source/logflow/options.js';
import {loadSettings} from '../../source/settings.js';
import {isChar} from '../../source/input/keys.js';
import {interruptedRunOutcome} from '../../source/logflow/controller.js';
import {turnOffEverything} from '../../source/logflow/transition.js';
import {recordOutcome} from '../../source/outcome.js';
import {onShutdown} from '../../source/system/shutdown.js';
import {Menu} from '../widgets/Menu.js';
import {useKeyTable} from '../input/key-table.js';
import type {ScreenProps} from '../screen-types.js';
import {FlowView} from './FlowView.js';
import {Line, phaseLabels, RoleStates} from './parts.js';

type Choice = 'off' | 'resume' | 'manual' | 'continue';

/** The first screen when the journal says logging is on and its console is gone. */
export function RecoveryScreen({context, back, quit}: ScreenProps) {
  const [loaded, setLoaded] = useState<{journal: Journal; timings: FlowTimings} | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  useEffect(() => {
    Promise.all([readJournal(context.stateDir), loadSettings(context.stateDir)]).then(
      ([journal, settings]) => (journal ? setLoaded({journal, timings: timingsFromSettings(settings)}) : back()),
      error => setProblem(errorMessage(error)),
    );
  }, [context, back]);
  useKeyTable([{keys: 'Esc', does: 'back', matches: key => key.name === 'escape', run: back}], {isActive: problem !== undefined});
  if (problem) return <Text color="red">{problem}</Text>;
  if (!loaded) return <Text dimColor>Reading the journal...</Text>;
  return <RecoveryPanel context={context} journal={loaded.journal} timings={loaded.timings} back={back} quit={quit} />;
}

export function RecoveryPanel({context, journal, timings, back, quit, controllerOptions}: {context: ConsoleContext; journal: Journal; timings: FlowTimings; back: () => void; quit?: () => void; controllerOptions?: Partial<ControllerOptions>}) {
  const [choice, setChoice] = useState<Choice | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const state = journal.state;
  const canResume = onPhases.includes(state.phase);
  const maybeOn = isLoggingMaybeOn(state);
  const onlyManual = maybeOn && state.roles.every(role => role.logging === 'pendingManualOff' || role.logging === 'off' || role.logging === 'neverOn');
  const controller = useMemo(() => {
    if (!choice) return undefined;
    const adopted = LogflowController.adopt({stateDir: context.stateDir, timings, by: 'recovery', ...controllerOptions}, journal);
    if (choice === 'off') adopted.turnOffForRecovery();
    else if (choice === 'resume') adopted.resume();
    else if (choice === 'manual') adopted.manualOffConfirmed();
    return adopted;
  }, [choice, context, journal, timings, controllerOptions]);
  useEffect(() => () => controller?.dispose(), [controller]);
  // Until an action is chosen, quitting (q, Ctrl-C, a signal) turns logging off as a running flow would.
  useEffect(() => {
    if (choice || !maybeOn) return;
    return onShutdown(async () => {
      const now = controllerOptions?.clock?.now ?? Date.now;
      const after = await turnOffEverything(journal, 'recovery', {stateDir: context.stateDir, now, by: 'recovery'});
      recordOutcome(interruptedRunOutcome(after.state.roles), {interrupted: true});
    });
  }, [choice, maybeOn, journal, context.stateDir, controllerOptions]);
  if (controller) return <FlowView controller={controller} roles={state.roles} back={back} />;
  const items: {value: Choice; label: string; hint?: string}[] = !maybeOn
    ? [
        {value: 'continue', label: state.phase === 'collecting' ? 'Collect the logs into the ZIP now' : 'Finish the run', hint: `it stopped while ${phaseLabels[state.phase]}`},
        {value: 'off', label: 'Discard the run', hint: 'logging is already off; no ZIP'},
      ]
    : onlyManual
    ? [{value: 'manual', label: 'I have turned logging off by hand', hint: 'records it in the journal'}]
    : [
        {value: 'off', label: 'Turn logging off now', hint: 'recommended'},
        ...(canResume ? [{value: 'resume' as const, label: 'Resume the countdown', hint: state.deadline ? `deadline ${state.deadline.slice(11, 19)} UTC` : `${Math.round(state.waitMs / 1000)} s from now`}] : []),
      ];
  if (maybeOn && !onlyManual && !canResume && state.phase !== 'stillLogging' && state.phase !== 'leftOn' && state.phase !== 'stopped') {
    items.push({value: 'continue', label: 'Continue where it stopped', hint: phaseLabels[state.phase]});
  }
  return (
    <Box flexDirection="column">
      <Text color={maybeOn ? 'red' : 'yellow'} bold>{maybeOn ? 'Troubleshooting logging is still ON' : 'A troubleshooting-log run was interrupted'}</Text>
      <Line>{`Run ${state.runId}: on since ${state.startedAt?.replace('T', ' ').slice(0, 19) ?? '?'} UTC.`}</Line>
      <Line>{`It stopped while: ${phaseLabels[state.phase]}.`}</Line>
      <Text dimColor>{maybeOn ? `The console that started it is gone. Log files are never deleted: turn it off.` : `The console that ran it is gone; logging is off.`}</Text>
      <RoleStates roles={state.roles} max={5} />
      {onlyManual ? <Text color="yellow">{`Guided roles: turn logging off in the NoSpamProxy console (Troubleshooting > Log settings).`}</Text> : null}
      <Box marginTop={1}>
        <Menu
          items={items}
          onSelect={item => setChoice(item.value)}
          maxRows={4}
          onBack={() => (maybeOn ? setNotice('Logging is still on: choose an action first (q quits and turns logging off first).') : back())}
          backDoes={maybeOn ? 'back (only once logging is off)' : 'back'}
          extraKeys={quit ? [{keys: 'q', does: maybeOn ? 'quit: logging is turned off first' : 'quit', matches: key => isChar(key, 'q'), run: quit, helpOnly: true}] : []}
        />
      </Box>
      {notice ? <Text color="yellow">{notice}</Text> : null}
    </Box>
  );
}
