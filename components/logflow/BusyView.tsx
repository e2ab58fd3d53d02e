import React from 'react';
import {Box, Text} from 'ink';
import type {ControllerView} from '../../source/logflow/controller.js';
import {useKeyTable} from '../input/key-table.js';
import {useLayout} from '../layout.js';
import {RoleStates, StepHeader} from './parts.js';

/** A step that needs no decision (checking that logging is off): no keys but help and quit. */
export function BusyView({step, view}: {step: number; view: ControllerView}) {
  const layout = useLayout();
  useKeyTable([]);
  return (
    <Box flexDirection="column">
      <StepHeader step={step} />
      <RoleStates roles={view.state.roles} max={Math.max(3, layout.bodyRows - 4)} />
      <Text>{view.busy ?? 'Working...'}</Text>
    </Box>
  );
}
