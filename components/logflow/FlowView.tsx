import React, {useReducer} from 'react';
import {Box, Text} from 'ink';
import type {LogflowController} from '../../source/logflow/controller.js';
import type {RoleDefinition} from '../../source/logflow/types.js';
import {BusyView} from './BusyView.js';
import {CleanupOffer} from './CleanupOffer.js';
import {ChooseRolesView} from './ChooseRolesView.js';
import {CollectingView} from './CollectingView.js';
import {CountdownView} from './CountdownView.js';
import {EndedView} from './EndedView.js';
import {flowViewReducer, initialFlowViewState} from './flow-view-state.js';
import {Line} from './parts.js';
import type {PhaseProps} from './phase-props.js';
import {SettingsView} from './SettingsView.js';
import {StillLoggingView} from './StillLoggingView.js';
import {TurningView} from './TurningView.js';
import {useControllerView} from './use-controller.js';
import {WatchingView} from './WatchingView.js';

export interface FlowViewProps {
  controller: LogflowController;
  /** The configured roles (step 1). */
  roles: readonly RoleDefinition[];
  /** Saves a changed role list to settings.json "roles". */
  saveRoles?: (roles: RoleDefinition[]) => Promise<void>;
  /** Leave the screen: only offered when logging is off. */
  back: () => void;
}

/**
 * Renders the flow's current phase with its view (one file per step, each with its key table).
 * The run is the controller's; what the screen itself remembers is one reducer (flow-view-state).
 */
export function FlowView({controller, roles, saveRoles, back}: FlowViewProps) {
  const view = useControllerView(controller);
  const [ui, dispatch] = useReducer(flowViewReducer, roles, initialFlowViewState);
  // Every change of the role list is saved the same way: on success the list and a line saying so,
  // on failure the reason; the open edit or question closes either way.
  const save = saveRoles
    ? (next: RoleDefinition[], message: string, resetIndex?: boolean) => {
        saveRoles(next).then(
          () => dispatch({type: 'saved', roles: next, message, resetIndex}),
          (error: unknown) => dispatch({type: 'saveFailed', error: error instanceof Error ? error.message : String(error)}),
        );
      }
    : undefined;
  const props: PhaseProps = {controller, view, ui, dispatch};
  let body: React.ReactNode;
  switch (view.state.phase) {
    case 'choosingRoles':
      body = <ChooseRolesView {...props} save={save} back={back} />;
      break;
    case 'confirmingSettings':
      body = <SettingsView controller={controller} view={view} />;
      break;
    case 'turningOn':
    case 'turningOff':
      body = <TurningView {...props} />;
      break;
    case 'verifyingOn':
    case 'reproducing':
      body = <WatchingView {...props} />;
      break;
    case 'countingDown':
    case 'confirmingFinish':
      body = <CountdownView {...props} />;
      break;
    case 'verifyingOff':
      body = <BusyView step={7} view={view} />;
      break;
    case 'stillLogging':
      body = <StillLoggingView {...props} />;
      break;
    case 'collecting':
      body = <CollectingView controller={controller} view={view} />;
      break;
    default:
      body = <CleanupOffer state={view.state}>{note => <EndedView controller={controller} view={view} back={back} note={note} />}</CleanupOffer>;
  }
  return (
    <Box flexDirection="column">
      {body}
      {view.notice ? <Text color="red" wrap="wrap">{view.notice}</Text> : null}
      {view.watchdogProblem ? <Line color="yellow">{view.watchdogProblem}</Line> : null}
    </Box>
  );
}
