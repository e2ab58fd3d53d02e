import React, {useRef, useState} from 'react';
import {Box, Text} from 'ink';
import type {Key} from '../../source/input/keys.js';
import {useKeys} from '../input/key-router.js';
import {useLayout} from '../layout.js';

export interface TextEditorProps {
  title: string;
  initialText?: string;
  /** Rows for the text itself (the frame adds three). */
  rows?: number;
  onSave: (text: string) => void;
  onCancel: () => void;
}

interface Cursor {
  row: number;
  column: number;
}

/**
 * A small multi-line editor: arrows move, Enter breaks the line, Backspace/Delete join lines,
 * Ctrl-D saves, Esc cancels. Long texts scroll to keep the cursor visible.
 */
export function TextEditor({title, initialText = '', rows, onSave, onCancel}: TextEditorProps) {
  const layout = useLayout();
  const visibleRows = Math.max(3, rows ?? layout.bodyRows - 3);
  const [lines, setLines] = useState<string[]>(() => (initialText.length > 0 ? initialText.replace(/\r\n/g, '\n').split('\n') : ['']));
  const [cursor, setCursor] = useState<Cursor>(() => ({row: 0, column: 0}));
  // Keys of one burst arrive before React re-renders: keep the latest state in refs as well.
  const state = useRef({lines, cursor});
  const apply = (nextLines: string[], nextCursor: Cursor) => {
    state.current = {lines: nextLines, cursor: nextCursor};
    setLines(nextLines);
    setCursor(nextCursor);
  };
  useKeys(
    (key: Key) => {
      const {lines: current, cursor: at} = state.current;
      const line = current[at.row]!;
      if (key.ctrl && key.input === 'd') return onSave(current.join('\n').replace(/\s+$/, ''));
      if (key.name === 'escape') return onCancel();
      if (key.name === 'return') {
        const next = [...current.slice(0, at.row), line.slice(0, at.column), line.slice(at.column), ...current.slice(at.row + 1)];
        return apply(next, {row: at.row + 1, column: 0});
      }
      if (key.name === 'backspace') {
        if (at.column > 0) return apply(current.map((text, index) => (index === at.row ? text.slice(0, at.column - 1) + text.slice(at.column) : text)), {row: at.row, column: at.column - 1});
        if (at.row === 0) return;
        const previous = current[at.row - 1]!;
        return apply([...current.slice(0, at.row - 1), previous + line, ...current.slice(at.row + 1)], {row: at.row - 1, column: previous.length});
      }
      if (key.name === 'delete') {
        if (at.column < line.length) return apply(current.map((text, index) => (index === at.row ? text.slice(0, at.column) + text.slice(at.column + 1) : text)), at);
        if (at.row + 1 >= current.length) return;
        return apply([...current.slice(0, at.row), line + current[at.row + 1]!, ...current.slice(at.row + 2)], at);
      }
      if (key.name === 'left') return apply(current, at.column > 0 ? {row: at.row, column: at.column - 1} : at.row > 0 ? {row: at.row - 1, column: current[at.row - 1]!.length} : at);
      if (key.name === 'right') return apply(current, at.column < line.length ? {row: at.row, column: at.column + 1} : at.row + 1 < current.length ? {row: at.row + 1, column: 0} : at);
      if (key.name === 'up') return apply(current, at.row > 0 ? {row: at.row - 1, column: Math.min(at.column, current[at.row - 1]!.length)} : at);
      if (key.name === 'down') return apply(current, at.row + 1 < current.length ? {row: at.row + 1, column: Math.min(at.column, current[at.row + 1]!.length)} : at);
      if (key.name === 'home') return apply(current, {row: at.row, column: 0});
      if (key.name === 'end') return apply(current, {row: at.row, column: line.length});
      if (key.name === 'tab') return;
      if ((key.name === 'char' && !key.ctrl) || key.name === 'space') {
        const typed = key.input;
        return apply(current.map((text, index) => (index === at.row ? text.slice(0, at.column) + typed + text.slice(at.column) : text)), {row: at.row, column: at.column + typed.length});
      }
    },
    {capturesText: true},
  );
  const width = Math.max(10, layout.columns - 6);
  const top = Math.max(0, Math.min(cursor.row - visibleRows + 1, lines.length - visibleRows));
  const first = Math.min(top, Math.max(0, cursor.row));
  const shown = lines.slice(first, first + visibleRows);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">{`${title}  (line ${cursor.row + 1}/${lines.length})`}</Text>
      {shown.map((text, offset) => {
        const row = first + offset;
        // Horizontal scroll for long lines: keep the cursor column in view.
        const start = row === cursor.row ? Math.max(0, cursor.column - width + 1) : 0;
        const visible = text.slice(start, start + width);
        if (row !== cursor.row) return <Text key={row} wrap="truncate-end">{`| ${visible}`}</Text>;
        const column = cursor.column - start;
        return (
          <Text key={row} wrap="truncate-end">
            {`| ${visible.slice(0, column)}`}
            <Text inverse>{visible[column] ?? ' '}</Text>
            {visible.slice(column + 1)}
          </Text>
        );
      })}
      <Text dimColor wrap="truncate-end">Ctrl-D save  Esc cancel  Enter new line  arrows move</Text>
    </Box>
  );
}
