/** One key press, whatever chunk it arrived in. */
export interface Key {
  /** The printable character ('' for special keys). */
  input: string;
  name: KeyName;
  ctrl: boolean;
}

export type KeyName = 'char' | 'return' | 'escape' | 'tab' | 'backspace' | 'delete' | 'up' | 'down' | 'left' | 'right' | 'pageup' | 'pagedown' | 'home' | 'end' | 'space';

const sequences: Record<string, KeyName> = {
  '\u001B[A': 'up', '\u001B[B': 'down', '\u001B[C': 'right', '\u001B[D': 'left',
  '\u001BOA': 'up', '\u001BOB': 'down', '\u001BOC': 'right', '\u001BOD': 'left',
  '\u001B[5~': 'pageup', '\u001B[6~': 'pagedown', '\u001B[H': 'home', '\u001B[F': 'end',
  '\u001B[1~': 'home', '\u001B[4~': 'end', '\u001BOH': 'home', '\u001BOF': 'end', '\u001B[3~': 'delete',
  '\u001B': 'escape',
};

/**
 * Splits one input event into key presses. Over SSH a burst such as "389\r" or "jj\r" arrives
 * as one chunk; every screen must see it key by key, in order.
 */
export function splitKeys(chunk: string): Key[] {
  const keys: Key[] = [];
  let index = 0;
  while (index < chunk.length) {
    const char = chunk[index]!;
    if (char === '\u001B') {
      if (chunk[index + 1] === '\u001B') {
        // Esc then an escape sequence (or Esc Esc): the first Esc is a key of its own.
        keys.push({input: '', name: 'escape', ctrl: false});
        index += 1;
        continue;
      }
      const match = /^\u001B(\[[0-9;]*[~A-Za-z]|O[A-Za-z])?/.exec(chunk.slice(index))!;
      const sequence = match[0];
      keys.push({input: '', name: sequences[sequence] ?? 'escape', ctrl: false});
      index += sequence.length;
      continue;
    }
    const code = chunk.codePointAt(index)!;
    const width = code > 0xffff ? 2 : 1;
    index += width;
    if (char === '\r' || char === '\n') keys.push({input: '', name: 'return', ctrl: false});
    else if (char === '\t') keys.push({input: '', name: 'tab', ctrl: false});
    else if (char === '\u007F' || char === '\b') keys.push({input: '', name: 'backspace', ctrl: false});
    else if (char === ' ') keys.push({input: ' ', name: 'space', ctrl: false});
    else if (code < 0x20) keys.push({input: String.fromCharCode(code + 96), name: 'char', ctrl: true});
    else keys.push({input: chunk.slice(index - width, index), name: 'char', ctrl: false});
  }
  return keys;
}

export const isCtrlC = (key: Key): boolean => key.ctrl && key.input === 'c';
export const isUp = (key: Key): boolean => key.name === 'up' || (key.name === 'char' && !key.ctrl && key.input === 'k');
export const isDown = (key: Key): boolean => key.name === 'down' || (key.name === 'char' && !key.ctrl && key.input === 'j');
export const isChar = (key: Key, char: string): boolean => key.name === 'char' && !key.ctrl && key.input === char;
