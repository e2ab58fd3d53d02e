/**
 * The one text decoder of the console. Windows configuration files come as UTF-8 (with or without
 * BOM), UTF-16 LE or BE (with or without BOM) or "ANSI" (windows-1252). Decoding is exact: encoding
 * the decoded text again gives the same bytes, so a file changed in one place keeps every other byte.
 */

export type TextEncoding = 'utf8' | 'utf16le' | 'utf16be' | 'windows-1252';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
  /** The byte-order mark as it was (empty when none). */
  bom: Buffer;
  /** A last odd byte of a UTF-16 file (kept verbatim). */
  tail: Buffer;
}

const utf8Bom = Buffer.from([0xef, 0xbb, 0xbf]);
const utf16leBom = Buffer.from([0xff, 0xfe]);
const utf16beBom = Buffer.from([0xfe, 0xff]);

/** windows-1252 bytes 0x80-0x9F; the five undefined ones map to the C1 control of the same number. */
const cp1252High = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];
const cp1252Decode: string[] = Array.from({length: 256}, (_unused, byte) => String.fromCharCode(byte >= 0x80 && byte < 0xa0 ? cp1252High[byte - 0x80]! : byte));
const cp1252Encode = new Map<number, number>(cp1252Decode.map((char, byte) => [char.charCodeAt(0), byte]));

export function decodeWindows1252(bytes: Uint8Array): string {
  let text = '';
  for (let index = 0; index < bytes.length; index += 8192) {
    const chunk = bytes.subarray(index, index + 8192);
    const chars = new Array<string>(chunk.length);
    for (let at = 0; at < chunk.length; at++) chars[at] = cp1252Decode[chunk[at]!]!;
    text += chars.join('');
  }
  return text;
}

