import {constants, createReadStream} from 'node:fs';
import {open, rm, stat, statfs, type FileHandle} from 'node:fs/promises';
import {availableParallelism} from 'node:os';
import {dirname} from 'node:path';
import {Readable} from 'node:stream';
import {promisify} from 'node:util';
import {constants as zlibConstants, crc32, deflateRaw, type ZlibOptions} from 'node:zlib';
import {OperationalError} from '../errors.js';
import {centralDirectory, dataDescriptor, dosDateTime, localHeader, max32, type CentralRecord} from './zip-records.js';

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
  /**
   * The most bytes a stream entry can produce, when the caller knows it (a cap): ZIP64 records are
   * written only for entries that may pass 4 GB. Unknown stream sizes get ZIP64 records.
   */
  sizeHint?: number;
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
  /** Tests: ZIP64 records everywhere. */
  forceZip64?: boolean;
  /** Awaited before each entry is opened (a test hook slows collection with it); aborting skips the rest. */
  beforeEntry?: (entry: ZipEntry) => Promise<void>;
}

export interface WrittenZip {
  path: string;
  bytes: number;
  entries: number;
  /** Entries left out because their input could not be opened (only with onEntryError → 'skip'). */
  skipped: {name: string; reason: string}[];
}

const asciiPath = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/** Why a name cannot be a ZIP entry of ours (undefined when it can): plain relative ASCII, forward slashes. */
export function invalidEntryName(name: string): string | undefined {
  if (!asciiPath.test(name) || name.includes('\\') || name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'not a plain relative ASCII path';
  if (name.split('/').some(part => part === '' || part === '.' || part === '..')) return 'an empty, "." or ".." segment';
  return undefined;
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
    return {stream: Readable.from([]), size: 0};
  }
  // The stream owns the handle from here and closes it when done or destroyed.
  const stream = createReadStream(path, {fd: handle, start: first, end: last - 1, highWaterMark, autoClose: true});
  return {stream, size: last - first};
}

/** Input is cut into blocks deflated in parallel on libuv's thread pool (like pigz). */
export const parallelBlockBytes = 1024 * 1024;
const dictionaryBytes = 32 * 1024;
/** Entries that may grow past this get ZIP64 records (deflate can add a little to incompressible data). */
const zip64Threshold = max32 - (max32 >>> 6);
const deflateRawAsync = promisify(deflateRaw) as (buffer: Buffer, options: ZlibOptions) => Promise<Buffer>;

function aborted(): OperationalError {
  return new OperationalError('Aborted: the partial ZIP was removed.');
}

/**
 * The console's one ZIP writer. Entries are opened one at a time, when their turn comes (thousands
 * of files never exhaust file handles); a file entry is read only up to the size it had when opened.
 * Each entry is cut into 1 MiB blocks raw-deflated on several cores at once, each primed with the
 * previous 32 KiB and ended with a sync flush (the last one finished), so their concatenation is one
 * ordinary deflate stream; a small entry is one block. Output is written in order, so memory stays
 * bounded by the blocks in flight. ZIP64 records are chosen from the known sizes. On any failure or
 * abort the partial file is removed; an existing file is never overwritten.
 */
