import React from 'react';
import {Box, Text} from 'ink';
import {formatBytes} from '../../source/archive/zip-writer.js';
import {progressBar} from '../../source/progress-bar.js';
import {useKeyTable} from '../input/key-table.js';
import {useLayout} from '../layout.js';
import {Title} from './parts.js';
import type {Bundle} from './use-bundle.js';

/** The ZIP is written: progress; Esc aborts and the partial ZIP is removed. */
export function WritingView({bundle}: {bundle: Bundle}) {
  const layout = useLayout();
  const width = layout.columns - 1;
  const {progress} = bundle.state;
  useKeyTable([{keys: 'Esc', does: 'abort (the partial ZIP is removed)', matches: key => key.name === 'escape', run: bundle.abortWriting}]);
  const fraction = progress && progress.bytesTotal > 0 ? progress.bytesDone / progress.bytesTotal : 0;
  return (
    <Box flexDirection="column">
      <Title>Writing the support bundle...</Title>
      <Text>{`${progressBar(fraction, Math.min(50, width - 10), layout.ascii)} ${Math.floor(fraction * 100)}%`}</Text>
      <Text>{progress ? `${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)}, ${progress.entriesDone}/${progress.entriesTotal} entries` : 'starting...'}</Text>
    </Box>
  );
}
