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

const oidCache = new Map<string, string>();

export function decodeOid(bytes: Uint8Array): string {
  if (bytes.length === 0) throw new DerError('empty OID');
  // Certificates repeat a few dozen OIDs: each is decoded once (the cache is bounded).
  const key = latin1(bytes);
  const known = oidCache.get(key);
  if (known !== undefined) return known;
  const parts: number[] = [];
  let current = 0;
  for (const byte of bytes) {
    current = current * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      parts.push(current);
      current = 0;
    }
  }
  const first = parts.shift()!;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  const oid = [...head, ...parts].join('.');
  if (oidCache.size < 1024 && bytes.length <= 32) oidCache.set(key, oid);
  return oid;
}

/** The bytes as text without copying them. */
export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

export function utf8(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** UTCTime (tag 0x17) or GeneralizedTime (0x18) → Date. */
export function decodeTime(buffer: Uint8Array, node: DerNode): Date {
  const text = latin1(value(buffer, node));
  const match = node.tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(text) : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?Z$/.exec(text);
  if (!match) throw new DerError(`unsupported time "${text}"`);
  let year = Number(match[1]);
  if (node.tag === 0x17) year += year < 50 ? 2000 : 1900;
  return new Date(Date.UTC(year, Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6] ?? 0)));
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
