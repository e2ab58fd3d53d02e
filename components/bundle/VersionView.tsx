import React from 'react';
import {Box} from 'ink';
import {TextField} from '../widgets/TextField.js';
import {Title} from './parts.js';
import type {Bundle} from './use-bundle.js';

/** The NoSpamProxy version, typed as the console's start page shows it. */
export function VersionView({bundle}: {bundle: Bundle}) {
  const toChecklist = () => bundle.show({kind: 'checklist'});
  return (
    <Box flexDirection="column">
      <Title>NoSpamProxy version (as shown on the start page of the NoSpamProxy console)</Title>
      <TextField
        label="Version"
        initialValue={bundle.state.request.nspVersion ?? ''}
        placeholder="e.g. 15.2.1.7"
        enterDoes="save"
        escDoes="cancel"
        validate={value => (/^[0-9A-Za-z][0-9A-Za-z.\- ]{0,39}$/.test(value.trim()) ? undefined : 'digits, letters, dots and dashes, at most 40')}
        onSubmit={value => {
          bundle.update({nspVersion: value.trim()}, ['version']);
          toChecklist();
        }}
        onCancel={toChecklist}
      />
    </Box>
  );
}