/** Undefined when a character has no windows-1252 byte. */
export function encodeWindows1252(text: string): Buffer | undefined {
  const bytes = Buffer.alloc(text.length);
  for (let index = 0; index < text.length; index++) {
    const byte = cp1252Encode.get(text.charCodeAt(index));
    if (byte === undefined) return undefined;
    bytes[index] = byte;
  }
  return bytes;
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', {fatal: true}).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** UTF-16 without a BOM: ASCII-heavy text has a zero in every other byte. */
function bomlessUtf16(bytes: Buffer): 'utf16le' | 'utf16be' | undefined {
  const sample = bytes.subarray(0, 4096);
  if (sample.length < 4) return undefined;
  let oddZeros = 0;
  let evenZeros = 0;
  for (let index = 0; index + 1 < sample.length; index += 2) {
    if (sample[index] === 0) evenZeros++;
    if (sample[index + 1] === 0) oddZeros++;
  }
  const pairs = Math.floor(sample.length / 2);
  if (oddZeros > pairs * 0.6 && evenZeros < pairs * 0.1) return 'utf16le';
  if (evenZeros > pairs * 0.6 && oddZeros < pairs * 0.1) return 'utf16be';
  return undefined;
}

export function detectEncoding(bytes: Buffer): {encoding: TextEncoding; bom: Buffer} {
  if (bytes.subarray(0, 3).equals(utf8Bom)) return {encoding: 'utf8', bom: utf8Bom};
  if (bytes.subarray(0, 2).equals(utf16leBom)) return {encoding: 'utf16le', bom: utf16leBom};
  if (bytes.subarray(0, 2).equals(utf16beBom)) return {encoding: 'utf16be', bom: utf16beBom};
  const utf16 = bomlessUtf16(bytes);
  if (utf16) return {encoding: utf16, bom: Buffer.alloc(0)};
  return {encoding: isValidUtf8(bytes) ? 'utf8' : 'windows-1252', bom: Buffer.alloc(0)};
}

function swap16(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  return copy.swap16();
}

function decodeBody(body: Buffer, encoding: TextEncoding): string {
  if (encoding === 'utf8') return body.toString('utf8');
  if (encoding === 'utf16le') return body.toString('utf16le');
  if (encoding === 'utf16be') return swap16(body).toString('utf16le');
  return decodeWindows1252(body);
}

/** Encodes text in an encoding without BOM; throws for characters windows-1252 cannot hold. */
export function encodeBody(text: string, encoding: TextEncoding): Buffer {
  if (encoding === 'utf8') return Buffer.from(text, 'utf8');
  if (encoding === 'utf16le') return Buffer.from(text, 'utf16le');
  if (encoding === 'utf16be') return Buffer.from(text, 'utf16le').swap16();
  const bytes = encodeWindows1252(text);
  if (!bytes) throw new RangeError(`windows-1252 cannot hold: ${unencodableCharacters(text, encoding).join(' ')}`);
  return bytes;
}

/**
 * Decodes bytes exactly: when the detected encoding would not give the same bytes back (invalid
 * sequences), the file is read as windows-1252, which maps every byte to one character and back.
 */
export function decodeText(bytes: Buffer): DecodedText {
  const {encoding, bom} = detectEncoding(bytes);
  const rest = bytes.subarray(bom.length);
  const unit = encoding === 'utf16le' || encoding === 'utf16be' ? 2 : 1;
  const body = rest.subarray(0, rest.length - (rest.length % unit));
  const tail = Buffer.from(rest.subarray(body.length));
  const text = decodeBody(body, encoding);
  if (encoding !== 'windows-1252' && !encodeBody(text, encoding).equals(body)) {
    return {text: decodeWindows1252(bytes), encoding: 'windows-1252', bom: Buffer.alloc(0), tail: Buffer.alloc(0)};
  }
  return {text, encoding, bom: Buffer.from(bom), tail};
}

/** The same encoding, BOM and trailing odd byte as the decoded original. */
export function encodeText(text: string, like: Pick<DecodedText, 'encoding' | 'bom' | 'tail'>): Buffer {
  return Buffer.concat([like.bom, encodeBody(text, like.encoding), like.tail]);
}

/** Characters of `text` the encoding cannot hold (empty when it can hold all of them). */
export function unencodableCharacters(text: string, encoding: TextEncoding): string[] {
  const bad = new Set<string>();
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) bad.add(char); // a lone surrogate has no encoding at all
    else if (encoding === 'windows-1252' && !cp1252Encode.has(code)) bad.add(char);
  }
  return [...bad];
}

export function describeEncoding(encoding: TextEncoding, bom: Buffer): string {
  const name = {utf8: 'UTF-8', utf16le: 'UTF-16 LE', utf16be: 'UTF-16 BE', 'windows-1252': 'ANSI (windows-1252)'}[encoding];
  return bom.length > 0 ? `${name} with BOM` : name;
}

/** A value as bytes in each encoding a text entry may use (for masking and the leak check). */
export function encodingsOf(value: string): Buffer[] {
  const forms: Buffer[] = [Buffer.from(value, 'utf8'), Buffer.from(value, 'utf16le'), Buffer.from(value, 'utf16le').swap16()];
  const ansi = encodeWindows1252(value);
  if (ansi) forms.push(ansi);
  const unique: Buffer[] = [];
  for (const form of forms) if (!unique.some(other => other.equals(form))) unique.push(form);
  return unique;
}

const textExtensions = new Set(['.txt', '.log', '.json', '.xml', '.config', '.conf', '.csv', '.ini', '.htm', '.html', '.md', '.eml', '.ps1', '.yaml', '.yml', '.tsv']);

/** Text is redacted and leak-checked; binary files (screenshots, .evtx, ZIPs) are only leak-checked. */
export function looksLikeText(fileName: string, head: Buffer): boolean {
  const dot = fileName.lastIndexOf('.');
  if (dot >= 0 && textExtensions.has(fileName.slice(dot).toLowerCase())) return true;
  const {encoding, bom} = detectEncoding(head);
  if (bom.length > 0 || encoding === 'utf16le' || encoding === 'utf16be') return true;
  return !head.subarray(0, 8192).includes(0);
}
