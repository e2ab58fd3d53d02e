import {constants, createReadStream, createWriteStream} from 'node:fs';
import {open, rm, stat, statfs} from 'node:fs/promises';
import {dirname} from 'node:path';
import {Transform, type Readable} from 'node:stream';
import {OperationalError} from '../errors.js';

/** One entry of a ZIP: a file on disk (optionally a byte range of it), bytes in memory, or a stream. */
export type ZipEntrySource =
  | {kind: 'file'; path: string; start?: number; end?: number}
  /** `data` may be a function: it is called when the entry's turn comes (e.g. a manifest of the entries before it). */
  | {kind: 'bytes'; data: Buffer | string | (() => Buffer | string | Promise<Buffer | string>)}
  /** Called when the entry's turn comes, so only one input is open at a time. */
  | {kind: 'stream'; stream: () => Readable | Promise<Readable>};

export interface ZipEntry {
  /** Path inside the ZIP: short, plain ASCII, forward slashes. */
  name: string;
  source: ZipEntrySource;
  date?: Date;
  /** Store without compression (already compressed data: .zip, .png, .evtx is not). */
  store?: boolean;
}

export interface ZipProgress {
  entriesDone: number;
  entriesTotal: number;
  /** Input bytes read so far (before compression). */
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
  /**
   * An entry whose input cannot be opened (gone, not a regular file, no permission): 'skip' leaves it
   * out and lists it in the result; 'fail' (the default) fails the whole ZIP.
   */
  onEntryError?: (entry: ZipEntry, error: Error) => 'skip' | 'fail';
  /**
   * 'archiver' (default) or 'parallel': our own record writer that deflates 1 MiB blocks of an entry
   * on several cores at once (source/archive/parallel-zip.ts).
   */
  engine?: 'archiver' | 'parallel';
  /** Tests: ZIP64 records everywhere (parallel engine). */
  forceZip64?: boolean;
}

