import {createReadStream, createWriteStream} from 'node:fs';
import {rm, statfs} from 'node:fs/promises';
import {dirname} from 'node:path';
import type {Readable} from 'node:stream';
import {OperationalError} from '../errors.js';

/** One entry of a ZIP: a file on disk (optionally a byte range of it) or bytes in memory. */
export type ZipEntrySource =
  | {kind: 'file'; path: string; start?: number; end?: number}
  | {kind: 'bytes'; data: Buffer | string}
  | {kind: 'stream'; stream: () => Readable};

export interface ZipEntry {
  /** Path inside the ZIP: short, plain ASCII, forward slashes. */
  name: string;
  source: ZipEntrySource;
  date?: Date;
}

export interface ZipProgress {
  entriesDone: number;
  entriesTotal: number;
  bytesIn: number;
}

export interface WriteZipOptions {
  /** zlib level 0-9 (default 6, like Info-ZIP's default). */
  level?: number;
  onProgress?: (progress: ZipProgress) => void;
  /** Aborting removes the partial ZIP and rejects. */
  signal?: AbortSignal;
  /** Bytes the ZIP is expected to need at most; checked against free space first. */
  estimatedBytes?: number;
}

export interface WrittenZip {
  path: string;
  bytes: number;
  entries: number;
}

const asciiPath = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/** Makes a name safe for a ZIP entry: plain ASCII, no drive, no "..", forward slashes. */
export function safeEntryName(name: string): string {
  const cleaned = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\\/g, '/')
    .split('/')
    .filter(part => part !== '' && part !== '.' && part !== '..')
    .map(part => part.replace(/[^\x20-\x7e]/g, '_').replace(/[:*?"<>|]/g, '_').trim() || '_')
    .join('/');
  return cleaned.length > 0 ? cleaned : 'unnamed';
}

export async function ensureFreeSpace(folder: string, neededBytes: number): Promise<void> {
  const stats = await statfs(folder);
  const free = Number(stats.bavail) * Number(stats.bsize);
  if (free < neededBytes) {
    throw new OperationalError(`Not enough free disk space in ${folder}: ${formatBytes(free)} free, about ${formatBytes(neededBytes)} needed.`);
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/**
 * Writes a ZIP with archiver (ZIP64 when needed), resolving only after the output file is closed.
 * On any failure or abort the partial file is removed. A file entry is read only up to the size
 * given by `end` (so a log that keeps growing cannot break the archive).
 */
export async function writeZip(outPath: string, entries: readonly ZipEntry[], options: WriteZipOptions = {}): Promise<WrittenZip> {
  for (const entry of entries) {
    if (!asciiPath.test(entry.name) || entry.name.includes('\\') || entry.name.split('/').includes('..')) {
      throw new OperationalError(`Internal error: ZIP entry name "${entry.name}" is not a plain relative ASCII path.`);
    }
  }
  if (options.estimatedBytes !== undefined) await ensureFreeSpace(dirname(outPath), options.estimatedBytes);
  if (options.signal?.aborted) throw new OperationalError('Aborted before the ZIP was started.');
  const {ZipArchive} = await import('archiver');
  const archive = new ZipArchive({zlib: {level: options.level ?? 6}, forceZip64: false});
  const output = createWriteStream(outPath, {flags: 'wx'});
  // Only a file this call created may be removed on failure: 'wx' fails on an existing file,
  // which must then stay untouched.
  let created = false;
  output.on('open', () => (created = true));
  let failed: Error | undefined;
  const opened: Readable[] = [];
  const closed = new Promise<void>((resolve, reject) => {
    output.on('close', () => (failed ? reject(failed) : resolve()));
    output.on('error', error => {
      failed ??= error;
      archive.abort();
      reject(failed);
    });
  });
  const fail = (error: Error) => {
    if (failed) return;
    failed = error;
    archive.abort();
    for (const stream of opened) stream.destroy();
    output.destroy();
  };
  archive.on('error', (error: Error) => fail(error));
  archive.on('warning', (error: Error) => fail(error));
  const onAbort = () => fail(new OperationalError('Aborted: the partial ZIP was removed.'));
  options.signal?.addEventListener('abort', onAbort, {once: true});
  let entriesDone = 0;
  archive.on('entry', () => {
    entriesDone++;
    options.onProgress?.({entriesDone, entriesTotal: entries.length, bytesIn: archive.pointer()});
  });
  archive.on('progress', (progress: {fs: {processedBytes: number}}) => options.onProgress?.({entriesDone, entriesTotal: entries.length, bytesIn: progress.fs.processedBytes}));
  archive.pipe(output);
  try {
    for (const entry of entries) {
      const data = {name: entry.name, date: entry.date ?? new Date()};
      const source = entry.source;
      if (source.kind === 'bytes') archive.append(typeof source.data === 'string' ? Buffer.from(source.data, 'utf8') : source.data, data);
      else {
        const stream = source.kind === 'file' ? createReadStream(source.path, {start: source.start, end: source.end === undefined ? undefined : source.end - 1}) : source.stream();
        // A failing input stream would otherwise leave archiver waiting forever.
        stream.on('error', (error: Error) => fail(new OperationalError(`Cannot read ${source.kind === 'file' ? source.path : entry.name}: ${error.message}`)));
        opened.push(stream);
        archive.append(stream, data);
      }
    }
    void archive.finalize().catch((error: unknown) => fail(error as Error));
    await closed;
    if (failed) throw failed;
    return {path: outPath, bytes: archive.pointer(), entries: entries.length};
  } catch (error) {
    fail(error as Error);
    if (created) await rm(outPath, {force: true});
    error = failed ?? error;
    throw error instanceof OperationalError ? error : new OperationalError(`Writing ${outPath} failed: ${(error as Error).message}`);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}
