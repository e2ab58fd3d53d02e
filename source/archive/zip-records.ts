/**
 * The byte records of a ZIP (PKWARE APPNOTE 6.3): local headers with data descriptors, the central
 * directory, ZIP64 extra fields and end records. Pure functions: no I/O.
 */

export const max32 = 0xffffffff;

export interface CentralRecord {
  name: Buffer;
  method: number;
  time: number;
  date: number;
  crc: number;
  compressedSize: number;
  size: number;
  offset: number;
  /** The local header announced ZIP64 sizes (so the data descriptor has 8-byte sizes). */
  zip64Local: boolean;
}

export function dosDateTime(date: Date): {time: number; date: number} {
  const year = Math.max(1980, date.getFullYear());
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

/** Local header: sizes and CRC follow in the data descriptor (flag bit 3). */
export function localHeader(name: Buffer, method: number, stamp: {time: number; date: number}, zip64: boolean): Buffer {
  const local = Buffer.alloc(30 + name.length + (zip64 ? 20 : 0));
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(zip64 ? 45 : 20, 4);
  local.writeUInt16LE(0x0008, 6);
  local.writeUInt16LE(method, 8);
  local.writeUInt16LE(stamp.time, 10);
  local.writeUInt16LE(stamp.date, 12);
  local.writeUInt32LE(0, 14);
  local.writeUInt32LE(zip64 ? max32 : 0, 18);
  local.writeUInt32LE(zip64 ? max32 : 0, 22);
  local.writeUInt16LE(name.length, 26);
  local.writeUInt16LE(zip64 ? 20 : 0, 28);
  name.copy(local, 30);
  if (zip64) {
    local.writeUInt16LE(0x0001, 30 + name.length);
    local.writeUInt16LE(16, 32 + name.length);
  }
  return local;
}

export function dataDescriptor(crc: number, compressedSize: number, size: number, zip64: boolean): Buffer {
  const descriptor = Buffer.alloc(zip64 ? 24 : 16);
  descriptor.writeUInt32LE(0x08074b50, 0);
  descriptor.writeUInt32LE(crc >>> 0, 4);
  if (zip64) {
    descriptor.writeBigUInt64LE(BigInt(compressedSize), 8);
    descriptor.writeBigUInt64LE(BigInt(size), 16);
  } else {
    descriptor.writeUInt32LE(compressedSize, 8);
    descriptor.writeUInt32LE(size, 12);
  }
  return descriptor;
}

function centralHeader(record: CentralRecord, force64: boolean): Buffer {
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
  return header;
}

/** The central directory and end records for entries written from `directoryStart` on. */
export function centralDirectory(records: readonly CentralRecord[], directoryStart: number, force64: boolean): Buffer {
  const headers = Buffer.concat(records.map(record => centralHeader(record, force64)));
  const directoryEnd = directoryStart + headers.length;
  const directorySize = headers.length;
  const zip64End = force64 || records.length > 0xfffe || directoryStart > max32 || directorySize > max32;
  const parts = [headers];
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
    parts.push(record, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(zip64End ? 0xffff : records.length, 8);
  end.writeUInt16LE(zip64End ? 0xffff : records.length, 10);
  end.writeUInt32LE(zip64End ? max32 : directorySize, 12);
  end.writeUInt32LE(zip64End ? max32 : directoryStart, 16);
  parts.push(end);
  return Buffer.concat(parts);
}
