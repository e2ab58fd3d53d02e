import React from 'react';
import {Box, Text} from 'ink';
import {useKeys} from '../input/key-router.js';
import type {ScreenProps} from './screen.js';

/** Stands in for a capability that is not built yet: says so, never crashes. */
export function notBuiltScreen(label: string) {
  return function NotBuilt({back}: ScreenProps) {
    useKeys(key => {
      if (key.name === 'escape' || key.name === 'return' || key.name === 'backspace') back();
    });
    return (
      <Box flexDirection="column">
        <Text bold>{label}</Text>
        <Text color="yellow">{`${label} is not built yet in this version of nsp-console.`}</Text>
        <Text dimColor>Press Esc or Enter to go back.</Text>
      </Box>
    );
  };
}
