import type {Key} from '../../source/input/keys.js';

export interface Cursor {
  row: number;
  column: number;
}

export interface TextEditorState {
  lines: string[];
  cursor: Cursor;
  /** The text as opened: Esc without changes leaves at once. */
  original: string;
  /** Esc was pressed with changes: waiting for y (discard) or n / Esc (keep editing). */
  confirmingDiscard: boolean;
}

export type TextEditorIntent = {kind: 'save'; text: string} | {kind: 'cancel'} | undefined;

export function textEditorState(text = ''): TextEditorState {
  const normalised = text.replace(/\r\n?/g, '\n');
  return {lines: normalised.length > 0 ? normalised.split('\n') : [''], cursor: {row: 0, column: 0}, original: normalised, confirmingDiscard: false};
}

export const editorText = (state: TextEditorState): string => state.lines.join('\n').replace(/\s+$/, '');

/** Ctrl-S, F2 and Ctrl-D save (Ctrl-S may be taken by flow control on some terminals, hence three). */
export const isSaveKey = (key: Key): boolean => (key.ctrl && (key.input === 's' || key.input === 'd')) || key.name === 'f2';

function insertText(state: TextEditorState, text: string): TextEditorState {
  const {lines, cursor} = state;
  const line = lines[cursor.row]!;
  const pieces = text.split('\n');
  const first = line.slice(0, cursor.column) + pieces[0];
  if (pieces.length === 1) return {...state, lines: lines.map((each, index) => (index === cursor.row ? first + line.slice(cursor.column) : each)), cursor: {row: cursor.row, column: first.length}};
  const last = pieces.at(-1)!;
  const inserted = [first, ...pieces.slice(1, -1), last + line.slice(cursor.column)];
  return {...state, lines: [...lines.slice(0, cursor.row), ...inserted, ...lines.slice(cursor.row + 1)], cursor: {row: cursor.row + pieces.length - 1, column: last.length}};
}

/**
 * One key applied to the multi-line editor, without a terminal: arrows, Home/End, Ctrl-A/E move;
 * Enter breaks the line; Backspace/Delete join lines; a paste is inserted whole (its line breaks
 * kept); Ctrl-S/F2/Ctrl-D save; Esc leaves, after asking when there is changed text.
 */
export function applyTextEditorKey(state: TextEditorState, key: Key): {state: TextEditorState; intent: TextEditorIntent} {
  const to = (next: TextEditorState) => ({state: next, intent: undefined});
  if (state.confirmingDiscard) {
    if (key.name === 'char' && (key.input === 'y' || key.input === 'Y')) return {state, intent: {kind: 'cancel'}};
    if (isSaveKey(key)) return {state, intent: {kind: 'save', text: editorText(state)}};
    return to({...state, confirmingDiscard: false});
  }
  const {lines, cursor: at} = state;
  const line = lines[at.row]!;
  const move = (cursor: Cursor) => to({...state, cursor});
  if (isSaveKey(key)) return {state, intent: {kind: 'save', text: editorText(state)}};
  if (key.name === 'escape') {
    const changed = lines.join('\n') !== state.original;
    return changed ? to({...state, confirmingDiscard: true}) : {state, intent: {kind: 'cancel'}};
  }
  if (key.name === 'paste') return to(insertText(state, key.input.replace(/\t/g, '    ')));
  if (key.name === 'return') return to(insertText(state, '\n'));
  if (key.name === 'backspace') {
    if (at.column > 0) return to({...state, lines: lines.map((text, index) => (index === at.row ? text.slice(0, at.column - 1) + text.slice(at.column) : text)), cursor: {row: at.row, column: at.column - 1}});
    if (at.row === 0) return to(state);
    const previous = lines[at.row - 1]!;
    return to({...state, lines: [...lines.slice(0, at.row - 1), previous + line, ...lines.slice(at.row + 1)], cursor: {row: at.row - 1, column: previous.length}});
  }
  if (key.name === 'delete') {
    if (at.column < line.length) return to({...state, lines: lines.map((text, index) => (index === at.row ? text.slice(0, at.column) + text.slice(at.column + 1) : text))});
    if (at.row + 1 >= lines.length) return to(state);
    return to({...state, lines: [...lines.slice(0, at.row), line + lines[at.row + 1]!, ...lines.slice(at.row + 2)]});
  }
  if (key.name === 'left') return move(at.column > 0 ? {row: at.row, column: at.column - 1} : at.row > 0 ? {row: at.row - 1, column: lines[at.row - 1]!.length} : at);
  if (key.name === 'right') return move(at.column < line.length ? {row: at.row, column: at.column + 1} : at.row + 1 < lines.length ? {row: at.row + 1, column: 0} : at);
  if (key.name === 'up') return move(at.row > 0 ? {row: at.row - 1, column: Math.min(at.column, lines[at.row - 1]!.length)} : at);
  if (key.name === 'down') return move(at.row + 1 < lines.length ? {row: at.row + 1, column: Math.min(at.column, lines[at.row + 1]!.length)} : at);
  if (key.name === 'home' || (key.ctrl && key.input === 'a')) return move({row: at.row, column: 0});
  if (key.name === 'end' || (key.ctrl && key.input === 'e')) return move({row: at.row, column: line.length});
  if ((key.name === 'char' || key.name === 'space') && !key.ctrl && !key.meta) return to(insertText(state, key.input));
  return to(state);
}
