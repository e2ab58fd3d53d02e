import React from 'react';
import {Box, Text} from 'ink';
import {useKeyTable} from '../input/key-table.js';
import {glyphs, useLayout} from '../layout.js';
import type {Bundle} from './use-bundle.js';

/** The bundle was not written (aborted or failed): why; back to the checklist. */
export function BundleErrorView({bundle, message}: {bundle: Bundle; message: string}) {
  const layout = useLayout();
  useKeyTable([{keys: 'Enter/Esc', does: 'back to the checklist', matches: key => key.name === 'return' || key.name === 'escape', run: () => bundle.show({kind: 'checklist'})}]);
  return (
    <Box flexDirection="column">
      <Text bold color="red">{`${glyphs(layout.ascii).fail} The bundle was not written`}</Text>
      <Text wrap="wrap">{message}</Text>
    </Box>
  );
}
