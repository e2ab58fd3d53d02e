import {createHash} from 'node:crypto';
import {constants} from 'node:fs';
import {access, readdir, readFile, stat} from 'node:fs/promises';
import {basename, dirname, join} from 'node:path';
import {OperationalError} from '../errors.js';
import {resolveWriteTarget, writeFileAtomic, writeFileExclusive} from './atomic-write.js';

/**
 * Byte-preserving text documents for configuration files the console edits in place
 * (CYREN *.conf, Gateway Role.config): every line keeps its original bytes until it is edited,
 * so untouched lines, line endings, the BOM and a missing trailing newline survive a save exactly.
 */

/** utf8 = UTF-8 without BOM; latin1 = a file that is not valid UTF-8 ("ANSI"), read byte = character. */
export type TextEncoding = 'utf8' | 'utf8-bom' | 'utf16le-bom' | 'latin1';
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

const utf8Bom = Buffer.from([0xef, 0xbb, 0xbf]);
const utf16leBom = Buffer.from([0xff, 0xfe]);

function isValidUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', {fatal: true}).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Splits bytes into lines at LF (a CR directly before it belongs to the ending), keeping raw bytes. */
export function parseTextBytes(bytes: Buffer, path = '<memory>', mode = 0o644): TextDocument {
  let encoding: TextEncoding;
  let bom: Buffer;
  if (bytes.subarray(0, 3).equals(utf8Bom)) [encoding, bom] = ['utf8-bom', utf8Bom];
  else if (bytes.subarray(0, 2).equals(utf16leBom)) [encoding, bom] = ['utf16le-bom', utf16leBom];
  else if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    throw new TextFileError(`${path} is UTF-16 big-endian; nsp-console edits UTF-8 and UTF-16 LE files only. Nothing was changed.`);
  } else if (bytes.includes(0)) {
    throw new TextFileError(`${path} contains NUL bytes (binary, or UTF-16 without a byte-order mark); nsp-console does not edit it. Nothing was changed.`);
  } else [encoding, bom] = [isValidUtf8(bytes) ? 'utf8' : 'latin1', Buffer.alloc(0)];

  const body = bytes.subarray(bom.length);
  const unit = encoding === 'utf16le-bom' ? 2 : 1;
  const isByte = (offset: number, code: number) => (unit === 1 ? body[offset] === code : body[offset] === code && body[offset + 1] === 0);
  const lines: TextLine[] = [];
  let start = 0;
  for (let offset = 0; offset + unit <= body.length; offset += unit) {
    if (!isByte(offset, 0x0a)) continue;
    const crlf = offset - unit >= start && isByte(offset - unit, 0x0d);
    const textEnd = crlf ? offset - unit : offset;
    lines.push({text: decode(body.subarray(start, textEnd), encoding), ending: crlf ? '\r\n' : '\n', raw: Buffer.from(body.subarray(start, offset + unit))});
    start = offset + unit;
  }
  if (start < body.length) lines.push({text: decode(body.subarray(start), encoding), ending: '', raw: Buffer.from(body.subarray(start))});
  return {path, encoding, bom: Buffer.from(bom), lines, originalHash: contentHash(bytes), mode};
}

function decode(bytes: Buffer, encoding: TextEncoding): string {
  if (encoding === 'utf16le-bom') return bytes.toString('utf16le');
  if (encoding === 'latin1') return bytes.toString('latin1');
  return bytes.toString('utf8');
}

export function encodeText(text: string, encoding: TextEncoding): Buffer {
  if (encoding === 'utf16le-bom') return Buffer.from(text, 'utf16le');
  if (encoding === 'latin1') return Buffer.from(text, 'latin1');
  return Buffer.from(text, 'utf8');
}

/** Characters of `text` the encoding cannot hold (empty when it can hold all of them). */
export function unencodableCharacters(text: string, encoding: TextEncoding): string[] {
  const bad = new Set<string>();
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) bad.add(char); // a lone surrogate has no encoding at all
    else if (encoding === 'latin1' && code > 0xff) bad.add(char);
  }
  return [...bad];
}

