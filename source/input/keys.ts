/** One key press (or one bracketed paste), whatever chunk it arrived in. */
export interface Key {
  /** The printable character ('' for special keys); the pasted text for 'paste'. */
  input: string;
  name: KeyName;
  ctrl: boolean;
  /** Alt (sent by terminals as Esc before the key). */
  meta: boolean;
  shift: boolean;
  /** The bytes that made this key ('' for a paste: its text is in input). */
  sequence: string;
}

export type FunctionKeyName = `f${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12}`;

export type KeyName =
  | 'char'
  | 'return'
  | 'escape'
  | 'tab'
  | 'backspace'
  | 'delete'
  | 'insert'
  | 'up'
  | 'down'
  | 'left'
  | 'right'
  | 'pageup'
  | 'pagedown'
  | 'home'
  | 'end'
  | 'space'
  | FunctionKeyName
  | 'paste'
  /** An escape sequence this console does not know (mouse, focus, F13...): ignored, never Esc. */
  | 'unknown';

export function makeKey(name: KeyName, fields: Partial<Omit<Key, 'name'>> = {}): Key {
  return {input: '', ctrl: false, meta: false, shift: false, sequence: '', ...fields, name};
}

const escape = '\u001B';
const pasteStart = '\u001B[200~';
const pasteEnd = '\u001B[201~';
/** A paste longer than this keeps its first part (one field never needs more). */
export const maxPasteChars = 64 * 1024;

const letterKeys: Record<string, KeyName> = {A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end', P: 'f1', Q: 'f2', R: 'f3', S: 'f4', E: 'unknown'};
const tildeKeys: Record<number, KeyName> = {
  1: 'home', 2: 'insert', 3: 'delete', 4: 'end', 5: 'pageup', 6: 'pagedown', 7: 'home', 8: 'end',
  11: 'f1', 12: 'f2', 13: 'f3', 14: 'f4', 15: 'f5', 17: 'f6', 18: 'f7', 19: 'f8', 20: 'f9', 21: 'f10', 23: 'f11', 24: 'f12',
};
/** The Linux console's F1-F5: Esc [ [ A..E. */
const linuxConsoleKeys: Record<string, KeyName> = {A: 'f1', B: 'f2', C: 'f3', D: 'f4', E: 'f5'};

/** xterm's modifier parameter: 1 + (shift 1 | alt 2 | ctrl 4). */
function modifiers(parameter: string | undefined): Pick<Key, 'ctrl' | 'meta' | 'shift'> {
  const bits = Math.max(0, (Number(parameter) || 1) - 1);
  return {shift: (bits & 1) !== 0, meta: (bits & 2) !== 0, ctrl: (bits & 4) !== 0};
}

/** The key of one complete CSI (Esc [ ...) or SS3 (Esc O x) sequence. */
function controlSequenceKey(sequence: string): Key {
  if (sequence.startsWith('\u001BO')) {
    return makeKey(letterKeys[sequence[2]!] ?? 'unknown', {sequence});
  }
  const body = sequence.slice(2, -1);
  const final = sequence.at(-1)!;
  if (body === '[' && linuxConsoleKeys[final]) return makeKey(linuxConsoleKeys[final], {sequence});
  if (!/^[0-9;]*$/.test(body)) return makeKey('unknown', {sequence});
  const parameters = body.split(';');
  if (final === 'Z') return makeKey('tab', {sequence, shift: true});
  if (final === '~') {
    const name = tildeKeys[Number(parameters[0])];
    return makeKey(name ?? 'unknown', {sequence, ...modifiers(parameters[1])});
  }
  const name = letterKeys[final];
  if (!name || name === 'unknown') return makeKey('unknown', {sequence});
  return makeKey(name, {sequence, ...modifiers(parameters[1])});
}

/** A key for one character that is not part of an escape sequence. */
function characterKey(char: string): Key {
  const code = char.codePointAt(0)!;
  if (char === '\r' || char === '\n') return makeKey('return', {sequence: char});
  if (char === '\t') return makeKey('tab', {sequence: char});
  if (char === '\u007F' || char === '\b') return makeKey('backspace', {sequence: char});
  if (char === ' ') return makeKey('space', {input: ' ', sequence: char});
  if (code === 0) return makeKey('space', {input: ' ', ctrl: true, sequence: char});
  if (code < 0x20) return makeKey('char', {input: String.fromCharCode(code + 96).replace('{', '[').replace('|', '\\').replace('}', ']').replace('~', '^').replace('\u007F', '_'), ctrl: true, sequence: char});
  return makeKey('char', {input: char, shift: char !== char.toLowerCase(), sequence: char});
}

type Scan = {key: Key; length: number} | 'pending';

/** Reads one key at the start of text (which starts with Esc). 'pending' when more bytes may follow. */
function scanEscape(text: string): Scan {
  if (text.length === 1) return 'pending';
  const second = text[1]!;
  if (second === '[') {
    // CSI: parameter bytes 0x30-0x3f, intermediate bytes 0x20-0x2f, one final byte 0x40-0x7e.
    let index = 2;
    if (text[index] === '[') index++; // the Linux console's Esc [ [ A
    for (; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code >= 0x20 && code <= 0x3f) continue;
      if (code >= 0x40 && code <= 0x7e) {
        const sequence = text.slice(0, index + 1);
        return {key: controlSequenceKey(sequence), length: sequence.length};
      }
      // Not a valid sequence: drop the introducer, keep what follows.
      return {key: makeKey('unknown', {sequence: text.slice(0, index)}), length: index};
    }
    return 'pending';
  }
  if (second === 'O') {
    if (text.length < 3) return 'pending';
    return {key: controlSequenceKey(text.slice(0, 3)), length: 3};
  }
  if (second === escape) {
    // Esc Esc ...: the first is an Esc of its own (a burst "Esc, Down" from rxvt-style terminals).
    return {key: makeKey('escape', {sequence: escape}), length: 1};
  }
  // Alt + a key: Esc then that key.
  const code = text.codePointAt(1)!;
  const char = String.fromCodePoint(code);
  const inner = characterKey(char);
  return {key: {...inner, meta: true, sequence: escape + char}, length: 1 + char.length};
}

