import {mkdir, readdir, readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {writeFileAtomic} from '../system/atomic-write.js';

/** The record the support-bundle helper reads: <stateDir>/logflow/runs/<runId>.json. */
export interface LogflowRun {
  id: string;
  /** ISO: logging on. */
  startedAt: string;
  /** ISO: logging off. */
  endedAt: string;
  zipPath: string;
  roles: string[];
  protocols: string[];
}

export function runsDir(stateDir: string): string {
  return join(stateDir, 'logflow', 'runs');
}

export async function writeRunRecord(stateDir: string, run: LogflowRun): Promise<string> {
  await mkdir(runsDir(stateDir), {recursive: true});
  const path = join(runsDir(stateDir), `${run.id}.json`);
  await writeFileAtomic(path, `${JSON.stringify(run, null, 2)}\n`);
  return path;
}

const isTime = (value: unknown): value is string => typeof value === 'string' && !Number.isNaN(Date.parse(value));
const isTextList = (value: unknown): value is string[] => Array.isArray(value) && value.every(entry => typeof entry === 'string');

/** Readers (this flow and the support bundle) rely on real times and string lists, so anything else counts as damaged. */
function isRun(value: unknown): value is LogflowRun {
  const run = value as LogflowRun;
  return (
    typeof run === 'object' && run !== null &&
    typeof run.id === 'string' && run.id.length > 0 && isTime(run.startedAt) && isTime(run.endedAt) &&
    typeof run.zipPath === 'string' && run.zipPath.length > 0 && isTextList(run.roles) && isTextList(run.protocols)
  );
}

/** Every finished run, newest first (by startedAt); unreadable records are skipped. */
export async function listLogflowRuns(stateDir: string): Promise<LogflowRun[]> {
  let names: string[];
  try {
    names = await readdir(runsDir(stateDir));
  } catch {
    return [];
  }
  const runs: LogflowRun[] = [];
  for (const name of names.filter(entry => entry.endsWith('.json') && !entry.startsWith('.'))) {
    try {
      const parsed: unknown = JSON.parse(await readFile(join(runsDir(stateDir), name), 'utf8'));
      if (isRun(parsed)) runs.push(parsed);
    } catch {
      // A damaged record must not hide the others.
    }
  }
  return runs.sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt) || b.id.localeCompare(a.id));
}

/** Sortable, ASCII, unique enough: 20261127-234501-3fa2. */
export function newRunId(now: number, random = Math.random): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${Math.floor(random() * 0xffff).toString(16).padStart(4, '0')}`;
}
