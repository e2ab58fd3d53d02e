import {createHash} from 'node:crypto';
import {readFile, stat} from 'node:fs/promises';
import {OperationalError} from '../errors.js';
import {decodeText, describeEncoding as describeCodec, encodeBody, unencodableCharacters as codecUnencodable, type TextEncoding as CodecEncoding} from './text-codec.js';

/**
 * Byte-preserving text documents for configuration files the console edits in place
 * (CYREN *.conf, Gateway Role.config): every line keeps its original bytes until it is edited,
 * so untouched lines, line endings, the BOM and a missing trailing newline survive a save exactly.
 * Decoding is the console's one text decoder (text-codec.ts).
 */

/** utf8 = UTF-8 without BOM; windows-1252 = a file that is not valid UTF-8 ("ANSI"). */
export type TextEncoding = 'utf8' | 'utf8-bom' | 'utf16le-bom' | 'utf16be-bom' | 'windows-1252';
export type LineEnding = '\r\n' | '\n' | '';

export interface TextLine {
  /** The line's characters, without its ending. */
  readonly text: string;
  /** '' only on a last line without a trailing newline. */
  readonly ending: LineEnding;
  /** The original bytes (text + ending); absent once the line was edited or inserted. */
  readonly raw?: Buffer;
}

export interface TextDocument {
  readonly path: string;
  readonly encoding: TextEncoding;
  /** BOM bytes kept verbatim (empty when none). */
  readonly bom: Buffer;
  readonly lines: readonly TextLine[];
  /** SHA-256 of the bytes as read: saving refuses when the file on disk no longer has it. */
  readonly originalHash: string;
  /** Permission bits of the file as read (kept on save). */
  readonly mode: number;
}

export class TextFileError extends OperationalError {
  override name = 'TextFileError';
}

/** The file on disk is not the one that was read: someone else saved it meanwhile. */
export class FileChangedError extends TextFileError {
  override name = 'FileChangedError';
  constructor(readonly path: string) {
    super(`${path} was changed by someone else since it was read; nothing was written. Read it again and repeat the change.`);
  }
}

export class ReadOnlyFileError extends TextFileError {
  override name = 'ReadOnlyFileError';
  constructor(readonly path: string) {
    super(`${path} is read-only (or not writable by this account); nothing was written. Clear the read-only attribute or run as an administrator.`);
  }
}

export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function codecOf(encoding: TextEncoding): CodecEncoding {
  return encoding === 'utf8-bom' ? 'utf8' : encoding === 'utf16le-bom' ? 'utf16le' : encoding === 'utf16be-bom' ? 'utf16be' : encoding;
}

/** Splits bytes into lines at LF (a CR directly before it belongs to the ending), keeping raw bytes. */
export function parseTextBytes(bytes: Buffer, path = '<memory>', mode = 0o644): TextDocument {
  const decoded = decodeText(bytes);
  const utf16 = decoded.encoding === 'utf16le' || decoded.encoding === 'utf16be';
  if (utf16 && decoded.bom.length === 0) {
    throw new TextFileError(`${path} contains NUL bytes (binary, or UTF-16 without a byte-order mark); nsp-console does not edit it. Nothing was changed.`);
  }
  if (!utf16 && bytes.includes(0)) throw new TextFileError(`${path} contains NUL bytes (binary); nsp-console does not edit it. Nothing was changed.`);
  if (decoded.tail.length > 0) throw new TextFileError(`${path} ends in half a UTF-16 character; nsp-console does not edit it. Nothing was changed.`);
  const encoding: TextEncoding =
    decoded.encoding === 'utf8' ? (decoded.bom.length > 0 ? 'utf8-bom' : 'utf8') : decoded.encoding === 'utf16le' ? 'utf16le-bom' : decoded.encoding === 'utf16be' ? 'utf16be-bom' : 'windows-1252';
  const lines: TextLine[] = [];
  // The decoder is exact, so each line's bytes are its text encoded again.
  for (const match of decoded.text.matchAll(/([^\n]*?)(\r?\n|$)/g)) {
    if (match[0].length === 0) break;
    const text = match[1]!;
    const ending = match[2] as LineEnding;
    lines.push({text, ending, raw: encodeBody(text + ending, decoded.encoding)});
    if (ending === '') break;
  }
  return {path, encoding, bom: decoded.bom, lines, originalHash: contentHash(bytes), mode};
}

