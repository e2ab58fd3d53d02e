import {createReadStream} from 'node:fs';
import {open} from 'node:fs/promises';
import {Readable, Transform} from 'node:stream';
import {createInflateRaw, crc32} from 'node:zlib';
import {OperationalError} from '../errors.js';

/** One entry of a ZIP's central directory. */
export interface ZipMember {
  name: string;
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const eocdSignature = 0x06054b50;
const zip64LocatorSignature = 0x07064b50;
const zip64EocdSignature = 0x06064b50;
const centralSignature = 0x02014b50;
const localSignature = 0x04034b50;

function invalid(path: string, why: string): OperationalError {
  return new OperationalError(`${path} is not a readable ZIP file (${why}).`);
}

/**
 * Reads the central directory (ZIP64 included) without loading the archive: a small reader of our
 * own, so `bundle verify` needs no runtime dependency.
 */
export async function readZipDirectory(path: string): Promise<ZipMember[]> {
  const handle = await open(path, 'r').catch((error: Error) => {
    throw new OperationalError(`Cannot open ${path}: ${error.message}`);
  });
  try {
    const {size} = await handle.stat();
    if (size < 22) throw invalid(path, 'too short');
    const tailLength = Math.min(size, 22 + 65_535);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    let eocd = -1;
    for (let index = tailLength - 22; index >= 0; index--) {
      if (tail.readUInt32LE(index) === eocdSignature && index + 22 + tail.readUInt16LE(index + 20) === tailLength) {
        eocd = index;
        break;
      }
    }
    if (eocd < 0) throw invalid(path, 'no end of central directory record');
    let count = tail.readUInt16LE(eocd + 10);
    let directorySize = tail.readUInt32LE(eocd + 12);
    let directoryOffset = tail.readUInt32LE(eocd + 16);
    const eocdAbsolute = size - tailLength + eocd;
    if ((count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) && eocdAbsolute >= 20) {
      const locator = Buffer.alloc(20);
      await handle.read(locator, 0, 20, eocdAbsolute - 20);
      if (locator.readUInt32LE(0) === zip64LocatorSignature) {
        const recordOffset = Number(locator.readBigUInt64LE(8));
        const record = Buffer.alloc(56);
        await handle.read(record, 0, 56, recordOffset);
        if (record.readUInt32LE(0) !== zip64EocdSignature) throw invalid(path, 'bad ZIP64 end record');
        count = Number(record.readBigUInt64LE(32));
        directorySize = Number(record.readBigUInt64LE(40));
        directoryOffset = Number(record.readBigUInt64LE(48));
      }
    }
    if (directoryOffset + directorySize > size) throw invalid(path, 'central directory beyond the end of the file');
    const directory = Buffer.alloc(directorySize);
    await handle.read(directory, 0, directorySize, directoryOffset);
    const members: ZipMember[] = [];
    let offset = 0;
    for (let index = 0; index < count; index++) {
      if (offset + 46 > directory.length || directory.readUInt32LE(offset) !== centralSignature) throw invalid(path, `bad central directory entry ${index + 1}`);
      const flags = directory.readUInt16LE(offset + 8);
      const nameLength = directory.readUInt16LE(offset + 28);
      const extraLength = directory.readUInt16LE(offset + 30);
      const commentLength = directory.readUInt16LE(offset + 32);
      const name = directory.subarray(offset + 46, offset + 46 + nameLength).toString(flags & 0x800 ? 'utf8' : 'latin1');
      let size32 = directory.readUInt32LE(offset + 24);
      let compressed32 = directory.readUInt32LE(offset + 20);
      let local32 = directory.readUInt32LE(offset + 42);
      let sizeValue = size32;
      let compressedValue = compressed32;
      let localValue = local32;
      const extra = directory.subarray(offset + 46 + nameLength, offset + 46 + nameLength + extraLength);
      for (let at = 0; at + 4 <= extra.length; ) {
        const id = extra.readUInt16LE(at);
        const length = extra.readUInt16LE(at + 2);
        if (id === 0x0001) {
          let field = at + 4;
          if (size32 === 0xffffffff) {
            sizeValue = Number(extra.readBigUInt64LE(field));
            field += 8;
          }
          if (compressed32 === 0xffffffff) {
            compressedValue = Number(extra.readBigUInt64LE(field));
            field += 8;
          }
          if (local32 === 0xffffffff) localValue = Number(extra.readBigUInt64LE(field));
        }
        at += 4 + length;
      }
      size32 = compressed32 = local32 = 0;
      members.push({
        name,
        method: directory.readUInt16LE(offset + 10),
        flags,
        crc32: directory.readUInt32LE(offset + 16),
        compressedSize: compressedValue,
        size: sizeValue,
        localHeaderOffset: localValue,
      });
      offset += 46 + nameLength + extraLength + commentLength;
    }
    return members;
  } finally {
    await handle.close();
  }
}

/**
 * The uncompressed bytes of one member as a stream (stored or deflated); fails with a clear error
 * when the CRC-32 or the size does not match the directory.
 */
export async function openZipMember(path: string, member: ZipMember): Promise<Readable> {
  if (member.method !== 0 && member.method !== 8) throw new OperationalError(`${member.name} in ${path} uses compression method ${member.method}, which is not supported.`);
  if (member.flags & 0x1) throw new OperationalError(`${member.name} in ${path} is encrypted.`);
  const handle = await open(path, 'r');
  let dataStart: number;
  try {
    const header = Buffer.alloc(30);
    await handle.read(header, 0, 30, member.localHeaderOffset);
    if (header.readUInt32LE(0) !== localSignature) throw invalid(path, `bad local header for ${member.name}`);
    dataStart = member.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  } finally {
    await handle.close();
  }
  const raw = member.compressedSize === 0 ? Readable.from([]) : createReadStream(path, {start: dataStart, end: dataStart + member.compressedSize - 1, highWaterMark: 256 * 1024});
  let crc = 0;
  let seen = 0;
  const check = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      crc = crc32(chunk, crc);
      seen += chunk.length;
      callback(null, chunk);
    },
    flush(callback) {
      if (seen !== member.size) callback(new OperationalError(`${member.name}: ${seen} bytes instead of ${member.size}.`));
      else if ((crc >>> 0) !== member.crc32) callback(new OperationalError(`${member.name}: CRC-32 does not match (damaged archive).`));
      else callback();
    },
  });
  const forward = (error: Error) => check.destroy(error);
  raw.on('error', forward);
  if (member.method === 0 || member.compressedSize === 0) return raw.pipe(check);
  const inflate = createInflateRaw();
  inflate.on('error', (error: Error) => check.destroy(new OperationalError(`${member.name}: cannot be decompressed (${error.message}).`)));
  return raw.pipe(inflate).pipe(check);
}

/** Reads a small member completely (e.g. manifest.json). */
export async function readZipMember(path: string, member: ZipMember, limit = 64 * 1024 * 1024): Promise<Buffer> {
  if (member.size > limit) throw new OperationalError(`${member.name} is larger than ${limit} bytes.`);
  const chunks: Buffer[] = [];
  for await (const chunk of await openZipMember(path, member)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
