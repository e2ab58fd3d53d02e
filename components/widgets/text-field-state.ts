import {displayWidth, takeColumns, takeLastColumns} from './text-width.js';
import type {Key} from '../../source/input/keys.js';

/** A one-line field: its text and where the cursor stands (0..value.length, in UTF-16 units on code point borders). */
export interface TextFieldState {
  value: string;
  cursor: number;
}

/** What a key asks of the field's owner besides changing the text. */
export type TextFieldIntent = 'submit' | 'cancel' | 'previous' | 'next' | undefined;

export function textFieldState(value = ''): TextFieldState {
  return {value, cursor: value.length};
}

const previousBorder = (text: string, at: number) => (at >= 2 && /[\udc00-\udfff]/.test(text[at - 1]!) && /[\ud800-\udbff]/.test(text[at - 2]!) ? at - 2 : Math.max(0, at - 1));
const nextBorder = (text: string, at: number) => (at < text.length && /[\ud800-\udbff]/.test(text[at]!) && /[\udc00-\udfff]/.test(text[at + 1] ?? '') ? at + 2 : Math.min(text.length, at + 1));

/** Start of the word before the cursor (Ctrl-W): spaces first, then the word. */
function wordStart(text: string, at: number): number {
  let index = at;
  while (index > 0 && /\s/.test(text[index - 1]!)) index--;
  while (index > 0 && !/\s/.test(text[index - 1]!)) index--;
  return index;
}

function insert(state: TextFieldState, text: string): TextFieldState {
  return {value: state.value.slice(0, state.cursor) + text + state.value.slice(state.cursor), cursor: state.cursor + text.length};
}

/**
 * One key applied to a field, without a terminal: Left/Right/Home/End and Ctrl-A/E move, Backspace
 * and Delete erase, Ctrl-W erases a word, Ctrl-U the text before the cursor, a paste is inserted
 * whole (line breaks become spaces: one line). Enter submits, Esc cancels, Up/Down/Tab/Shift+Tab
 * move between fields.
 */
export function applyTextFieldKey(state: TextFieldState, key: Key): {state: TextFieldState; intent: TextFieldIntent} {
  const same = (intent: TextFieldIntent) => ({state, intent});
  const to = (next: TextFieldState) => ({state: next, intent: undefined});
  const {value, cursor} = state;
  if (key.name === 'return' && !key.meta) return same('submit');
  if (key.name === 'escape') return same('cancel');
  if (key.name === 'up') return same('previous');
  if (key.name === 'down') return same('next');
  if (key.name === 'tab') return same(key.shift ? 'previous' : 'next');
  if (key.name === 'paste') return to(insert(state, key.input.replace(/[\r\n\t]+/g, ' ')));
  if (key.name === 'left') return to({value, cursor: key.ctrl ? wordStart(value, cursor) : previousBorder(value, cursor)});
  if (key.name === 'right') return to({value, cursor: nextBorder(value, cursor)});
  if (key.name === 'home' || (key.ctrl && key.input === 'a')) return to({value, cursor: 0});
  if (key.name === 'end' || (key.ctrl && key.input === 'e')) return to({value, cursor: value.length});
  if (key.name === 'backspace' && key.meta) {
    const start = wordStart(value, cursor);
    return to({value: value.slice(0, start) + value.slice(cursor), cursor: start});
  }
  if (key.name === 'backspace') {
    const start = previousBorder(value, cursor);
    return to({value: value.slice(0, start) + value.slice(cursor), cursor: start});
  }
  if (key.name === 'delete' || (key.ctrl && key.input === 'd' && value.length > 0)) return to({value: value.slice(0, cursor) + value.slice(nextBorder(value, cursor)), cursor});
  if (key.ctrl && key.input === 'w') {
    const start = wordStart(value, cursor);
    return to({value: value.slice(0, start) + value.slice(cursor), cursor: start});
  }
  if (key.ctrl && key.input === 'u') return to({value: value.slice(cursor), cursor: 0});
  if (key.ctrl && key.input === 'k') return to({value: value.slice(0, cursor), cursor});
  if ((key.name === 'char' || key.name === 'space') && !key.ctrl && !key.meta) return to(insert(state, key.input));
  return same(undefined);
}

/** The field as three parts around the cursor, scrolled so the text before the cursor and the cursor fit in width columns. */
export function visibleParts(shown: string, cursor: number, width: number): {before: string; at: string; after: string} {
  const room = Math.max(2, width);
  const at = String.fromCodePoint(shown.codePointAt(cursor) ?? 32);
  const cursorColumns = displayWidth(at);
  const before = takeLastColumns(shown.slice(0, cursor), room - cursorColumns);
  const used = displayWidth(before) + cursorColumns;
  const after = takeColumns(shown.slice(cursor + (cursor < shown.length ? at.length : 0)), Math.max(0, room - used));
  return {before, at: cursor < shown.length ? at : '', after};
}
