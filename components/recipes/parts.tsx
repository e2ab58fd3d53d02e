import React from 'react';
import {Box, Text} from 'ink';
import {glyphs, statusColor, statusMark, useLayout, type Status} from '../layout.js';
import {isChar} from '../../source/input/keys.js';
import {useKeyTable} from '../input/key-table.js';
import {wrapWords} from '../text/wrap.js';

/**
 * Lines of a recipe screen, each within columns - 1. With `wrap` (reasons, states, paths) they wrap and
 * are never cut; without it (file excerpts, where one line per line matters) a long line is cut with an ellipsis.
 */
export function Lines({lines, color, dim, wrap}: {lines: readonly string[]; color?: string; dim?: boolean; wrap?: boolean}) {
  const {columns, ascii} = useLayout();
  const g = glyphs(ascii);
  const shown = wrap ? lines.flatMap(line => wrapWords(line, columns - 1)) : lines;
  return (
    <Box flexDirection="column">
      {shown.map((line, index) => (
        <Text key={index} color={color} dimColor={dim}>
          {fit(line, columns - 1, g.ellipsis, ascii)}
        </Text>
      ))}
    </Box>
  );
}

/** Cuts a line to `width` characters; in ASCII mode non-ASCII characters become '?'. */
export function fit(line: string, width: number, ellipsis: string, ascii: boolean): string {
  const safe = ascii ? line.replace(/[^\x20-\x7e]/g, '?') : line;
  return safe.length <= width ? safe : `${safe.slice(0, Math.max(0, width - ellipsis.length))}${ellipsis}`;
}

/**
 * A guarded action: `y` does it, any other key (Enter and Esc too) keeps things as they are. The
 * question and both answers are on screen; the footer shows the same keys.
 */
export function Confirm({question, yes, no = 'keep things as they are', onAnswer}: {question: string; yes: string; no?: string; onAnswer: (yes: boolean) => void}) {
  useKeyTable([
    {keys: 'y', does: yes.replace(/^Yes, /, ''), matches: key => isChar(key, 'y') || isChar(key, 'Y'), run: () => onAnswer(true)},
    {keys: 'any other key', does: 'no', matches: () => true, run: () => onAnswer(false)},
  ]);
  return (
    <Box flexDirection="column">
      <Text bold>{question}</Text>
      <Say text={`y  ${yes}`} />
      <Say text={`any other key  ${no}`} />
    </Box>
  );
}

export function Working({text}: {text: string}) {
  const {ascii} = useLayout();
  return <Text color="yellow">{`${text}${glyphs(ascii).ellipsis}`}</Text>;
}

export type Mark = 'done' | 'failed' | 'skipped' | 'running' | 'ok' | 'warning' | 'missing' | 'unknown';

/** A status mark in the console's one vocabulary ([ok]/[!!] in ASCII, ✔/✖ otherwise). */
export function markText(mark: Mark, ascii: boolean): {text: string; color?: string} {
  const status: Status = mark === 'done' || mark === 'ok' ? 'ok' : mark === 'failed' || mark === 'missing' ? 'failed' : mark === 'warning' || mark === 'running' || mark === 'skipped' ? mark : 'unknown';
  return {text: statusMark(status, ascii), color: statusColor[status]};
}

export function MarkedLine({mark, text}: {mark: Mark; text: string}) {
  const {ascii, columns} = useLayout();
  const {text: symbol, color} = markText(mark, ascii);
  return (
    <Box>
      <Text color={color}>{`${symbol} `}</Text>
      <Box flexDirection="column">
        {wrapWords(text, Math.max(10, columns - symbol.length - 2)).map((piece, index) => (
          <Text key={index}>{fit(piece, columns - symbol.length - 2, glyphs(ascii).ellipsis, ascii)}</Text>
        ))}
      </Box>
    </Box>
  );
}

/** A message that may wrap; in ASCII mode anything outside ASCII becomes '?'. */
export function Say({text, color}: {text: string; color?: string}) {
  const {ascii} = useLayout();
  return (
    <Text color={color} wrap="wrap">
      {ascii ? text.replace(/[^\x20-\x7e\n]/g, '?') : text}
    </Text>
  );
}
