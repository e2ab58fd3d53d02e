import React from 'react';
import {Box, Text} from 'ink';
import {useKeys} from '../input/key-router.js';
import {glyphs, useLayout} from '../layout.js';
import type {KeyHelp} from '../screen-types.js';


export const commonKeys: KeyHelp = [
  ['Up/Down, j/k', 'move'],
  ['Enter', 'select'],
  ['Esc', 'back one screen'],
  ['?', 'this help'],
  ['q', 'quit (outside text fields)'],
  ['Ctrl-C', 'exit at once'],
];

const globalKeys: KeyHelp = [
  ['?', 'this help'],
  ['q', 'quit (outside text fields; logging is turned off first)'],
  ['Ctrl-C', 'quit at once (logging is turned off first)'],
];

/** The keys of the current screen; any key closes it. */
export function HelpOverlay({title, keys, onClose, onlyTheseKeys = false}: {title: string; keys: KeyHelp; onClose: () => void; onlyTheseKeys?: boolean}) {
  const layout = useLayout();
  useKeys(() => onClose());
  // A screen's own meaning of a key (e.g. "Esc: back only while logging is off") replaces the generic one.
  // A key table lists every key that works here: then only help, quit and Ctrl-C are added.
  const common = (onlyTheseKeys ? globalKeys : commonKeys).filter(([key]) => !keys.some(([own]) => own === key));
  // Two border lines, the title and the closing hint around the rows; each row one line.
  const rows = [...keys, ...common].slice(0, Math.max(1, layout.bodyRows - 4));
  const g = glyphs(layout.ascii);
  const width = Math.max(10, layout.columns - 4);
  // Cut here rather than by Ink, whose ellipsis is not ASCII.
  const fit = (text: string) => (text.length <= width ? text : `${text.slice(0, width - g.ellipsis.length)}${g.ellipsis}`);
  return (
    <Box flexDirection="column" borderStyle={g.border} paddingX={1} flexShrink={0}>
      <Text bold>{fit(`Keys: ${title}`)}</Text>
      {rows.map(([key, meaning]) => (
        <Text key={`${key}-${meaning}`}>{fit(`${key.padEnd(16)}${meaning}`)}</Text>
      ))}
      <Text dimColor>any key closes this help</Text>
    </Box>
  );
}
