import React from 'react';
import {Box, Text} from 'ink';
import {useKeys} from '../input/key-router.js';
import {glyphs, useLayout} from '../layout.js';

export type KeyHelp = readonly (readonly [keys: string, meaning: string])[];

export const commonKeys: KeyHelp = [
  ['Up/Down, j/k', 'move'],
  ['Enter', 'select'],
  ['Esc', 'back one screen'],
  ['?', 'this help'],
  ['q', 'quit (main menu)'],
  ['Ctrl-C', 'exit at once'],
];

/** The keys of the current screen; any key closes it. */
export function HelpOverlay({title, keys, onClose}: {title: string; keys: KeyHelp; onClose: () => void}) {
  const layout = useLayout();
  useKeys(() => onClose());
  // Border (2), title and the closing line (2) take four of the body's lines.
  const rows = [...keys, ...commonKeys].slice(0, Math.max(1, layout.bodyRows - 4));
  return (
    <Box flexDirection="column" borderStyle={glyphs(layout.ascii).border} paddingX={1}>
      <Text bold>{`Keys: ${title}`}</Text>
      {rows.map(([key, meaning]) => (
        <Text key={`${key}-${meaning}`}>{`${key.padEnd(16)}${meaning}`}</Text>
      ))}
      <Text dimColor>any key closes this help</Text>
    </Box>
  );
}