export interface WrittenZip {
  path: string;
  bytes: number;
  entries: number;
  /** Entries left out because their input could not be opened (only with onEntryError → 'skip'). */
  skipped: {name: string; reason: string}[];
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
 * Opens a regular file for reading without ever blocking: a FIFO or device in place of a file is
 * refused (opening a FIFO would wait for a writer forever), and so is a directory.
 */
export async function openRegularFile(path: string, start?: number, end?: number, highWaterMark = 256 * 1024): Promise<{stream: Readable; size: number}> {
  const info = await stat(path);
  if (!info.isFile()) throw new OperationalError(`${path} is not a regular file`);
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  const opened = await handle.stat();
  if (!opened.isFile()) {
    await handle.close();
    throw new OperationalError(`${path} is not a regular file`);
  }
  // Read only up to the size seen now: a log that keeps growing cannot break the entry.
  const last = Math.min(end ?? opened.size, opened.size);
  const first = Math.min(start ?? 0, last);
  if (last === first) {
    await handle.close().catch(() => {});
    const {Readable} = await import('node:stream');
    return {stream: Readable.from([]), size: 0};
  }
  // The stream owns the handle from here and closes it when done or destroyed.
  const stream = createReadStream(path, {fd: handle, start: first, end: last - 1, highWaterMark, autoClose: true});
  return {stream, size: last - first};
}

/**
 * Writes a ZIP with archiver (ZIP64 when needed), resolving only after the output file is closed.
 * Entries are opened one at a time, when their turn comes (so thousands of files never exhaust file
 * handles). On any failure or abort the partial file is removed. A file entry is read only up to the
 * size it had when opened.
 */
export async function writeZip(outPath: string, entries: readonly ZipEntry[], options: WriteZipOptions = {}): Promise<WrittenZip> {
  for (const entry of entries) {
    if (!asciiPath.test(entry.name) || entry.name.includes('\\') || entry.name.split('/').includes('..')) {
      throw new OperationalError(`Internal error: ZIP entry name "${entry.name}" is not a plain relative ASCII path.`);
    }
  }
  if (options.estimatedBytes !== undefined) await ensureFreeSpace(dirname(outPath), options.estimatedBytes);
  if (options.signal?.aborted) throw new OperationalError('Aborted before the ZIP was started.');
  if (options.engine === 'parallel') {
    const {writeZipParallel} = await import('./parallel-zip.js');
    return writeZipParallel(outPath, entries, options, {openInput, forceZip64: options.forceZip64});
  }
  const {ZipArchive} = await import('archiver');
  const archive = new ZipArchive({zlib: {level: options.level ?? 6}, forceZip64: false});
  const output = createWriteStream(outPath, {flags: 'wx'});
  // Only a file this call created may be removed: 'wx' refuses an existing one (EEXIST), which must stay.
  let created = false;
  output.once('open', () => (created = true));
  let failed: Error | undefined;
  let rejectFailure!: (error: Error) => void;
  const failure = new Promise<never>((_resolve, reject) => (rejectFailure = reject));
  failure.catch(() => {});
  let current: Readable | undefined;
  const closed = new Promise<void>((resolve, reject) => {
    output.on('close', () => (failed ? reject(failed) : resolve()));
    output.on('error', error => {
      fail(error);
      reject(failed);
    });
  });
  closed.catch(() => {});
  const fail = (error: Error) => {
    if (failed) return;
    failed = error;
    rejectFailure(error);
    archive.abort();
    current?.destroy();
    output.destroy();
  };
  archive.on('error', (error: Error) => fail(error));
  archive.on('warning', (error: Error) => fail(error));
  const onAbort = () => fail(new OperationalError('Aborted: the partial ZIP was removed.'));
  options.signal?.addEventListener('abort', onAbort, {once: true});
  let entriesDone = 0;
  let bytesIn = 0;
  let reported = 0;
  const report = (force: boolean) => {
    if (!options.onProgress || (!force && bytesIn - reported < 1024 * 1024)) return;
    reported = bytesIn;
    options.onProgress({entriesDone, entriesTotal: entries.length, bytesIn});
  };
  const skipped: WrittenZip['skipped'] = [];
  archive.pipe(output);
  try {
    for (const entry of entries) {
      if (failed) break;
      const data = {name: entry.name, date: entry.date ?? new Date(), store: entry.store};
      let input: Buffer | Readable;
      try {
        input = await openInput(entry);
      } catch (error) {
        if (failed) break;
        const problem = error instanceof Error ? error : new Error(String(error));
        if (options.onEntryError?.(entry, problem) === 'skip') {
          skipped.push({name: entry.name, reason: problem.message});
          continue;
        }
        throw new OperationalError(`Cannot read ${describeSource(entry)}: ${problem.message}`);
      }
      if (failed) {
        if (!Buffer.isBuffer(input)) input.destroy();
        break;
      }
      const entryWritten = new Promise<void>(resolve => archive.once('entry', () => resolve()));
      if (Buffer.isBuffer(input)) {
        bytesIn += input.length;
        archive.append(input, data);
      } else {
        const source = input;
        // A failing input stream would otherwise leave archiver waiting forever.
        source.on('error', (error: Error) => fail(error instanceof OperationalError ? error : new OperationalError(`Cannot read ${describeSource(entry)}: ${error.message}`)));
        const counter = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            bytesIn += chunk.length;
            report(false);
            callback(null, chunk);
          },
        });
        current = source;
        archive.append(source.pipe(counter), data);
      }
      await Promise.race([entryWritten, failure]);
      current = undefined;
      entriesDone++;
      report(true);
    }
    if (failed) throw failed;
    void archive.finalize().catch((error: unknown) => fail(error as Error));
    await Promise.race([closed, failure]);
    if (failed) throw failed;
    return {path: outPath, bytes: archive.pointer(), entries: entriesDone, skipped};
  } catch (error) {
    fail(error as Error);
    await new Promise<void>(resolve => (output.closed ? resolve() : output.once('close', () => resolve())));
    if (created) await rm(outPath, {force: true});
    const cause = failed ?? error;
    throw cause instanceof OperationalError ? cause : new OperationalError(`Writing ${outPath} failed: ${(cause as Error).message}`);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

async function openInput(entry: ZipEntry): Promise<Buffer | Readable> {
  const source = entry.source;
  if (source.kind === 'bytes') {
    const data = typeof source.data === 'function' ? await source.data() : source.data;
    return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  }
  if (source.kind === 'file') return (await openRegularFile(source.path, source.start, source.end)).stream;
  return await source.stream();
}

function describeSource(entry: ZipEntry): string {
  return entry.source.kind === 'file' ? entry.source.path : entry.name;
}