export interface KeyParser {
  /** The keys completed by this chunk; an incomplete sequence waits for the next chunk. */
  push(chunk: string): Key[];
  /** Something waits for more bytes (a lone Esc, half a sequence, an unfinished paste). */
  pending(): boolean;
  /** No more bytes came in time: a lone Esc is the Esc key, half a sequence is dropped. */
  flush(): Key[];
}

/**
 * Turns terminal input into keys. Over SSH a burst such as "389\r" arrives as one chunk, and an
 * escape sequence may be cut between two chunks; every screen must see whole keys, in order.
 * A bracketed paste (Esc [200~ ... Esc [201~) is one key, 'paste', whose input is the text.
 */
export function createKeyParser(): KeyParser {
  let buffer = '';
  let paste: string | undefined;
  const parse = (): Key[] => {
    const keys: Key[] = [];
    for (;;) {
      if (paste !== undefined) {
        const end = buffer.indexOf(pasteEnd);
        // Keep a possible start of the end marker for the next chunk.
        const usable = end >= 0 ? end : Math.max(0, buffer.length - (pasteEnd.length - 1));
        if (paste.length < maxPasteChars) paste += buffer.slice(0, usable).slice(0, maxPasteChars - paste.length);
        buffer = buffer.slice(usable);
        if (end < 0) return keys;
        buffer = buffer.slice(pasteEnd.length);
        keys.push(makeKey('paste', {input: cleanPaste(paste)}));
        paste = undefined;
        continue;
      }
      if (buffer.length === 0) return keys;
      if (buffer.startsWith(pasteStart)) {
        paste = '';
        buffer = buffer.slice(pasteStart.length);
        continue;
      }
      if (buffer[0] === escape) {
        if (pasteStart.startsWith(buffer)) return keys;
        const scan = scanEscape(buffer);
        if (scan === 'pending') return keys;
        keys.push(scan.key);
        buffer = buffer.slice(scan.length);
        continue;
      }
      const char = String.fromCodePoint(buffer.codePointAt(0)!);
      keys.push(characterKey(char));
      buffer = buffer.slice(char.length);
    }
  };
  return {
    push(chunk) {
      buffer += chunk;
      return parse();
    },
    pending: () => buffer.length > 0 || paste !== undefined,
    flush() {
      const keys: Key[] = [];
      if (paste !== undefined) {
        // The end marker never came: the text so far is still one paste.
        keys.push(makeKey('paste', {input: cleanPaste((paste + buffer).slice(0, maxPasteChars))}));
        paste = undefined;
      } else if (buffer === escape) keys.push(makeKey('escape', {sequence: escape}));
      // Any other leftover is half an escape sequence: dropped, not taken for Esc.
      buffer = '';
      return keys;
    },
  };
}

/** Pasted text without control characters other than line breaks and tabs; line breaks as \n. */
function cleanPaste(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

/** Splits one complete chunk into keys (a lone Esc at its end is the Esc key). */
export function splitKeys(chunk: string): Key[] {
  const parser = createKeyParser();
  return [...parser.push(chunk), ...parser.flush()];
}

const plain = (key: Key): boolean => !key.ctrl && !key.meta;
export const isCtrlC = (key: Key): boolean => key.ctrl && !key.meta && key.name === 'char' && key.input === 'c';
export const isUp = (key: Key): boolean => plain(key) && (key.name === 'up' || (key.name === 'char' && key.input === 'k'));
export const isDown = (key: Key): boolean => plain(key) && (key.name === 'down' || (key.name === 'char' && key.input === 'j'));
export const isChar = (key: Key, char: string): boolean => key.name === 'char' && plain(key) && key.input === char;
/** Esc alone (not Alt+something, not an unknown sequence). */
export const isEscape = (key: Key): boolean => key.name === 'escape' && !key.ctrl;
