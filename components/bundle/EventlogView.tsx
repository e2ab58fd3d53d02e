import React from 'react';
import {Box, Text} from 'ink';
import {useLayout} from '../layout.js';
import {Menu} from '../widgets/Menu.js';
import {clip, Title} from './parts.js';
import type {Bundle} from './use-bundle.js';

/** Windows: export the gateway's event log for a range, change the range, or attach an exported file. */
export function EventlogView({bundle}: {bundle: Bundle}) {
  const layout = useLayout();
  const {request} = bundle.state;
  const range = `${request.since?.toISOString() ?? 'default'} .. ${request.until?.toISOString() ?? 'now'}`;
  return (
    <Box flexDirection="column">
      <Title>Event log "Net at Work Mail Gateway": warnings and errors</Title>
      <Text dimColor wrap="truncate-end">{clip(`range: ${range}${request.eventLogFile ? `  attached: ${request.eventLogFile}` : ''}`, layout.columns - 1, layout.ascii)}</Text>
      <Menu
        items={[
          {value: 'export', label: 'Export now for this range', hint: 'wevtutil / Get-WinEvent'},
          {value: 'since', label: 'Change the start (since)'},
          {value: 'until', label: 'Change the end (until)'},
          {value: 'file', label: 'Attach an exported file instead'},
          {value: 'back', label: 'Back to the checklist'},
        ]}
        onSelect={choice => {
          if (choice.value === 'export') {
            bundle.update({eventLogFile: undefined}, ['eventlog']);
            bundle.show({kind: 'checklist'});
          } else if (choice.value === 'since' || choice.value === 'until') bundle.show({kind: 'range', field: choice.value});
          else if (choice.value === 'file') bundle.show({kind: 'pick', target: 'eventlog-file'});
          else bundle.show({kind: 'checklist'});
        }}
        onBack={() => bundle.show({kind: 'checklist'})}
      />
    </Box>
  );
}
