import {describe, expect, it} from 'vitest';
import {applyTextFieldKey, textFieldState, visibleParts, type TextFieldState} from '../../components/widgets/text-field-state.js';
import {applyTextEditorKey, textEditorState, type TextEditorState} from '../../components/bundle/text-editor-state.js';
import {displayWidth, truncate} from '../../components/widgets/text-width.js';
import {splitKeys} from '../../source/input/keys.js';

/** Types bytes into a field the way the console does: parsed into keys, one at a time. */
function typeInto(state: TextFieldState, bytes: string) {
  const intents: string[] = [];
  for (const key of splitKeys(bytes)) {
    const result = applyTextFieldKey(state, key);
    state = result.state;
    if (result.intent) intents.push(result.intent);
  }
  return {state, intents};
}
const shown = ({value, cursor}: TextFieldState) => `${value.slice(0, cursor)}|${value.slice(cursor)}`;

// bytes typed into an empty field -> the text with | at the cursor, and the intents.
const fieldTable: [bytes: string, text: string, intents: string[]][] = [
  ['abc', 'abc|', []],
  ['abc\u001B[D\u001B[DX', 'aX|bc', []],
  ['abc\u001B[HX', 'X|abc', []],
  ['abc\u0001X\u0005Y', 'XabcY|', []],
  ['abc\u001B[D\u001B[F!', 'abc!|', []],
  ['abc\u007F', 'ab|', []],
  ['abc\u001B[D\u001B[D\u001B[3~', 'a|c', []],
  ['one two three\u0017', 'one two |', []],
  ['one two  \u0017', 'one |', []],
  ['abcdef\u001B[D\u001B[D\u0015', '|ef', []],
  ['abcdef\u001B[D\u001B[D\u000B', 'abcd|', []],
  ['ab\u001B[200~foo\rbar\u001B[201~', 'abfoo bar|', []],
  ['x\r', 'x|', ['submit']],
  ['x\u001B', 'x|', ['cancel']],
  ['x\t\u001B[Z\u001B[A\u001B[B', 'x|', ['next', 'previous', 'previous', 'next']],
  ['a😀b\u001B[D\u001B[D\u007F', '|😀b', []],
  ['x\u001B[25~\u001BOP\u001Bq', 'x|', []],
];

describe('the text field state', () => {
  it.each(fieldTable)('%j -> %s %j', (bytes, text, intents) => {
    const result = typeInto(textFieldState(), bytes);
    expect(shown(result.state)).toBe(text);
    expect(result.intents).toEqual(intents);
  });

  it('starts with the cursor after an initial value', () => {
    expect(shown(textFieldState('abc'))).toBe('abc|');
  });

  it('scrolls by display width so the cursor stays visible', () => {
    expect(visibleParts('abcdef', 6, 4)).toEqual({before: 'def', at: '', after: ''});
    expect(visibleParts('abcdef', 0, 4)).toEqual({before: '', at: 'a', after: 'bcd'});
    const wide = visibleParts('日本語テキスト', 7, 7);
    expect(displayWidth(wide.before)).toBeLessThanOrEqual(6);
    expect(wide.before.endsWith('ト')).toBe(true);
  });
});

function typeIntoEditor(state: TextEditorState, bytes: string) {
  let intent: unknown;
  for (const key of splitKeys(bytes)) {
    const result = applyTextEditorKey(state, key);
    state = result.state;
    intent = result.intent ?? intent;
  }
  return {state, intent};
}

describe('the multi-line editor state', () => {
  it('breaks lines with Enter and keeps a pasted text with its line breaks in one step', () => {
    const {state} = typeIntoEditor(textEditorState(), 'ab\rc\u001B[200~x\ny\u001B[201~');
    expect(state.lines).toEqual(['ab', 'cx', 'y']);
    expect(state.cursor).toEqual({row: 2, column: 1});
  });

  it.each([['\u0013'], ['\u001BOQ'], ['\u0004']])('saves with %j (Ctrl-S, F2, Ctrl-D)', bytes => {
    const {intent} = typeIntoEditor(textEditorState(), `hello  ${bytes}`);
    expect(intent).toEqual({kind: 'save', text: 'hello'});
  });

  it('leaves at once with Esc when nothing changed, and asks first when text was typed', () => {
    expect(typeIntoEditor(textEditorState('as is'), '\u001B').intent).toEqual({kind: 'cancel'});
    const asked = typeIntoEditor(textEditorState(), 'typed\u001B');
    expect(asked.intent).toBeUndefined();
    expect(asked.state.confirmingDiscard).toBe(true);
    const kept = typeIntoEditor(asked.state, 'n');
    expect(kept.state.confirmingDiscard).toBe(false);
    expect(kept.state.lines).toEqual(['typed']);
    expect(typeIntoEditor(asked.state, 'y').intent).toEqual({kind: 'cancel'});
  });

  it('joins lines with Backspace at a line start and Delete at a line end', () => {
    let {state} = typeIntoEditor(textEditorState(), 'ab\rcd\u001B[H\u007F');
    expect(state.lines).toEqual(['abcd']);
    ({state} = typeIntoEditor(textEditorState('ab\ncd'), '\u001B[F\u001B[3~'));
    expect(state.lines).toEqual(['abcd']);
  });
});

describe('truncate', () => {
  it('cuts by display width with a Unicode or ASCII ellipsis', () => {
    expect(truncate('hello world', 8)).toBe('hello w…');
    expect(truncate('hello world', 8, true)).toBe('hello...');
    expect(truncate('日本語テキスト', 7)).toBe('日本語…');
    expect(displayWidth(truncate('日本語テキスト', 7))).toBeLessThanOrEqual(7);
    expect(truncate('short', 8)).toBe('short');
  });
});
