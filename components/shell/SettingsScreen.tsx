import React, {useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import {loadSettings, settingsPath, updateSettings} from '../../source/settings.js';
import {toolVersion} from '../../source/version.js';
import {errorMessage} from '../../source/errors.js';
import {Menu} from '../widgets/Menu.js';
import {useLayout} from '../layout.js';
import {useAppControls} from './app-controls.js';
import type {ScreenProps} from './screen.js';

/** ASCII mode and the paths and version the admin may need to tell support. */
export function SettingsScreen({context, back, setKeyHelp}: ScreenProps) {
  const layout = useLayout();
  const controls = useAppControls();
  const [message, setMessage] = useState<string | undefined>();
  useEffect(() => setKeyHelp([['Enter', 'toggle / choose']]), [setKeyHelp]);
  useEffect(() => {
    loadSettings(context.stateDir).catch(error => setMessage(errorMessage(error)));
  }, [context.stateDir]);
  return (
    <Box flexDirection="column">
      <Text bold>Settings & about</Text>
      <Text>{`nsp-console ${toolVersion}  ${layout.ascii ? '|' : '·'}  Node ${process.version}`}</Text>
      <Text wrap="truncate-end">{`Settings: ${settingsPath(context.stateDir)}`}</Text>
      <Text wrap="truncate-end">{`Data root: ${context.root}${context.isDemo ? ' (demo sandbox copy)' : ''}`}</Text>
      <Box marginTop={1}>
        <Menu
          items={[
            {value: 'ascii', label: `ASCII mode: ${layout.ascii ? 'on' : 'off'}`, hint: 'for consoles that draw box characters badly'},
            {value: 'back', label: 'Back'},
          ]}
          onBack={back}
          onSelect={item => {
            if (item.value === 'back') return back();
            const ascii = !layout.ascii;
            controls.setAscii(ascii);
            updateSettings(context.stateDir, settings => ({...settings, ascii}))
              .then(() => setMessage(`ASCII mode ${ascii ? 'on' : 'off'} (saved)`))
              .catch(error => setMessage(`Not saved: ${errorMessage(error)}`));
          }}
        />
      </Box>
      {message ? <Text color="green">{message}</Text> : null}
    </Box>
  );
}
