import {createHash} from 'node:crypto';
import {existsSync} from 'node:fs';
import {rm} from 'node:fs/promises';
import {OperationalError, UsageError} from '../errors.js';
import {rememberSecret} from '../system/session-record.js';
import {describeEncoding, dominantLineEnding, readTextFile, type TextDocument} from '../system/text-document.js';
import {backupPathFor, backupStamp, listBackups, restoreBackup, saveTextFileSafely, undoOwnSave, type BackupEntry, type UndoResult} from '../system/file-backups.js';
import {cyrenFilePath, cyrenFiles, cyrenFolder, explainMissingFile, type CyrenFileInfo} from './cyren-files.js';
import {applyProxyChange, encodingProblems, formatChanges, ProxyEditError, readProxyState, type LineChange, type ProxyChange, type ProxyFileState} from './proxy-document.js';
import {parseProxyLine} from './proxy-lines.js';

export interface LoadedCyrenFile {
  info: CyrenFileInfo;
  path: string;
  document: TextDocument;
  state: ProxyFileState;
}

export interface MissingCyrenFile {
  info: CyrenFileInfo;
  path: string;
  normal: boolean;
  explanation: string;
}

export interface CyrenFiles {
  folder: string;
  present: LoadedCyrenFile[];
  missing: MissingCyrenFile[];
}

export class MissingCyrenFolderError extends OperationalError {
  override name = 'MissingCyrenFolderError';
  constructor(readonly folder: string) {
    super(`There is no CYREN folder at ${folder}. It exists when the Protection module (CYREN AntiSpam) is installed; check that this is the NoSpamProxy data folder (--root) and that the module is installed.`);
  }
}

/** Reads whichever of the three files exist; says why the others are missing. */
export async function loadCyrenFiles(root: string, nspVersion?: string): Promise<CyrenFiles> {
  const folder = cyrenFolder(root);
  if (!existsSync(folder)) throw new MissingCyrenFolderError(folder);
  const present: LoadedCyrenFile[] = [];
  const missing: MissingCyrenFile[] = [];
  for (const info of cyrenFiles) {
    const path = cyrenFilePath(root, info);
    if (!existsSync(path)) {
      const {normal, text} = explainMissingFile(info, nspVersion);
      missing.push({info, path, normal, explanation: text});
      continue;
    }
    let document: TextDocument;
    try {
      document = await readTextFile(path);
    } catch (error) {
      throw new OperationalError(`Cannot read ${path}: ${(error as Error).message}`);
    }
    present.push({info, path, document, state: readProxyState(document)});
  }
  if (present.length === 0) throw new OperationalError(`${folder} has none of ${cyrenFiles.map(file => file.name).join(', ')}. ${missing[0]!.explanation}`);
  return {folder, present, missing};
}

// ---------------------------------------------------------------------------------------------
// The combined picture, including files that disagree

export interface FileSummary {
  file: string;
  path: string;
  encoding: string;
  lineEndings: 'CRLF' | 'LF' | 'mixed' | 'none';
  status: ProxyFileState['status'];
  server: string | null;
  port: number | null;
  auth: string | null;
  user: string | null;
  passwordSet: boolean;
  warnings: string[];
}

export interface ProxyOverview {
  folder: string;
  files: FileSummary[];
  missing: {file: string; normal: boolean; explanation: string}[];
  /** True when every present file says the same (status, server, port, auth, user, password). */
  agree: boolean;
  disagreements: string[];
}

function lineEndings(document: TextDocument): FileSummary['lineEndings'] {
  const kinds = new Set(document.lines.map(line => line.ending).filter(ending => ending !== ''));
  if (kinds.size === 0) return 'none';
  if (kinds.size > 1) return 'mixed';
  return kinds.has('\r\n') ? 'CRLF' : 'LF';
}

/** The active password of a file, only as a hash (to tell whether files agree without showing it). */
function passwordFingerprint(document: TextDocument): string | undefined {
  for (const line of document.lines) {
    const parsed = parseProxyLine(line.text);
    if (parsed?.key === 'ProxyPassword' && !parsed.commented) return createHash('sha256').update(parsed.value).digest('hex');
  }
  return undefined;
}

