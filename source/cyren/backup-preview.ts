import {basename} from 'node:path';
import {maskSecrets} from '../system/session-record.js';
import {readTextFile, type TextDocument} from '../system/text-document.js';
import type {BackupSet} from './proxy-files.js';
import {readProxyState, type ProxyFileState} from './proxy-document.js';
import {maskProxyLine} from './proxy-lines.js';

/** What restoring one file of a backup set would do. */
export interface BackupFilePreview {
  file: string;
  backup: string;
  /** What the backup holds: "proxy proxy.corp.example:8080, auth yes" / "no proxy" (never a password). */
  contains: string;
  /** The same for the file as it is now ("missing" when it is gone). */
  now: string;
  /** Changed lines, current (-) to backup (+), with line numbers; passwords masked. */
  diff: string[];
}

/** One phrase for the proxy a file sets: server and port, whether it authenticates; a password is never shown. */
export function proxySummary(state: ProxyFileState): string {
  if (state.status === 'no-proxy-lines' || state.status === 'disabled') return 'no proxy';
  const auth = state.auth !== undefined && !/^(none|noauth|0)?$/i.test(state.auth.trim());
  const where = `${state.server ?? '(no server)'}:${state.port ?? '(no port)'}`;
  return `${state.status === 'partial' ? 'partial proxy ' : 'proxy '}${where}, auth ${auth ? 'yes' : 'no'}`;
}

/** A line diff (longest common subsequence; the files have a few hundred lines at most). */
export function lineDiff(current: readonly string[], backup: readonly string[]): string[] {
  const n = current.length;
  const m = backup.length;
  const common: number[][] = Array.from({length: n + 1}, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) common[i]![j] = current[i] === backup[j] ? common[i + 1]![j + 1]! + 1 : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
  const out: string[] = [];
  const show = (text: string) => maskSecrets(maskProxyLine(text));
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && current[i] === backup[j]) {
      i++;
      j++;
    } else if (j < m && (i >= n || common[i]![j + 1]! >= common[i + 1]![j]!)) {
      out.push(`${String(j + 1).padStart(4)} + ${show(backup[j]!)}`);
      j++;
    } else {
      out.push(`${String(i + 1).padStart(4)} - ${show(current[i]!)}`);
      i++;
    }
  }
  return out;
}

const texts = (document: TextDocument) => document.lines.map(line => line.text);

/** For each file of the set: what the backup and the current file say about the proxy, and the diff. */
export async function previewBackupSet(set: BackupSet): Promise<BackupFilePreview[]> {
  const previews: BackupFilePreview[] = [];
  for (const entry of set.backups) {
    const backup = await readTextFile(entry.path);
    const current = await readTextFile(entry.original).catch(() => undefined);
    previews.push({
      file: entry.original,
      backup: entry.path,
      contains: proxySummary(readProxyState(backup)),
      now: current ? proxySummary(readProxyState(current)) : 'missing',
      diff: lineDiff(current ? texts(current) : [], texts(backup)),
    });
  }
  return previews;
}

/** The lines the restore confirmation shows: per file what it holds now and after, then the diff. */
export function formatBackupPreview(previews: readonly BackupFilePreview[]): string[] {
  return previews.flatMap(preview => [
    basename(preview.file),
    `  now:   ${preview.now}`,
    `  after: ${preview.contains}`,
    ...(preview.diff.length > 0 ? preview.diff : ['       (the same as now)']),
  ]);
}
