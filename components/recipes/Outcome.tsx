import React from 'react';
import {Box, Text} from 'ink';
import {useKeyTable} from '../input/key-table.js';
import {CopyText} from '../widgets/CopyText.js';
import {Say} from './parts.js';

/** The end of a recipe run: success title or "Not done", the first lines of what happened; Enter/Esc leaves. */
export function Outcome({ok, okTitle, lines, copy, maxLines, backHint, onDone}: {ok: boolean; okTitle: string; lines: string[]; copy?: string; maxLines: number; backHint: string; onDone: () => void}) {
  useKeyTable([{keys: 'Enter/Esc', does: 'back', matches: key => key.name === 'return' || key.name === 'escape', run: onDone}]);
  return (
    <Box flexDirection="column">
      <Text bold color={ok ? 'green' : 'red'}>
        {ok ? okTitle : 'Not done'}
      </Text>
      {lines.slice(0, maxLines).map((line, index) => (
        <Say key={index} text={line} />
      ))}
      {/* A command to copy: whole, on its own line(s), never broken by the console. */}
      {copy ? <CopyText lines={[copy]} /> : null}
      <Text dimColor>{backHint}</Text>
    </Box>
  );
}
