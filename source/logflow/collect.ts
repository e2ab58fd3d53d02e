import {outputFolder} from '../system/save-output.js';
import {createHash} from 'node:crypto';
import {createReadStream} from 'node:fs';
import {mkdir, readdir, rm, stat} from 'node:fs/promises';
import {setTimeout as delay} from 'node:timers/promises';
import {basename, extname, join} from 'node:path';
import type {ZipEntry, ZipProgress} from '../archive/zip-writer.js';
import {OperationalError} from '../errors.js';
import type {FlowState} from './machine.js';

/** One file (or the appended part of one) written in the window. */
export interface WindowFile {
  role: string;
  /** Path inside the ZIP: role/file, ".excerpt" before the extension for files that existed before. */
  zipName: string;
  source: string;
  /** Byte range [start, end) of the source file. */
  start: number;
  end: number;
  size: number;
  excerpt: boolean;
  sha256?: string;
}

export interface Manifest {
  tool: 'nsp-console logflow';
  runId: string;
  roles: {name: string; driver: string; location: string}[];
  protocols: string[];
  startedAt: string | null;
  endedAt: string | null;
  collectedAt: string;
  files: WindowFile[];
  warnings: string[];
}

export function outputDir(stateDir: string): string {
  return outputFolder(stateDir);
}

export function zipPathFor(stateDir: string, runId: string): string {
  return join(outputDir(stateDir), `logflow-${runId}.zip`);
}

/**
 * Removes the run's ZIP and the temporary ZIPs of it (".logflow-<run>.zip.<random>.partial") that a
 * console killed while writing leaves behind: a run that did not finish keeps no ZIP at all.
 */
export async function removeRunZip(stateDir: string, runId: string): Promise<void> {
  const zipPath = zipPathFor(stateDir, runId);
  const prefix = `.${basename(zipPath)}.`;
  const names = await readdir(outputDir(stateDir)).catch(() => [] as string[]);
  const partials = names.filter(name => name.startsWith(prefix) && name.endsWith('.partial')).map(name => join(outputDir(stateDir), name));
  await Promise.all([zipPath, ...partials].map(path => rm(path, {force: true})));
}

function asciiPart(text: string): string {
  const cleaned = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+|_+$/g, '');
  return cleaned.slice(0, 60) || 'role';
}

function excerptName(path: string): string {
  const extension = extname(path);
  return extension ? `${path.slice(0, -extension.length)}.excerpt${extension}` : `${path}.excerpt`;
}

/**
 * The window between the "on" and the "off" snapshot: new files whole, older files only the bytes
 * appended (a file that shrank was rewritten: taken whole up to its "off" size).
 */
export function windowFiles(state: Pick<FlowState, 'roles' | 'onSnapshot' | 'offSnapshot'>, warnings: string[]): WindowFile[] {
  const files: WindowFile[] = [];
  const usedRoleNames = new Set<string>();
  for (const role of state.roles) {
    let folder = asciiPart(role.name);
    while (usedRoleNames.has(folder)) folder = `${folder}_`;
    usedRoleNames.add(folder);
    const before = state.onSnapshot?.[role.name] ?? {};
    const after = state.offSnapshot?.[role.name] ?? {};
    if (Object.keys(after).length === 0 && Object.keys(before).length > 0) warnings.push(`${role.name}: the log location ${role.location} is empty or gone at "off".`);
    for (const [path, end] of Object.entries(after).sort(([a], [b]) => a.localeCompare(b))) {
      const old = before[path];
      const rewritten = old !== undefined && end < old;
      const start = old === undefined || rewritten ? 0 : old;
      if (end <= start) continue;
      if (rewritten) warnings.push(`${role.name}: ${path} shrank during the window (rotated or rewritten); it is included whole.`);
      const excerpt = start > 0;
      const inner = path.split('/').map(asciiPart).join('/');
      files.push({role: role.name, zipName: `${folder}/${excerpt ? excerptName(inner) : inner}`, source: join(role.location, ...path.split('/')), start, end, size: end - start, excerpt});
    }
  }
  return files;
}

