import {useSyncExternalStore} from 'react';
import type {ControllerView, LogflowController} from '../../source/logflow/controller.js';

/** Re-renders whenever the controller (state, output, activity) changes. */
export function useControllerView(controller: LogflowController): ControllerView {
  return useSyncExternalStore(
    listener => controller.subscribe(listener),
    () => controller.getView(),
  );
}
