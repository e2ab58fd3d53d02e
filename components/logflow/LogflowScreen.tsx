import React, {useEffect, useMemo, useState} from 'react';
import {Box, Text} from 'ink';
import {errorMessage} from '../../source/errors.js';
import type {ConsoleContext} from '../../source/context.js';
import {LogflowController, type ControllerOptions} from '../../source/logflow/controller.js';
import {readJournal, type Journal} from '../../source/logflow/journal.js';
import {timingsFromSettings, type FlowTimings} from '../../source/logflow/options.js';
import {loadRoles, saveRoles} from '../../source/logflow/roles.js';
import {needsRecovery, runningElsewhere} from '../../source/logflow/status.js';
import type {RoleDefinition} from '../../source/logflow/types.js';
import {loadSettings} from '../../source/settings.js';
import {useKeyTable} from '../input/key-table.js';
import type {ScreenProps} from '../screen-types.js';
import {FlowView} from './FlowView.js';
import {RecoveryPanel} from './RecoveryScreen.js';

interface Loaded {
  roles: RoleDefinition[];
  timings: FlowTimings;
  journal: Journal | undefined;
}

export interface LogflowFlowProps extends ScreenProps {
  /** Tests inject a clock, short timings and no watchdog. */
  controllerOptions?: Partial<ControllerOptions>;
}

/**
 * Troubleshooting logs: steps 1-8 of the knowledge base's "Email delivery issues" procedure.
 * Each step publishes its own key table (footer and help), so the screen sets no key help of its own.
 */
export function LogflowScreen(props: ScreenProps) {
  return <LogflowFlow {...props} />;
}

export function LogflowFlow({context, back, quit, controllerOptions}: LogflowFlowProps) {
  const [loaded, setLoaded] = useState<Loaded | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  useEffect(() => {
    loadFlowInputs(context).then(setLoaded, error => setProblem(errorMessage(error)));
  }, [context]);
  if (problem) return <Problem text={problem} back={back} />;
  if (!loaded) return <Text dimColor>Reading roles and the journal...</Text>;
  if (runningElsewhere(loaded.journal, context.stateDir)) {
    return <Problem text={`A troubleshooting-log flow is running in another nsp-console (process ${loaded.journal!.ownerPid}). Use that one, or "nsp-console logflow stop".`} back={back} />;
  }
  if (needsRecovery(loaded.journal, context.stateDir)) {
    return <RecoveryPanel context={context} journal={loaded.journal!} timings={loaded.timings} back={back} quit={quit} controllerOptions={controllerOptions} />;
  }
  return <NewFlow context={context} loaded={loaded} back={back} controllerOptions={controllerOptions} />;
}

export async function loadFlowInputs(context: ConsoleContext): Promise<Loaded> {
  const settings = await loadSettings(context.stateDir);
  const timings = timingsFromSettings(settings);
  const {roles} = await loadRoles(context);
  const journal = await readJournal(context.stateDir);
  return {roles, timings, journal};
}

function NewFlow({context, loaded, back, controllerOptions}: {context: ConsoleContext; loaded: Loaded; back: () => void; controllerOptions?: Partial<ControllerOptions>}) {
  const controller = useMemo(() => new LogflowController({stateDir: context.stateDir, timings: loaded.timings, ...controllerOptions}), [context, loaded, controllerOptions]);
  useEffect(() => () => controller.dispose(), [controller]);
  return <FlowView controller={controller} roles={loaded.roles} saveRoles={roles => saveRoles(context.stateDir, roles)} back={back} />;
}

function Problem({text, back}: {text: string; back: () => void}) {
  useKeyTable([{keys: 'Enter/Esc', does: 'back', matches: key => key.name === 'escape' || key.name === 'return', run: back}]);
  return (
    <Box flexDirection="column">
      <Text color="red" wrap="wrap">
        {text}
      </Text>
      <Text dimColor>Enter/Esc back</Text>
    </Box>
  );
}
