import {open, rm, type FileHandle} from 'node:fs/promises';
import {availableParallelism} from 'node:os';
import type {Readable} from 'node:stream';
import {promisify} from 'node:util';
import {constants, crc32, deflateRaw, type ZlibOptions} from 'node:zlib';
import {OperationalError} from '../errors.js';
import type {WriteZipOptions, WrittenZip, ZipEntry} from './zip-writer.js';

const deflateRawAsync = promisify(deflateRaw) as (buffer: Buffer, options: ZlibOptions) => Promise<Buffer>;

/** Input is cut into blocks deflated in parallel on libuv's thread pool (like pigz). */
export const parallelBlockBytes = 1024 * 1024;
const dictionaryBytes = 32 * 1024;
const max32 = 0xffffffff;

interface CentralRecord {
  name: Buffer;
  method: number;
  time: number;
  date: number;
  crc: number;
  compressedSize: number;
  size: number;
  offset: number;
  zip64Local: boolean;
}

function dosDateTime(date: Date): {time: number; date: number} {
  const year = Math.max(1980, date.getFullYear());
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

export interface ParallelZipInternals {
  /** Tests: force ZIP64 records for every entry and the end of the directory. */
  forceZip64?: boolean;
  /** Opens an entry's input (shared with writeZip: lazy, FIFO-safe). */
  openInput: (entry: ZipEntry) => Promise<Buffer | Readable>;
}

/**
 * A ZIP writer that compresses one entry's blocks on several cores at once: each 1 MiB block is raw
 * deflated with a sync flush (the last one finished) and primed with the previous 32 KiB, so the
 * concatenation is one valid deflate stream. Records (data descriptors, ZIP64 when needed) are
 * written here; output is written in order, so memory stays bounded by the blocks in flight.
 */
export async function writeZipParallel(outPath: string, entries: readonly ZipEntry[], options: WriteZipOptions, internals: ParallelZipInternals): Promise<WrittenZip> {
  const level = options.level ?? 6;
  const inFlight = Math.max(2, availableParallelism() + 1);
  let handle: FileHandle | undefined;
  let offset = 0;
  let bytesIn = 0;
  let reported = 0;
  let entriesDone = 0;
  let current: Readable | undefined;
  const skipped: WrittenZip['skipped'] = [];
  const records: CentralRecord[] = [];
  const aborted = () => options.signal?.aborted === true;
  const onAbort = () => current?.destroy(new OperationalError('Aborted: the partial ZIP was removed.'));
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
      if (aborted()) throw new OperationalError('Aborted: the partial ZIP was removed.');
      let input: Buffer | Readable;
      try {
        input = await internals.openInput(entry);
      } catch (error) {
        const problem = error instanceof Error ? error : new Error(String(error));
        if (options.onEntryError?.(entry, problem) === 'skip') {
          skipped.push({name: entry.name, reason: problem.message});
          continue;
        }
        throw problem instanceof OperationalError ? problem : new OperationalError(`Cannot read ${entry.source.kind === 'file' ? entry.source.path : entry.name}: ${problem.message}`);
      }
      const name = Buffer.from(entry.name, 'ascii');
      const method = entry.store || level === 0 ? 0 : 8;
      const stamp = dosDateTime(entry.date ?? new Date());
      const zip64Local = internals.forceZip64 === true;
      const localOffset = offset;
      // Local header: sizes and CRC follow in the data descriptor (flag bit 3).
      const local = Buffer.alloc(30 + name.length + (zip64Local ? 20 : 0));
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(zip64Local ? 45 : 20, 4);
      local.writeUInt16LE(0x0008, 6);
      local.writeUInt16LE(method, 8);
      local.writeUInt16LE(stamp.time, 10);
      local.writeUInt16LE(stamp.date, 12);
      local.writeUInt32LE(0, 14);
      local.writeUInt32LE(zip64Local ? max32 : 0, 18);
      local.writeUInt32LE(zip64Local ? max32 : 0, 22);
      local.writeUInt16LE(name.length, 26);
      local.writeUInt16LE(zip64Local ? 20 : 0, 28);
      name.copy(local, 30);
      if (zip64Local) {
        local.writeUInt16LE(0x0001, 30 + name.length);
        local.writeUInt16LE(16, 32 + name.length);
      }
      await write(local);
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
        const settings: ZlibOptions = {level, finishFlush: last ? constants.Z_FINISH : constants.Z_SYNC_FLUSH};
        if (previousTail) settings.dictionary = previousTail;
        const job = deflateRawAsync(block, settings);
        job.catch(() => {});
        pending.push(job);
        previousTail = block.length >= dictionaryBytes ? block.subarray(block.length - dictionaryBytes) : Buffer.concat([previousTail ?? Buffer.alloc(0), block]).subarray(-dictionaryBytes);
      };
      const drain = async (keep: number) => {
        while (pending.length > keep) await write(await pending.shift()!);
      };
      const consume = async (chunk: Buffer, parts: Buffer[], partsLength: {value: number}) => {
        crc = crc32(chunk, crc);
        size += chunk.length;
        bytesIn += chunk.length;
        parts.push(chunk);
        partsLength.value += chunk.length;
        while (partsLength.value >= parallelBlockBytes) {
          const joined = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
          dispatch(joined.subarray(0, parallelBlockBytes), false);
          const rest = joined.subarray(parallelBlockBytes);
          parts.length = 0;
          if (rest.length > 0) parts.push(rest);
          partsLength.value = rest.length;
          await drain(inFlight);
        }
        report(false);
      };
      const parts: Buffer[] = [];
      const partsLength = {value: 0};
      if (Buffer.isBuffer(input)) await consume(input, parts, partsLength);
      else {
        current = input;
        try {
          for await (const chunk of input) {
            if (aborted()) throw new OperationalError('Aborted: the partial ZIP was removed.');
            await consume(chunk as Buffer, parts, partsLength);
          }
        } catch (error) {
          if (aborted()) throw new OperationalError('Aborted: the partial ZIP was removed.');
          throw error instanceof OperationalError ? error : new OperationalError(`Cannot read ${entry.source.kind === 'file' ? entry.source.path : entry.name}: ${(error as Error).message}`);
        } finally {
          current = undefined;
          input.destroy();
        }
      }
      dispatch(parts.length === 1 ? parts[0]! : Buffer.concat(parts), true);
      await drain(0);
      const compressedSize = offset - dataStart;
      const needs64 = zip64Local || size > max32 || compressedSize > max32;
      if (needs64 && !zip64Local) throw new OperationalError(`${entry.name} is larger than 4 GB; lower the per-file cap.`);
      const descriptor = Buffer.alloc(zip64Local ? 24 : 16);
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(crc >>> 0, 4);
      if (zip64Local) {
        descriptor.writeBigUInt64LE(BigInt(compressedSize), 8);
        descriptor.writeBigUInt64LE(BigInt(size), 16);
      } else {
        descriptor.writeUInt32LE(compressedSize, 8);
        descriptor.writeUInt32LE(size, 12);
      }
      await write(descriptor);
      records.push({name, method, time: stamp.time, date: stamp.date, crc: crc >>> 0, compressedSize, size, offset: localOffset, zip64Local});
      entriesDone++;
      report(true);
    }
    await writeCentralDirectory(records, write, () => offset, internals.forceZip64 === true);
    await handle.sync();
    await handle.close();
    handle = undefined;
    return {path: outPath, bytes: offset, entries: records.length, skipped};
  } catch (error) {
    current?.destroy();
    await handle?.close().catch(() => {});
    if (handle !== undefined || !(error instanceof Error && (error as NodeJS.ErrnoException).code === 'EEXIST')) await rm(outPath, {force: true});
    if (aborted()) throw new OperationalError('Aborted: the partial ZIP was removed.');
    throw error instanceof OperationalError ? error : new OperationalError(`Writing ${outPath} failed: ${(error as Error).message}`);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

async function writeCentralDirectory(records: readonly CentralRecord[], write: (bytes: Buffer) => Promise<void>, position: () => number, force64: boolean): Promise<void> {
  const directoryStart = position();
  for (const record of records) {
    const sizes64 = force64 || record.zip64Local || record.size > max32 || record.compressedSize > max32;
    const offset64 = force64 || record.offset > max32;
    const extraLength = sizes64 || offset64 ? 4 + (sizes64 ? 16 : 0) + (offset64 ? 8 : 0) : 0;
    const header = Buffer.alloc(46 + record.name.length + extraLength);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE((3 << 8) | (extraLength > 0 ? 45 : 20), 4); // made by: Unix, spec 2.0 / 4.5
    header.writeUInt16LE(extraLength > 0 ? 45 : 20, 6);
    header.writeUInt16LE(0x0008, 8);
    header.writeUInt16LE(record.method, 10);
    header.writeUInt16LE(record.time, 12);
    header.writeUInt16LE(record.date, 14);
    header.writeUInt32LE(record.crc, 16);
    header.writeUInt32LE(sizes64 ? max32 : record.compressedSize, 20);
    header.writeUInt32LE(sizes64 ? max32 : record.size, 24);
    header.writeUInt16LE(record.name.length, 28);
    header.writeUInt16LE(extraLength, 30);
    header.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    header.writeUInt32LE(offset64 ? max32 : record.offset, 42);
    record.name.copy(header, 46);
    if (extraLength > 0) {
      let at = 46 + record.name.length;
      header.writeUInt16LE(0x0001, at);
      header.writeUInt16LE(extraLength - 4, at + 2);
      at += 4;
      if (sizes64) {
        header.writeBigUInt64LE(BigInt(record.size), at);
        header.writeBigUInt64LE(BigInt(record.compressedSize), at + 8);
        at += 16;
      }
      if (offset64) header.writeBigUInt64LE(BigInt(record.offset), at);
    }
    await write(header);
  }
  const directoryEnd = position();
  const directorySize = directoryEnd - directoryStart;
  const zip64End = force64 || records.length > 0xfffe || directoryStart > max32 || directorySize > max32;
  if (zip64End) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeUInt16LE((3 << 8) | 45, 12);
    record.writeUInt16LE(45, 14);
    record.writeBigUInt64LE(BigInt(records.length), 24);
    record.writeBigUInt64LE(BigInt(records.length), 32);
    record.writeBigUInt64LE(BigInt(directorySize), 40);
    record.writeBigUInt64LE(BigInt(directoryStart), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(directoryEnd), 8);
    locator.writeUInt32LE(1, 16);
    await write(Buffer.concat([record, locator]));
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(zip64End ? 0xffff : records.length, 8);
  end.writeUInt16LE(zip64End ? 0xffff : records.length, 10);
  end.writeUInt32LE(zip64End ? max32 : directorySize, 12);
  end.writeUInt32LE(zip64End ? max32 : directoryStart, 16);
  await write(end);
}
