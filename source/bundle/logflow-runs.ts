import {readdir, readFile, stat} from 'node:fs/promises';
import {join} from 'node:path';
import {UsageError} from '../errors.js';

/**
 * A troubleshooting-log run as the log flow records it (read from its files, not its code):
 * <stateDir>/logflow/runs/<id>.json, ZIP at <stateDir>/output/logflow-<id>.zip.
 */
export interface LogflowRun {
  id: string;
  startedAt: Date;
  endedAt?: Date;
  zipPath: string;
  roles: string[];
  protocols: string[];
}

export function runsFolder(stateDir: string): string {
  return join(stateDir, 'logflow', 'runs');
}

export function defaultRunZip(stateDir: string, id: string): string {
  return join(stateDir, 'output', `logflow-${id}.zip`);
}

function parseRun(text: string, fileId: string, stateDir: string): LogflowRun | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  const id = typeof record.id === 'string' && record.id.length > 0 ? record.id : fileId;
  const startedAt = typeof record.startedAt === 'string' ? new Date(record.startedAt) : undefined;
  if (!startedAt || Number.isNaN(startedAt.getTime())) return undefined;
  const endedAt = typeof record.endedAt === 'string' ? new Date(record.endedAt) : undefined;
  const strings = (list: unknown) => (Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : []);
  return {
    id,
    startedAt,
    endedAt: endedAt && !Number.isNaN(endedAt.getTime()) ? endedAt : undefined,
    zipPath: typeof record.zipPath === 'string' && record.zipPath.length > 0 ? record.zipPath : defaultRunZip(stateDir, id),
    roles: strings(record.roles),
    protocols: strings(record.protocols),
  };
}

/** Every readable run record, newest first (unreadable records are ignored). */
export async function listRuns(stateDir: string): Promise<LogflowRun[]> {
  let names: string[];
  try {
    names = await readdir(runsFolder(stateDir));
  } catch {
    return [];
  }
  const runs: LogflowRun[] = [];
  for (const name of names.filter(candidate => candidate.endsWith('.json'))) {
    const text = await readFile(join(runsFolder(stateDir), name), 'utf8').catch(() => undefined);
    const run = text === undefined ? undefined : parseRun(text, name.slice(0, -5), stateDir);
    if (run) runs.push(run);
  }
  return runs.sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
}

/** 'latest' or a run id; a clear usage error when it does not exist. */
export async function pickRun(stateDir: string, choice: string): Promise<LogflowRun> {
  const runs = await listRuns(stateDir);
  if (runs.length === 0) throw new UsageError(`No troubleshooting-log run found in ${runsFolder(stateDir)}; run "nsp-console logflow run" first or leave out --logs.`);
  if (choice === 'latest') return runs[0]!;
  const run = runs.find(candidate => candidate.id === choice);
  if (!run) throw new UsageError(`No troubleshooting-log run "${choice}". Known runs: ${runs.slice(0, 5).map(candidate => candidate.id).join(', ')}${runs.length > 5 ? ', ...' : ''}.`);
  return run;
}

export async function runZipExists(run: LogflowRun): Promise<boolean> {
  return stat(run.zipPath).then(info => info.isFile(), () => false);
}