export function describeEncoding(encoding: TextEncoding): string {
  return {utf8: 'UTF-8', 'utf8-bom': 'UTF-8 with BOM', 'utf16le-bom': 'UTF-16 LE with BOM', latin1: 'ANSI (Latin-1)'}[encoding];
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

// ---------------------------------------------------------------------------------------------
// Backups and safe saving

/** Backups sit next to the file (same folder, so same ACLs and volume): `<name>.<yyyymmdd-hhmmss>.nspbak`. */
export const backupSuffix = '.nspbak';

export interface BackupOptions {
  /** Folder for the backups (default: the file's own folder). */
  backupDir?: string;
  /** Time stamp for the backup name (default: now). One save of several files passes one time. */
  now?: Date;
  /** The exact stamp (yyyymmdd-hhmmss[-n]) to try first, so the files of one save share it. */
  stamp?: string;
}

export function backupStamp(date: Date): string {
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
}

export interface BackupEntry {
  /** Full path of the backup file. */
  path: string;
  /** The file it is a backup of. */
  original: string;
  /** yyyymmdd-hhmmss[-n] from the name: backups of one save share it. */
  stamp: string;
  takenAt: Date;
  size: number;
}

const stampPattern = /^(\d{8})-(\d{6})(?:-(\d+))?$/;

function stampDate(stamp: string): Date {
  const match = stampPattern.exec(stamp)!;
  const [d, t] = [match[1]!, match[2]!];
  return new Date(Number(d.slice(0, 4)), Number(d.slice(4, 6)) - 1, Number(d.slice(6, 8)), Number(t.slice(0, 2)), Number(t.slice(2, 4)), Number(t.slice(4, 6)));
}

/**
 * Backups of `path`, newest first. A symbolic link's backups sit next to its target (named after
 * the target), since that is the file that is edited.
 */
export async function listBackups(path: string, options: Pick<BackupOptions, 'backupDir'> = {}): Promise<BackupEntry[]> {
  const target = await resolveWriteTarget(path);
  const folder = options.backupDir ?? dirname(target);
  const prefix = `${basename(target)}.`;
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const entries: BackupEntry[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(backupSuffix)) continue;
    const stamp = name.slice(prefix.length, -backupSuffix.length);
    if (!stampPattern.test(stamp)) continue;
    const full = join(folder, name);
    const info = await stat(full);
    entries.push({path: full, original: path, stamp, takenAt: stampDate(stamp), size: info.size});
  }
  const order = (entry: BackupEntry) => `${entry.stamp.slice(0, 15)}-${(stampPattern.exec(entry.stamp)![3] ?? '1').padStart(6, '0')}`;
  return entries.sort((a, b) => order(b).localeCompare(order(a)));
}

/** The backup file name `path` would get for `stamp` (next to the link's target for a link). */
export async function backupPathFor(path: string, stamp: string, options: Pick<BackupOptions, 'backupDir'> = {}): Promise<string> {
  const target = await resolveWriteTarget(path);
  return join(options.backupDir ?? dirname(target), `${basename(target)}.${stamp}${backupSuffix}`);
}

/**
 * Copies the current bytes to a new backup file. The name is created exclusively, so two savers
 * at the same second get two backups (-2, -3, …) and an older backup is never overwritten.
 */
export async function writeBackup(path: string, bytes: Buffer, mode: number, options: BackupOptions = {}): Promise<string> {
  const base = options.stamp ?? backupStamp(options.now ?? new Date());
  const match = stampPattern.exec(base);
  const plain = match ? `${match[1]}-${match[2]}` : base;
  const first = match?.[3] ? Number(match[3]) : 1;
  for (let attempt = first; attempt < first + 10_000; attempt++) {
    const candidate = await backupPathFor(path, attempt === 1 ? plain : `${plain}-${attempt}`, options);
    if (await writeFileExclusive(candidate, bytes, mode)) return candidate;
  }
  throw new TextFileError(`Could not find a free backup name for ${path}; nothing was written.`);
}

