import React from 'react';
import {Box, Text} from 'ink';
import {useLayout} from '../layout.js';
import {Menu} from '../widgets/Menu.js';
import {clip, Title} from './parts.js';
import type {Bundle} from './use-bundle.js';

/** Email queues and emails on hold: a note (what Monitoring shows) and exported files. */
export function QueuesView({bundle}: {bundle: Bundle}) {
  const layout = useLayout();
  const {request} = bundle.state;
  return (
    <Box flexDirection="column">
      <Title>Email queues and emails on hold</Title>
      <Text dimColor wrap="truncate-end">{clip(`note: ${request.queueNote?.split('\n')[0] ?? '(none)'}  files: ${request.queueFiles.length}`, layout.columns - 1, layout.ascii)}</Text>
      <Menu
        items={[
          {value: 'note', label: 'Write or change the note'},
          {value: 'files', label: 'Choose exported files / screenshots'},
          {value: 'back', label: 'Back to the checklist'},
        ]}
        onSelect={choice => bundle.show(choice.value === 'note' ? {kind: 'queue-note'} : choice.value === 'files' ? {kind: 'pick', target: 'queue-files'} : {kind: 'checklist'})}
        onBack={() => bundle.show({kind: 'checklist'})}
      />
    </Box>
  );
}
