import React from 'react';
import {Box, Text} from 'ink';
import {formatBytes} from '../../source/archive/zip-writer.js';
import {progressBar} from '../../source/logflow/format.js';
import {isChar} from '../../source/input/keys.js';
import {useKeyTable} from '../input/key-table.js';
import {useLayout} from '../layout.js';
import {StepHeader} from './parts.js';
import type {PhaseProps} from './phase-props.js';

/** Step 8: logging is off; the window's logs go into the ZIP. */
export function CollectingView({controller, view}: Pick<PhaseProps, 'controller' | 'view'>) {
  const layout = useLayout();
  useKeyTable([{keys: 'a', does: 'abort (removes the partial ZIP)', matches: key => isChar(key, 'a'), run: () => controller.abort()}]);
  const progress = view.collect;
  const fraction = progress && progress.bytesTotal > 0 ? progress.bytesIn / progress.bytesTotal : 0;
  return (
    <Box flexDirection="column">
      <StepHeader step={8} />
      <Text color="green">Logging is off for every role.</Text>
      <Text>{`${progressBar(fraction, Math.max(10, Math.min(50, layout.columns - 30)), layout.ascii)} ${progress ? `${progress.entriesDone}/${progress.entriesTotal} file${progress.entriesTotal === 1 ? '' : 's'}, ${formatBytes(progress.bytesIn)}` : ''}`}</Text>
    </Box>
  );
}
