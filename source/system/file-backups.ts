import {constants} from 'node:fs';
import {access, readdir, readFile, stat} from 'node:fs/promises';
import {basename, dirname, join} from 'node:path';
import {resolveWriteTarget, writeFileAtomic, writeFileExclusive} from './atomic-write.js';
import {contentHash, FileChangedError, ReadOnlyFileError, serializeTextDocument, TextFileError, type TextDocument} from './text-document.js';

/**
 * Backups and safe saving of edited text documents: a timestamped copy next to the file, refusal
 * when the file changed since it was read, atomic replacement.
 */

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