async function hashRange(path: string, start: number, end: number): Promise<string> {
  const hash = createHash('sha256');
  await new Promise<void>((resolve, reject) => {
    createReadStream(path, {start, end: end - 1})
      .on('data', chunk => hash.update(chunk))
      .on('error', reject)
      .on('end', resolve);
  });
  return hash.digest('hex');
}

/**
 * TEST HOOK, not a setting: NSP_CONSOLE_TEST_COLLECT_DELAY_MS makes each log file's copy into the ZIP
 * wait that long first (at most 5 s per file), so the fault matrix can deliver a signal, kill -9 or a
 * closed terminal while the ZIP is being written; collecting is otherwise too short to hit. Read only
 * here; unset (every real run) it does nothing.
 */
export const collectDelayVariable = 'NSP_CONSOLE_TEST_COLLECT_DELAY_MS';
const collectDelayLimitMs = 5_000;

export function testCollectDelayMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env[collectDelayVariable]);
  return Number.isFinite(value) && value > 0 ? Math.min(value, collectDelayLimitMs) : 0;
}

export interface CollectOptions {
  stateDir: string;
  now: () => number;
  onProgress?: (progress: ZipProgress & {bytesTotal: number}) => void;
  signal?: AbortSignal;
}

/**
 * Writes <stateDir>/output/logflow-<runId>.zip with the window's bytes and manifest.json. Sources are
 * only read (never changed); each range ends at the "off" size, so growing files cannot break it.
 */
export async function collectWindow(state: FlowState, options: CollectOptions): Promise<{zipPath: string; bytes: number; manifest: Manifest}> {
  const warnings: string[] = [];
  const files = windowFiles(state, warnings);
  const present: WindowFile[] = [];
  for (const file of files) {
    try {
      const size = (await stat(file.source)).size;
      if (size < file.end) {
        warnings.push(`${file.role}: ${file.source} is shorter than at "off" (${size} < ${file.end} bytes); skipped.`);
        continue;
      }
      file.sha256 = await hashRange(file.source, file.start, file.end);
      present.push(file);
    } catch (error) {
      warnings.push(`${file.role}: ${file.source} could not be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); skipped.`);
    }
  }
  if (present.length === 0) warnings.push('Nothing was written to the log locations in the window: the ZIP holds only this manifest.');
  const manifest: Manifest = {
    tool: 'nsp-console logflow',
    runId: state.runId,
    roles: state.roles.map(role => ({name: role.name, driver: role.driver, location: role.location})),
    protocols: state.protocols,
    startedAt: state.startedAt ?? null,
    endedAt: state.endedAt ?? null,
    collectedAt: new Date(options.now()).toISOString(),
    files: present,
    warnings,
  };
  const entries: ZipEntry[] = [
    {name: 'manifest.json', source: {kind: 'bytes', data: `${JSON.stringify(manifest, null, 2)}\n`}},
    ...present.map(file => ({name: file.zipName, source: {kind: 'file' as const, path: file.source, start: file.start, end: file.end}})),
  ];
  const zipPath = zipPathFor(options.stateDir, state.runId);
  await mkdir(outputDir(options.stateDir), {recursive: true});
  const bytesTotal = present.reduce((sum, file) => sum + file.size, 0);
  const {writeZipExclusive} = await import('../archive/exclusive-zip.js');
  try {
    // A unique temporary name, moved to zipPath only if no other writer made that file meanwhile.
    const written = await writeZipExclusive(() => zipPath, entries, {
      estimatedBytes: bytesTotal + 64 * 1024,
      signal: options.signal,
      onProgress: progress => options.onProgress?.({...progress, bytesTotal}),
      beforeEntry: slowCopy(testCollectDelayMs(), options.signal),
    });
    return {zipPath, bytes: written.bytes, manifest};
  } catch (error) {
    throw error instanceof OperationalError ? error : new OperationalError(`Collecting the logs failed: ${(error as Error).message}`);
  }
}

/** The test hook's wait before each file entry (undefined when the hook is off); an abort ends it at once. */
function slowCopy(delayMs: number, signal: AbortSignal | undefined): ((entry: ZipEntry) => Promise<void>) | undefined {
  if (delayMs === 0) return undefined;
  return entry => (entry.source.kind === 'file' ? delay(delayMs, undefined, {signal}).catch(() => {}) : Promise.resolve());
}