/** Throws ReadOnlyFileError when the file cannot be replaced (checks the mode bits too: root ignores them). */
export async function assertWritable(path: string): Promise<void> {
  try {
    const info = await stat(path);
    if ((info.mode & 0o222) === 0) throw new ReadOnlyFileError(path);
    await access(path, constants.W_OK);
    await access(dirname(await resolveWriteTarget(path)), constants.W_OK);
  } catch (error) {
    if (error instanceof ReadOnlyFileError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new TextFileError(`${path} does not exist (any more); nothing was written.`);
    throw new ReadOnlyFileError(path);
  }
}

export interface SaveResult {
  path: string;
  /** SHA-256 of the bytes written (when written): a roll-back only puts the backup back while the file still has them. */
  writtenHash?: string;
  /** Where the previous content was saved; undefined when nothing changed (nothing written). */
  backupPath?: string;
  written: boolean;
}

/**
 * Saves an edited document: refuses when the file changed since it was read (hash of the bytes)
 * or is read-only, writes a timestamped backup of the current bytes, then replaces the file
 * atomically (temporary file + rename) with its permission bits, and verifies what landed.
 */
export async function saveTextFileSafely(path: string, document: TextDocument, options: BackupOptions = {}): Promise<SaveResult> {
  const next = serializeTextDocument(document);
  let current: Buffer;
  try {
    current = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new TextFileError(`${path} no longer exists; nothing was written.`);
    throw error;
  }
  if (contentHash(current) !== document.originalHash) throw new FileChangedError(path);
  if (current.equals(next)) return {path, written: false};
  await assertWritable(path);
  const backupPath = await writeBackup(path, current, document.mode, options);
  try {
    await writeFileAtomic(path, next, document.mode);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const hint = code === 'EPERM' || code === 'EACCES' || code === 'EBUSY' ? ' Is another program holding it open, or is it read-only?' : '';
    throw new TextFileError(`Could not replace ${path} (${(error as Error).message}); it is unchanged.${hint} A copy of it is in ${backupPath}.`);
  }
  const landed = await readFile(path);
  if (!landed.equals(next)) throw new TextFileError(`${path} does not contain what was written (another program may be writing it). The previous content is in ${backupPath}.`);
  return {path, backupPath, written: true, writtenHash: contentHash(next)};
}

export interface RestoreResult {
  path: string;
  restoredFrom: string;
  /** The content just replaced was itself backed up here, so a restore can be undone. */
  safetyBackup?: string;
}

/**
 * Puts a backup's bytes back (atomically), after backing up what is there now — unless
 * `backUpCurrent` is false (undoing one's own just-made save, where that copy would only confuse).
 */
export async function restoreBackup(path: string, backupPath: string, options: BackupOptions & {backUpCurrent?: boolean} = {}): Promise<RestoreResult> {
  const bytes = await readFile(backupPath);
  let current: Buffer | undefined;
  let mode = 0o644;
  try {
    current = await readFile(path);
    mode = (await stat(path)).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (current?.equals(bytes)) return {path, restoredFrom: backupPath};
  if (current) await assertWritable(path);
  const safetyBackup = current && options.backUpCurrent !== false ? await writeBackup(path, current, mode, options) : undefined;
  await writeFileAtomic(path, bytes, mode);
  return {path, restoredFrom: backupPath, safetyBackup};
}

export interface UndoResult {
  path: string;
  /** False when the file no longer holds what this run wrote (someone changed it since): left alone. */
  restored: boolean;
  backupPath: string;
}

/**
 * Undoes one's own save: puts the backup's bytes back only while the file still has exactly the
 * bytes this run wrote (`writtenHash`); a file changed since by someone else is left as it is.
 */
export async function undoOwnSave(path: string, backupPath: string, writtenHash: string): Promise<UndoResult> {
  let current: Buffer;
  try {
    current = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {path, restored: false, backupPath};
    throw error;
  }
  if (contentHash(current) !== writtenHash) return {path, restored: false, backupPath};
  const mode = (await stat(path)).mode & 0o777;
  await writeFileAtomic(path, await readFile(backupPath), mode);
  return {path, restored: true, backupPath};
}
