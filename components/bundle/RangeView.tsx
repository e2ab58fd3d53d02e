import React from 'react';
import {Box, Text} from 'ink';
import {parseTime} from '../../source/bundle/options.js';
import {errorMessage} from '../../source/errors.js';
import {TextField} from '../widgets/TextField.js';
import {Title} from './parts.js';
import type {Bundle} from './use-bundle.js';

/** One end of the event log's range, as a time or a duration ago. */
export function RangeView({bundle, field}: {bundle: Bundle; field: 'since' | 'until'}) {
  const toEventlog = () => bundle.show({kind: 'eventlog'});
  return (
    <Box flexDirection="column">
      <Title>{`Event log range: ${field}`}</Title>
      <Text dimColor>{'"2026-11-27 08:00", 2026-11-27T08:00:00Z, 24h (ago), 2d, now'}</Text>
      <TextField
        label={field}
        validate={value => {
          try {
            parseTime(value, field, new Date());
            return undefined;
          } catch (error) {
            return errorMessage(error);
          }
        }}
        onSubmit={value => {
          bundle.update({[field]: parseTime(value, field, new Date())}, []);
          toEventlog();
        }}
        onCancel={toEventlog}
      />
    </Box>
  );
}
