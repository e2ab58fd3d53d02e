import React, {useState} from 'react';
import {Box, Text} from 'ink';
import type {Key} from '../../source/input/keys.js';
import {useKeyTable} from '../input/key-table.js';
import {useLayout} from '../layout.js';
import {applyTextEditorKey, isSaveKey, textEditorState} from './text-editor-state.js';

export interface TextEditorProps {
  title: string;
  initialText?: string;
  /** Rows for the text itself (the frame adds three). */
  rows?: number;
  onSave: (text: string) => void;
  onCancel: () => void;
}

/**
 * A small multi-line editor: the state and every key's effect live in text-editor-state.ts (pure);
 * this view draws them. Long texts scroll to keep the cursor visible.
 */
export function TextEditor({title, initialText = '', rows, onSave, onCancel}: TextEditorProps) {
  const layout = useLayout();
  const visibleRows = Math.max(3, rows ?? layout.bodyRows - 3);
  const [state, setState] = useState(() => textEditorState(initialText));
  const edit = (key: Key) => {
    const {state: next, intent} = applyTextEditorKey(state, key);
    if (next !== state) setState(next);
    if (intent?.kind === 'save') onSave(intent.text);
    else if (intent?.kind === 'cancel') onCancel();
  };
  // Every key goes to the editor's state; the table says which ones mean something here.
  useKeyTable(
    state.confirmingDiscard
      ? [
          {keys: 'y', does: 'discard', matches: key => key.name === 'char' && (key.input === 'y' || key.input === 'Y'), run: edit},
          {keys: 'Ctrl-S', does: 'save', matches: isSaveKey, run: edit},
          {keys: 'any other key', does: 'keep editing', matches: () => true, run: edit},
        ]
      : [
          {keys: 'Ctrl-S/F2/Ctrl-D', does: 'save', matches: isSaveKey, run: edit},
          {keys: 'Esc', does: 'cancel', matches: key => key.name === 'escape', run: edit},
          {keys: 'Enter', does: 'new line', matches: key => key.name === 'return', run: edit},
          {keys: 'arrows', does: 'move', matches: () => false, run: edit},
        ],
    {capturesText: true, onOtherKey: edit},
  );
  const {lines, cursor} = state;
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
            {layout.color ? <Text inverse>{visible[column] ?? ' '}</Text> : <Text>{visible[column] === undefined ? '_' : `[${visible[column]}]`}</Text>}
            {visible.slice(column + 1)}
          </Text>
        );
      })}
      {state.confirmingDiscard ? <Text bold wrap="truncate-end">Discard the text typed here? y discard, Ctrl-S save, any other key keeps editing</Text> : null}
    </Box>
  );
}
