/**
 * A minimal DER (ASN.1) reader: just enough to walk certificates and PKCS#7 containers.
 * Node 20's X509Certificate does not expose the key-usage bits or the raw extensions.
 */
export interface DerNode {
  /** The full identifier octet (class, constructed bit, tag number for low tags). */
  tag: number;
  constructed: boolean;
  /** Offsets into the buffer: header start, value start, value end (exclusive). */
  start: number;
  valueStart: number;
  end: number;
  /** Where the next element starts: `end`, or after the end-of-contents octets of a BER indefinite length. */
  next: number;
}

export class DerError extends Error {
  override name = 'DerError';
}

/**
 * Deepest nesting of BER indefinite lengths the reader follows (certificates and PKCS#7 need
 * fewer than 10): data from a remote server cannot drive the recursion further.
 */
export const maxDerDepth = 32;

export function readNode(buffer: Uint8Array, offset: number, limit = buffer.length, depth = 0): DerNode {
  if (depth > maxDerDepth) throw new DerError(`DER nested deeper than ${maxDerDepth} levels at byte ${offset}`);
  if (offset + 2 > limit) throw new DerError(`truncated DER at byte ${offset}`);
  const tag = buffer[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError(`high tag numbers are not supported (byte ${offset})`);
  let length = buffer[offset + 1]!;
  let valueStart = offset + 2;
  const constructed = (tag & 0x20) !== 0;
  // BER indefinite length (Windows-made PKCS#7 uses it): children until the 00 00 end-of-contents.
  if (length === 0x80) {
    if (!constructed) throw new DerError(`indefinite length on a primitive element at byte ${offset}`);
    let cursor = valueStart;
    for (;;) {
      if (cursor + 2 > limit) throw new DerError(`missing end-of-contents for the element at byte ${offset}`);
      if (buffer[cursor] === 0 && buffer[cursor + 1] === 0) return {tag, constructed, start: offset, valueStart, end: cursor, next: cursor + 2};
      cursor = readNode(buffer, cursor, limit, depth + 1).next;
    }
  }
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets === 0 || octets > 4) throw new DerError(`unsupported DER length form at byte ${offset}`);
    if (valueStart + octets > limit) throw new DerError(`truncated DER length at byte ${offset}`);
    length = 0;
    for (let index = 0; index < octets; index++) length = length * 256 + buffer[valueStart + index]!;
    valueStart += octets;
  }
  const end = valueStart + length;
  if (end > limit) throw new DerError(`DER element at byte ${offset} runs past its container`);
  return {tag, constructed, start: offset, valueStart, end, next: end};
}

/** The elements directly inside a constructed element. */
export function children(buffer: Uint8Array, node: DerNode): DerNode[] {
  const result: DerNode[] = [];
  let offset = node.valueStart;
  while (offset < node.end) {
    const child = readNode(buffer, offset, node.end);
    result.push(child);
    offset = child.next;
  }
  return result;
}

export function value(buffer: Uint8Array, node: DerNode): Uint8Array {
  // A plain view: on a Buffer, subarray() builds another Buffer through its subclass constructor (measured: the larger cost per certificate).
  return new Uint8Array(buffer.buffer, buffer.byteOffset + node.valueStart, node.end - node.valueStart);
}

/** Decoded OIDs by a hash of their bytes; the bytes are kept and compared, so a collision only misses. */
const oidCache = new Map<number, {bytes: Uint8Array; oid: string}>();

export function oidHash(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let hash = end - start;
  for (let index = start; index < end; index++) hash = (Math.imul(hash, 31) + bytes[index]!) | 0;
  return hash;
}

function sameBytes(known: Uint8Array, bytes: Uint8Array, start: number, end: number): boolean {
  if (known.length !== end - start) return false;
  for (let index = 0; index < known.length; index++) if (known[index] !== bytes[start + index]) return false;
  return true;
}

