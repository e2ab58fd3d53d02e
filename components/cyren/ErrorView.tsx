import React from 'react';
import {Box, Text} from 'ink';
import {useKeys} from '../input/key-router.js';

/** A problem that stops the screen (e.g. no CYREN folder): Esc or Enter goes back. */
export function ErrorView({message, onBack}: {message: string; onBack: () => void}) {
  useKeys(key => {
    if (key.name === 'escape' || key.name === 'return' || key.name === 'backspace') onBack();
  });
  return (
    <Box flexDirection="column">
      <Text bold>CYREN proxy settings</Text>
      <Text color="red">{message}</Text>
      <Text dimColor>Esc or Enter: back</Text>
    </Box>
  );
}
