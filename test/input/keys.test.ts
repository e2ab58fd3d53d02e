import {describe, expect, it} from 'vitest';
import {createKeyParser, isChar, isDown, isEscape, isUp, maxPasteChars, splitKeys, type Key} from '../../source/input/keys.js';

/** A key as a short word: "x", "^c" (Ctrl), "M-x" (Alt), "S-tab" (Shift), "up", "paste:text". */
function word(key: Key): string {
  const prefix = `${key.ctrl ? 'C-' : ''}${key.meta ? 'M-' : ''}${key.shift && key.name !== 'char' ? 'S-' : ''}`;
  if (key.name === 'paste') return `paste:${key.input}`;
  if (key.name === 'char') return key.ctrl ? `^${key.input}` : `${key.meta ? 'M-' : ''}${key.input}`;
  return prefix + key.name;
}
const words = (chunk: string) => splitKeys(chunk).map(word);

// One row: what the terminal sends -> the keys the console must see.
const table: [bytes: string, keys: string[]][] = [
  ['389\r', ['3', '8', '9', 'return']],
  ['jj\n', ['j', 'j', 'return']],
  ['\u001B[A\u001B[B\u001B[C\u001B[D', ['up', 'down', 'right', 'left']],
  ['\u001BOA\u001BOB\u001BOC\u001BOD', ['up', 'down', 'right', 'left']],
  ['\u001B[5~\u001B[6~\u001B[3~\u001B[2~', ['pageup', 'pagedown', 'delete', 'insert']],
  ['\u001B[H\u001B[F\u001B[1~\u001B[4~\u001BOH\u001BOF\u001B[7~\u001B[8~', ['home', 'end', 'home', 'end', 'home', 'end', 'home', 'end']],
  ['\u001B', ['escape']],
  ['\u001B\u001B[B', ['escape', 'down']],
  ['\u001B\u001B', ['escape', 'escape']],
  // Shift+Tab, modifiers, function keys: never Esc.
  ['\u001B[Z', ['S-tab']],
  ['\u001B[1;5C\u001B[1;5D', ['C-right', 'C-left']],
  ['\u001B[1;2A\u001B[1;3B\u001B[1;7D', ['S-up', 'M-down', 'C-M-left']],
  ['\u001B[3;5~', ['C-delete']],
  ['\u001BOP\u001BOQ\u001BOR\u001BOS', ['f1', 'f2', 'f3', 'f4']],
  ['\u001B[11~\u001B[15~\u001B[17~\u001B[21~\u001B[23~\u001B[24~', ['f1', 'f5', 'f6', 'f10', 'f11', 'f12']],
  ['\u001B[[A\u001B[[E', ['f1', 'f5']],
  ['\u001B[1;2P', ['S-f1']],
  // Alt as meta.
  ['\u001Bx', ['M-x']],
  ['\u001B\r', ['M-return']],
  ['\u001B\u007F', ['M-backspace']],
  // Unknown sequences are their own (ignored) key, not Esc and not text.
  ['\u001B[25~a', ['unknown', 'a']],
  ['\u001B[<0;10;5M', ['unknown']],
  ['\u001B[I\u001B[O', ['unknown', 'unknown']],
  ['\u001BOx', ['unknown']],
  // Control characters, backspace, tab, space.
  ['\u0003\u007F\b\t \u0000', ['^c', 'backspace', 'backspace', 'tab', 'space', 'C-space']],
  ['\u0001\u0005\u0017\u0015\u0013\u0004', ['^a', '^e', '^w', '^u', '^s', '^d']],
  ['für😀', ['f', 'ü', 'r', '😀']],
  ['A', ['A']],
  // Bracketed paste: one key, line breaks kept as \n, control characters removed.
  ['\u001B[200~foo\rbar\u001B[201~x', ['paste:foo\nbar', 'x']],
  ['\u001B[200~a\r\nb\u0007\u001B[Ac\u001B[201~', ['paste:a\nb[Ac']],
  ['\u001B[200~\u001B[201~', ['paste:']],
];

describe('the key parser', () => {
  it.each(table)('%j -> %j', (bytes, expected) => {
    expect(words(bytes)).toEqual(expected);
  });

  it('waits for the rest of an escape sequence cut between two reads', () => {
    for (const sequence of ['\u001B[A', '\u001B[1;5C', '\u001BOP', '\u001B[15~', '\u001B[Z']) {
      const whole = words(sequence);
      for (let cut = 1; cut < sequence.length; cut++) {
        const parser = createKeyParser();
        const first = parser.push(sequence.slice(0, cut));
        expect(first).toEqual([]);
        expect(parser.pending()).toBe(true);
        expect([...first, ...parser.push(sequence.slice(cut))].map(word)).toEqual(whole);
        expect(parser.pending()).toBe(false);
      }
    }
  });

  it('keeps a paste whole when it and its markers are cut anywhere', () => {
    const bytes = '1\u001B[200~foo\rbar\u001B[201~2';
    for (let cut = 1; cut < bytes.length; cut++) {
      const parser = createKeyParser();
      const keys = [...parser.push(bytes.slice(0, cut)), ...parser.push(bytes.slice(cut))];
      expect(keys.map(word)).toEqual(['1', 'paste:foo\nbar', '2']);
    }
  });

  it('takes a lone Esc for Esc only when nothing follows in time, and drops half a sequence', () => {
    const parser = createKeyParser();
    expect(parser.push('\u001B')).toEqual([]);
    expect(parser.flush().map(word)).toEqual(['escape']);
    expect(parser.push('\u001B[1;')).toEqual([]);
    expect(parser.flush()).toEqual([]);
    expect(parser.push('j').map(word)).toEqual(['j']);
  });

  it('ends an unfinished paste as a paste, and bounds its length', () => {
    const parser = createKeyParser();
    parser.push('\u001B[200~');
    parser.push('x'.repeat(maxPasteChars + 100));
    const [paste] = parser.flush();
    expect(paste?.name).toBe('paste');
    expect(paste?.input.length).toBe(maxPasteChars);
  });

  it('matches keys for screens: Alt or Ctrl with a letter is not that letter', () => {
    const [j, altJ, ctrlJ] = [...splitKeys('j'), ...splitKeys('\u001Bj'), ...splitKeys('\u001B[1;5B')];
    expect(isDown(j!)).toBe(true);
    expect(isDown(altJ!)).toBe(false);
    expect(isChar(altJ!, 'j')).toBe(false);
    expect(isDown(ctrlJ!)).toBe(false);
    expect(isUp(splitKeys('k')[0]!)).toBe(true);
    expect(splitKeys('\u001B[Z\u001BOP\u001Bx\u001B[25~').some(isEscape)).toBe(false);
  });
});