export function summarize(files: CyrenFiles): ProxyOverview {
  const summaries: FileSummary[] = files.present.map(({info, path, document, state}) => ({
    file: info.name,
    path,
    encoding: describeEncoding(document.encoding),
    lineEndings: lineEndings(document),
    status: state.status,
    server: state.server ?? null,
    port: state.port !== undefined && /^\d+$/.test(state.port) ? Number(state.port) : null,
    auth: state.auth ?? null,
    user: state.user ?? null,
    passwordSet: state.passwordSet,
    warnings: state.warnings,
  }));
  const disagreements: string[] = [];
  const compare = (label: string, pick: (index: number) => string) => {
    const values = files.present.map((_file, index) => pick(index));
    if (new Set(values).size > 1) disagreements.push(`${label} differs: ${files.present.map((file, index) => `${file.info.name} ${values[index]}`).join(', ')}`);
  };
  const show = (value: string | number | null) => (value === null ? '(not set)' : String(value));
  compare('Status', index => summaries[index]!.status);
  compare('Server', index => show(summaries[index]!.server));
  compare('Port', index => show(summaries[index]!.port));
  compare('Authentication', index => show(summaries[index]!.auth));
  compare('User', index => show(summaries[index]!.user));
  const fingerprints = files.present.map(file => passwordFingerprint(file.document) ?? 'none');
  if (new Set(fingerprints).size > 1) {
    disagreements.push(fingerprints.includes('none') ? `Password set in ${summaries.filter(s => s.passwordSet).map(s => s.file).join(', ')} only` : 'The passwords differ between the files');
  }
  return {
    folder: files.folder,
    files: summaries,
    missing: files.missing.map(file => ({file: file.info.name, normal: file.normal, explanation: file.explanation})),
    agree: disagreements.length === 0,
    disagreements,
  };
}

// ---------------------------------------------------------------------------------------------
// Planning and saving a change across the files

export interface FilePlan {
  file: LoadedCyrenFile;
  next: TextDocument;
  changes: LineChange[];
}

export interface ProxyPlan {
  change: ProxyChange;
  files: FilePlan[];
  /** Files the change leaves as they are (already in that state). */
  unchanged: string[];
}

/** Plans the change for every present file; any file that cannot take it stops the whole change. */
export function planProxyChange(files: CyrenFiles, change: ProxyChange): ProxyPlan {
  const problems: string[] = [];
  const plans: FilePlan[] = [];
  const unchanged: string[] = [];
  for (const file of files.present) {
    const encoding = encodingProblems(file.document, change);
    if (encoding.length > 0) {
      problems.push(`${file.info.name}: ${encoding.join(' ')}`);
      continue;
    }
    if (change.kind === 'set' && change.settings.auth === 'Basic' && change.settings.password === undefined && !file.state.passwordSet) {
      problems.push(`${file.info.name} has no password to keep; enter the password.`);
      continue;
    }
    try {
      const result = applyProxyChange(file.document, change);
      if (result.changes.length === 0) unchanged.push(file.info.name);
      else plans.push({file, next: result.document, changes: result.changes});
    } catch (error) {
      if (error instanceof ProxyEditError) problems.push(`${file.info.name}: ${error.message}`);
      else throw error;
    }
  }
  if (problems.length > 0) throw new UsageError(`Nothing was changed. ${problems.join(' ')}`);
  return {change, files: plans, unchanged};
}

/** The preview: per file, the proxy lines before and after (password masked). */
export function formatPlan(plan: ProxyPlan): string[] {
  const out: string[] = [];
  for (const {file, changes, next} of plan.files) {
    out.push(`${file.info.name}  (${describeEncoding(next.encoding)}, ${dominantLineEnding(next) === '\r\n' ? 'CRLF' : 'LF'})`);
    out.push(...formatChanges(changes));
  }
  for (const name of plan.unchanged) out.push(`${name}: already like this, not written`);
  return out;
}

export interface SavedFile {
  file: CyrenFileInfo;
  path: string;
  backupPath: string;
  /** SHA-256 of what this run wrote: a roll-back only touches the file while it still holds this. */
  writtenHash: string;
}

/**
 * A backup stamp no file of this save has yet (yyyymmdd-hhmmss, then -2, -3, …), so the backups of
 * one save share one stamp and "proxy restore --stamp" puts back exactly that save.
 */
async function freeStamp(paths: readonly string[], now: Date): Promise<string> {
  const base = backupStamp(now);
  for (let attempt = 1; ; attempt++) {
    const stamp = attempt === 1 ? base : `${base}-${attempt}`;
    const taken = await Promise.all(paths.map(async path => existsSync(await backupPathFor(path, stamp))));
    if (!taken.some(Boolean)) return stamp;
  }
}