/** The dotted OID of `bytes` (or of its bytes from `start` to `end`: no view needed). */
export function decodeOid(bytes: Uint8Array, start = 0, end = bytes.length): string {
  if (end <= start) throw new DerError('empty OID');
  // Certificates repeat a few dozen OIDs: each is decoded once (the cache is bounded). A numeric key: no string is made per lookup.
  const key = oidHash(bytes, start, end);
  const known = oidCache.get(key);
  if (known !== undefined && sameBytes(known.bytes, bytes, start, end)) return known.oid;
  const parts: number[] = [];
  let current = 0;
  for (let index = start; index < end; index++) {
    const byte = bytes[index]!;
    current = current * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      parts.push(current);
      current = 0;
    }
  }
  const first = parts.shift()!;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  const oid = [...head, ...parts].join('.');
  // A copy: the bytes given are part of a received message that must not be kept alive.
  if (known === undefined && oidCache.size < 1024 && end - start <= 32) oidCache.set(key, {bytes: bytes.slice(start, end), oid});
  return oid;
}

// Buffer's own slicers read any Uint8Array: no Buffer object is made per value (measured 3x faster).
const slicers = Buffer.prototype as unknown as Record<'latin1Slice' | 'utf8Slice' | 'hexSlice', (this: Uint8Array, start: number, end: number) => string>;

/** The bytes (from `start` to `end`) as text without copying them. */
export function latin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  return slicers.latin1Slice.call(bytes, start, end);
}

/** The bytes from `start` to `end` in lower-case hex. */
export function hex(bytes: Uint8Array, start: number, end: number): string {
  return slicers.hexSlice.call(bytes, start, end);
}

export function utf8(bytes: Uint8Array): string {
  return slicers.utf8Slice.call(bytes, 0, bytes.length);
}

/** The number written by `count` ASCII digits at `offset` of a value, or -1 when any is missing or not a digit. */
function digits(buffer: Uint8Array, start: number, length: number, offset: number, count: number): number {
  let result = 0;
  for (let index = 0; index < count; index++) {
    const code = offset + index < length ? buffer[start + offset + index]! - 0x30 : -1;
    if (code < 0 || code > 9) return -1;
    result = result * 10 + code;
  }
  return result;
}

/** UTCTime (tag 0x17) or GeneralizedTime (0x18) → Date: YYMMDDHHMM[SS]Z or YYYYMMDDHHMM[SS][.f+]Z. */
export function decodeTime(buffer: Uint8Array, node: DerNode): Date {
  // Read digit by digit: every certificate has two of these, and a pattern match made a string and an array each.
  const start = node.valueStart;
  const length = node.end - start;
  const utc = node.tag === 0x17;
  const yearDigits = utc ? 2 : 4;
  const fixed = yearDigits + 8;
  let year = digits(buffer, start, length, 0, yearDigits);
  const month = digits(buffer, start, length, yearDigits, 2);
  const day = digits(buffer, start, length, yearDigits + 2, 2);
  const hour = digits(buffer, start, length, yearDigits + 4, 2);
  const minute = digits(buffer, start, length, yearDigits + 6, 2);
  let at = fixed;
  let second = 0;
  if (at + 2 <= length && digits(buffer, start, length, at, 1) >= 0) {
    second = digits(buffer, start, length, at, 2);
    at += 2;
  }
  if (!utc && at < length && buffer[start + at] === 0x2e) {
    let fractionEnd = at + 1;
    while (fractionEnd < length && digits(buffer, start, length, fractionEnd, 1) >= 0) fractionEnd++;
    at = fractionEnd === at + 1 ? -1 : fractionEnd;
  }
  const wellFormed = year >= 0 && month >= 0 && day >= 0 && hour >= 0 && minute >= 0 && second >= 0 && at === length - 1 && buffer[start + at] === 0x5a;
  if (!wellFormed) throw new DerError(`unsupported time "${latin1(value(buffer, node))}"`);
  if (utc) year += year < 50 ? 2000 : 1900;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second));
}

export const Tag = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  oid: 0x06,
  sequence: 0x30,
  set: 0x31,
  utcTime: 0x17,
  generalizedTime: 0x18,
} as const;