export async function writeZip(outPath: string, entries: readonly ZipEntry[], options: WriteZipOptions = {}): Promise<WrittenZip> {
  for (const entry of entries) {
    const problem = invalidEntryName(entry.name);
    if (problem) throw new OperationalError(`Internal error: ZIP entry name "${entry.name}" is ${problem}.`);
  }
  if (options.estimatedBytes !== undefined) await ensureFreeSpace(dirname(outPath), options.estimatedBytes);
  if (options.signal?.aborted) throw new OperationalError('Aborted before the ZIP was started.');
  const level = options.level ?? 6;
  const inFlight = Math.max(2, availableParallelism() + 1);
  const force64 = options.forceZip64 === true;
  let handle: FileHandle | undefined;
  let offset = 0;
  let bytesIn = 0;
  let reported = 0;
  let entriesDone = 0;
  let current: Readable | undefined;
  const skipped: WrittenZip['skipped'] = [];
  const records: CentralRecord[] = [];
  const isAborted = () => options.signal?.aborted === true;
  const onAbort = () => current?.destroy(aborted());
  options.signal?.addEventListener('abort', onAbort, {once: true});
  const write = async (bytes: Buffer) => {
    if (bytes.length === 0) return;
    await handle!.write(bytes, 0, bytes.length, offset);
    offset += bytes.length;
  };
  const report = (force: boolean) => {
    if (!options.onProgress || (!force && bytesIn - reported < 1024 * 1024)) return;
    reported = bytesIn;
    options.onProgress({entriesDone, entriesTotal: entries.length, bytesIn});
  };
  try {
    handle = await open(outPath, 'wx');
    for (const entry of entries) {
      if (isAborted()) throw aborted();
      await options.beforeEntry?.(entry);
      if (isAborted()) throw aborted();
      let input: OpenedInput;
      try {
        input = await openInput(entry);
      } catch (error) {
        const problem = error instanceof Error ? error : new Error(String(error));
        if (options.onEntryError?.(entry, problem) === 'skip') {
          skipped.push({name: entry.name, reason: problem.message});
          continue;
        }
        throw problem instanceof OperationalError ? problem : new OperationalError(`Cannot read ${describeSource(entry)}: ${problem.message}`);
      }
      const name = Buffer.from(entry.name, 'ascii');
      const method = entry.store || level === 0 ? 0 : 8;
      const stamp = dosDateTime(entry.date ?? new Date());
      const zip64Local = force64 || input.size === undefined || input.size > zip64Threshold;
      const localOffset = offset;
      await write(localHeader(name, method, stamp, zip64Local));
      const dataStart = offset;
      let crc = 0;
      let size = 0;
      const pending: Promise<Buffer>[] = [];
      let previousTail: Buffer | undefined;
      const dispatch = (block: Buffer, last: boolean) => {
        if (method === 0) {
          pending.push(Promise.resolve(block));
          return;
        }
        const settings: ZlibOptions = {level, finishFlush: last ? zlibConstants.Z_FINISH : zlibConstants.Z_SYNC_FLUSH};
        if (previousTail) settings.dictionary = previousTail;
        const job = deflateRawAsync(block, settings);
        job.catch(() => {});
        pending.push(job);
        previousTail = block.length >= dictionaryBytes ? block.subarray(block.length - dictionaryBytes) : Buffer.concat([previousTail ?? Buffer.alloc(0), block]).subarray(-dictionaryBytes);
      };
      const drain = async (keep: number) => {
        while (pending.length > keep) await write(await pending.shift()!);
      };
      const parts: Buffer[] = [];
      let partsLength = 0;
      const consume = async (chunk: Buffer) => {
        crc = crc32(chunk, crc);
        size += chunk.length;
        bytesIn += chunk.length;
        parts.push(chunk);
        partsLength += chunk.length;
        while (partsLength >= parallelBlockBytes) {
          const joined = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
          dispatch(joined.subarray(0, parallelBlockBytes), false);
          const rest = joined.subarray(parallelBlockBytes);
          parts.length = 0;
          if (rest.length > 0) parts.push(rest);
          partsLength = rest.length;
          await drain(inFlight);
        }
        report(false);
      };
      if (input.data) await consume(input.data);
      else {
        const stream = input.stream!;
        current = stream;
        try {
          for await (const chunk of stream) {
            if (isAborted()) throw aborted();
            await consume(chunk as Buffer);
          }
        } catch (error) {
          if (isAborted()) throw aborted();
          throw error instanceof OperationalError ? error : new OperationalError(`Cannot read ${describeSource(entry)}: ${(error as Error).message}`);
        } finally {
          current = undefined;
          stream.destroy();
        }
      }
      dispatch(parts.length === 1 ? parts[0]! : Buffer.concat(parts), true);
      await drain(0);
      const compressedSize = offset - dataStart;
      if (!zip64Local && (size > max32 || compressedSize > max32)) throw new OperationalError(`Internal error: ${entry.name} grew past 4 GB although its size was given as ${input.size} bytes.`);
      await write(dataDescriptor(crc, compressedSize, size, zip64Local));
      records.push({name, method, time: stamp.time, date: stamp.date, crc: crc >>> 0, compressedSize, size, offset: localOffset, zip64Local});
      entriesDone++;
      report(true);
    }
    await write(centralDirectory(records, offset, force64));
    await handle.sync();
    await handle.close();
    handle = undefined;
    return {path: outPath, bytes: offset, entries: records.length, skipped};
  } catch (error) {
    current?.destroy();
    await handle?.close().catch(() => {});
    // Only a file this call created may be removed: 'wx' refuses an existing one (EEXIST), which must stay.
    if (handle !== undefined || !(error instanceof Error && (error as NodeJS.ErrnoException).code === 'EEXIST')) await rm(outPath, {force: true});
    if (isAborted()) throw aborted();
    throw error instanceof OperationalError ? error : new OperationalError(`Writing ${outPath} failed: ${(error as Error).message}`);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** An entry's input: bytes in memory, or a stream with its size when known. */
interface OpenedInput {
  data?: Buffer;
  stream?: Readable;
  size?: number;
}

async function openInput(entry: ZipEntry): Promise<OpenedInput> {
  const source = entry.source;
  if (source.kind === 'bytes') {
    const data = typeof source.data === 'function' ? await source.data() : source.data;
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    return {data: bytes, size: bytes.length};
  }
  if (source.kind === 'file') {
    const opened = await openRegularFile(source.path, source.start, source.end);
    return {stream: opened.stream, size: opened.size};
  }
  return {stream: await source.stream(), size: entry.sizeHint};
}

function describeSource(entry: ZipEntry): string {
  return entry.source.kind === 'file' ? entry.source.path : entry.name;
}
