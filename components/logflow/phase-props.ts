import type {Dispatch} from 'react';
import type {ControllerView, LogflowController} from '../../source/logflow/controller.js';
import type {FlowViewAction, FlowViewState} from './flow-view-state.js';

/** What every view of the flow gets: the run (controller and its view) and the screen's own state. */
export interface PhaseProps {
  controller: LogflowController;
  view: ControllerView;
  ui: FlowViewState;
  dispatch: Dispatch<FlowViewAction>;
}