export function encodeText(text: string, encoding: TextEncoding): Buffer {
  return encodeBody(text, codecOf(encoding));
}

/** Characters of `text` the encoding cannot hold (empty when it can hold all of them). */
export function unencodableCharacters(text: string, encoding: TextEncoding): string[] {
  return codecUnencodable(text, codecOf(encoding));
}

export function describeEncoding(encoding: TextEncoding): string {
  return describeCodec(codecOf(encoding), encoding.endsWith('-bom') ? Buffer.from([0]) : Buffer.alloc(0));
}

export async function readTextFile(path: string): Promise<TextDocument> {
  const [bytes, info] = await Promise.all([readFile(path), stat(path)]);
  return parseTextBytes(bytes, path, info.mode & 0o777);
}

export function serializeTextDocument(document: TextDocument): Buffer {
  const parts: Buffer[] = [document.bom];
  for (const line of document.lines) parts.push(line.raw ?? encodeText(line.text + line.ending, document.encoding));
  return Buffer.concat(parts);
}

/** The ending most lines use (CRLF on ties: these are Windows files); for new lines. */
export function dominantLineEnding(document: TextDocument): '\r\n' | '\n' {
  let crlf = 0;
  let lf = 0;
  for (const line of document.lines) {
    if (line.ending === '\r\n') crlf++;
    else if (line.ending === '\n') lf++;
  }
  return lf > crlf ? '\n' : '\r\n';
}

function checkLineText(text: string): void {
  if (/[\r\n]/.test(text)) throw new TextFileError('A line cannot contain a line break.');
}

/** Returns a copy with line `index` replaced; its ending stays as it was. */
export function replaceLine(document: TextDocument, index: number, text: string): TextDocument {
  const line = document.lines[index];
  if (!line) throw new RangeError(`No line ${index + 1} in ${document.path}.`);
  checkLineText(text);
  if (line.text === text) return document;
  const lines = [...document.lines];
  lines[index] = {text, ending: line.ending};
  return {...document, lines};
}

/**
 * Returns a copy with new lines inserted before line `index` (index = lines.length appends).
 * New lines take the ending of the line before them (or the file's dominant one). Appending after
 * a last line without a newline gives that line one and leaves the new last line without, so the
 * file still ends the way it did.
 */
export function insertLines(document: TextDocument, index: number, texts: readonly string[]): TextDocument {
  if (index < 0 || index > document.lines.length) throw new RangeError(`Cannot insert at line ${index + 1} in ${document.path}.`);
  if (texts.length === 0) return document;
  texts.forEach(checkLineText);
  const lines = [...document.lines];
  const previous = lines[index - 1];
  const ending: '\r\n' | '\n' = previous && previous.ending !== '' ? previous.ending : dominantLineEnding(document);
  const inserted: TextLine[] = texts.map(text => ({text, ending}));
  if (previous && previous.ending === '' && index === lines.length) {
    lines[index - 1] = {text: previous.text, ending};
    inserted[inserted.length - 1] = {text: texts[texts.length - 1]!, ending: ''};
  }
  lines.splice(index, 0, ...inserted);
  return {...document, lines};
}

/** Returns a copy without line `index`. */
export function removeLine(document: TextDocument, index: number): TextDocument {
  if (!document.lines[index]) throw new RangeError(`No line ${index + 1} in ${document.path}.`);
  const lines = [...document.lines];
  lines.splice(index, 1);
  const last = lines.at(-1);
  // Removing the old last line must not invent or drop the trailing newline.
  if (index === document.lines.length - 1 && last && document.lines[index]!.ending === '') lines[lines.length - 1] = {text: last.text, ending: ''};
  return {...document, lines};
}

export function isModified(document: TextDocument): boolean {
  return contentHash(serializeTextDocument(document)) !== document.originalHash;
}
