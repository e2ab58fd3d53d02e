/** The hostile secret corpus (test/fixtures/secrets), written in every encoding a Windows config file comes in. */
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {redactionMarker} from '../../source/bundle/redaction.js';
import {encodingsOf, encodeWindows1252} from '../../source/system/text-codec.js';

export const corpusFolder = join(import.meta.dirname, '..', 'fixtures', 'secrets');
export const corpus = JSON.parse(readFileSync(join(corpusFolder, 'secrets.json'), 'utf8')) as {secrets: string[]; kept: string[]};
export const corpusFiles = readdirSync(corpusFolder).filter(name => /\.(config|conf)$/.test(name));

export const corpusEncodings = ['utf8', 'utf8-bom', 'utf16le', 'utf16be', 'windows-1252'] as const;
export type CorpusEncoding = (typeof corpusEncodings)[number];

export function encodeAs(text: string, encoding: CorpusEncoding): Buffer {
  // Windows writes CRLF; the files are kept with LF in the repository.
  const windows = text.replace(/\r?\n/g, '\r\n');
  if (encoding === 'utf8') return Buffer.from(windows, 'utf8');
  if (encoding === 'utf8-bom') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(windows, 'utf8')]);
  if (encoding === 'utf16le') return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(windows, 'utf16le')]);
  if (encoding === 'utf16be') return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(windows, 'utf16le').swap16()]);
  const ansi = encodeWindows1252(windows);
  if (!ansi) throw new Error('corpus text not representable in windows-1252');
  return ansi;
}

export function corpusFile(name: string, encoding: CorpusEncoding): Buffer {
  return encodeAs(readFileSync(join(corpusFolder, name), 'utf8'), encoding);
}

/** The first planted secret found in the bytes, in UTF-8, UTF-16 LE/BE or windows-1252; undefined when none. */
export function leakedSecret(bytes: Buffer | string, secrets: readonly string[] = corpus.secrets): string | undefined {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  return secrets.find(secret => encodingsOf(secret).some(form => buffer.includes(form)));
}

/** True when `after` is `before` with some spans replaced by the marker (everything else identical). */
export function onlyMarkersChanged(before: string, after: string): boolean {
  const pieces = after.split(redactionMarker);
  if (!before.startsWith(pieces[0]!) || !before.endsWith(pieces.at(-1)!)) return false;
  let position = pieces[0]!.length;
  for (const piece of pieces.slice(1, -1)) {
    const found = before.indexOf(piece, position);
    if (found < 0) return false;
    position = found + piece.length;
  }
  return pieces.length === 1 ? before === after : before.length - pieces.at(-1)!.length >= position;
}