/**
 * Undoes this run's own writes, newest first: a file is put back only while it still holds the
 * bytes this run wrote; its backup then goes (the change never happened). A file someone changed
 * since is left alone and its backup kept.
 */
export async function undoSavedFiles(saved: readonly SavedFile[], options: {removeBackups?: boolean} = {}): Promise<UndoResult[]> {
  const results: UndoResult[] = [];
  for (const done of [...saved].reverse()) {
    const result = await undoOwnSave(done.path, done.backupPath, done.writtenHash);
    if (result.restored && options.removeBackups) await rm(done.backupPath, {force: true});
    results.push(result);
  }
  return results.reverse();
}

export function describeUndo(results: readonly UndoResult[]): string[] {
  return results.map(result => (result.restored ? `restored   ${result.path}  (from ${result.backupPath})` : `NOT restored ${result.path}: it was changed by someone else after this run wrote it; left as it is (this run's backup: ${result.backupPath})`));
}

/**
 * Writes every planned file (backup first, atomic, refusing files changed since they were read).
 * If one fails, the files already written are put back from their backups: all or nothing.
 */
export async function saveProxyPlan(plan: ProxyPlan, options: {now?: Date; onStep?: (step: string) => void} = {}): Promise<SavedFile[]> {
  const stamp = await freeStamp(plan.files.map(planned => planned.file.path), options.now ?? new Date());
  const saved: SavedFile[] = [];
  for (const {file, next} of plan.files) {
    options.onStep?.(`writing ${file.info.name}`);
    try {
      const result = await saveTextFileSafely(file.path, next, {stamp});
      if (result.backupPath && result.writtenHash) saved.push({file: file.info, path: file.path, backupPath: result.backupPath, writtenHash: result.writtenHash});
    } catch (error) {
      // Undo this save: the files get their old bytes back and the backups made a moment ago go,
      // so the backup list does not offer a change that never happened.
      const undone = await undoSavedFiles(saved, {removeBackups: true});
      const back = undone.filter(result => result.restored).map(result => result.path.split(/[\\/]/).pop());
      const kept = undone.filter(result => !result.restored).map(result => result.path);
      let note = back.length > 0 ? ` No file was changed: ${back.join(', ')}, already written, ${back.length === 1 ? 'was' : 'were'} put back as before.` : '';
      if (kept.length > 0) note += ` ${kept.join(', ')} changed again meanwhile and ${kept.length === 1 ? 'was' : 'were'} left as ${kept.length === 1 ? 'it is' : 'they are'}.`;
      throw new OperationalError(`${(error as Error).message}${note}`);
    }
  }
  return saved;
}

// ---------------------------------------------------------------------------------------------
// Backups: one save = one time stamp shared by its files

export interface BackupSet {
  stamp: string;
  takenAt: Date;
  backups: BackupEntry[];
}

export async function listBackupSets(root: string): Promise<BackupSet[]> {
  const sets = new Map<string, BackupSet>();
  for (const info of cyrenFiles) {
    for (const entry of await listBackups(cyrenFilePath(root, info))) {
      const key = entry.stamp;
      const set = sets.get(key) ?? {stamp: key, takenAt: entry.takenAt, backups: []};
      set.backups.push(entry);
      sets.set(key, set);
    }
  }
  return [...sets.values()].sort((a, b) => b.stamp.localeCompare(a.stamp, 'en', {numeric: true}));
}

export async function restoreBackupSet(set: BackupSet, now = new Date()): Promise<{file: string; restoredFrom: string; safetyBackup?: string}[]> {
  const results = [];
  const stamp = await freeStamp(set.backups.map(entry => entry.original), now);
  for (const entry of set.backups) {
    const result = await restoreBackup(entry.original, entry.path, {stamp});
    results.push({file: entry.original, restoredFrom: result.restoredFrom, safetyBackup: result.safetyBackup});
  }
  return results;
}

/** The active password of the first file that has one, for the proxy check only (remembered as a secret). */
export function activeProxyPassword(files: CyrenFiles): string | undefined {
  for (const file of files.present) {
    for (const line of file.document.lines) {
      const parsed = parseProxyLine(line.text);
      if (parsed?.key === 'ProxyPassword' && !parsed.commented && parsed.value.length > 0) {
        rememberSecret(parsed.value);
        return parsed.value;
      }
    }
  }
  return undefined;
}
