import type {Readable} from 'node:stream';
import {Transform} from 'node:stream';
import {crc32} from 'node:zlib';
import type {Entry, ZipFile} from 'yauzl';
import {OperationalError} from '../errors.js';

/** One entry of a ZIP's central directory, its name as stored (not checked or changed). */
export interface ZipMember {
  name: string;
  /** Sizes and CRC-32 as the central directory declares them. */
  size: number;
  compressedSize: number;
  crc32: number;
  encrypted: boolean;
}

export interface OpenedZip {
  path: string;
  members: ZipMember[];
  /**
   * The member's bytes, streamed with bounded memory: reading fails when the data is longer or
   * shorter than the declared size (a bomb that lies about its size) or its CRC-32 differs.
   */
  read(member: ZipMember): Promise<Readable>;
  close(): void;
}

/** More entries than any bundle or log run has: a directory this long is refused, not loaded. */
export const maxZipMembers = 200_000;

function notAZip(path: string, error: unknown): OperationalError {
  return new OperationalError(`${path} is not a readable ZIP file (${error instanceof Error ? error.message : String(error)}).`);
}

/**
 * Opens a ZIP with yauzl: the central directory is read (ZIP64 included), names are returned as
 * stored so callers can judge them (verify rejects "..", absolute and backslash paths), and every
 * entry's data is checked against its declared size while it streams.
 */
export async function openZip(path: string): Promise<OpenedZip> {
  const yauzl = (await import('yauzl')).default;
  const zip = await new Promise<ZipFile>((resolve, reject) => {
    yauzl.open(path, {lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true}, (error, opened) => (error ? reject(notAZip(path, error)) : resolve(opened)));
  });
  const entries = new Map<ZipMember, Entry>();
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: Entry) => {
        if (entries.size >= maxZipMembers) {
          reject(new OperationalError(`${path} has more than ${maxZipMembers} entries; it is not a support bundle.`));
          return;
        }
        const raw = entry.fileName as unknown as Buffer;
        const name = raw.toString(entry.generalPurposeBitFlag & 0x800 ? 'utf8' : 'latin1');
        entries.set({name, size: entry.uncompressedSize, compressedSize: entry.compressedSize, crc32: entry.crc32, encrypted: (entry.generalPurposeBitFlag & 0x1) !== 0}, entry);
        zip.readEntry();
      });
      zip.once('end', () => resolve());
      zip.once('error', (error: Error) => reject(notAZip(path, error)));
      zip.readEntry();
    });
  } catch (error) {
    zip.close();
    throw error;
  }
  return {
    path,
    members: [...entries.keys()],
    async read(member) {
      const entry = entries.get(member);
      if (!entry) throw new OperationalError(`${member.name} is not an entry of ${path}.`);
      if (member.encrypted) throw new OperationalError(`${member.name} in ${path} is encrypted.`);
      const stream = await new Promise<Readable>((resolve, reject) => zip.openReadStream(entry, (error, opened) => (error ? reject(notAZip(path, error)) : resolve(opened))));
      const checked = crcCheck(member, path);
      // A size that lies (yauzl's validateEntrySizes) or broken data fails the stream the caller reads.
      stream.once('error', error => checked.destroy(error instanceof OperationalError ? error : new OperationalError(`${member.name} in ${path}: ${error.message}`)));
      checked.once('close', () => stream.destroy());
      return stream.pipe(checked);
    },
    close() {
      zip.close();
    },
  };
}

/** Passes bytes through and fails at the end when their CRC-32 is not the declared one. */
function crcCheck(member: ZipMember, path: string): Transform {
  let crc = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      crc = crc32(chunk, crc);
      callback(null, chunk);
    },
    flush(callback) {
      callback(crc >>> 0 === member.crc32 >>> 0 ? null : new OperationalError(`${member.name} in ${path}: CRC-32 differs from the directory (damaged).`));
    },
  });
}

/** A whole member in memory, refused when it declares more than `maxBytes`. */
export async function readMember(zip: OpenedZip, member: ZipMember, maxBytes: number): Promise<Buffer> {
  if (member.size > maxBytes) throw new OperationalError(`${member.name} in ${zip.path} declares ${member.size} bytes; at most ${maxBytes} are read.`);
  const chunks: Buffer[] = [];
  for await (const chunk of await zip.read(member)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
