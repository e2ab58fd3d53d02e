import {DirectoryError} from './errors.js';

/**
 * Bounds on what a directory server may send (documented in docs/keyservers.md). A server that
 * breaks one is hostile or broken: the search fails with errorKind "too-large" and the connection
 * is dropped, so memory stays bounded whatever the peer sends.
 */
export const maxResponseBytesPerSearch = 8 * 1024 * 1024;
/** One address has a handful of certificates; more values than this in one attribute is not a key directory. */
export const maxCertificatesPerEntry = 50;

export interface ResponseLimits {
  maxBytesPerSearch: number;
  maxEntriesPerSearch: number;
  maxCertificatesPerEntry: number;
}

/** The parts of an ldapts 8 Client the guard hooks (see node_modules/ldapts/dist/index.mjs, class Client). */
interface GuardedClient {
  /** Instance arrow function ldapts registers as the socket's "data" listener when it connects (and again after StartTLS). */
  socketDataHandler: (data: Buffer) => void;
  messageParser: {on(event: 'message', listener: (message: unknown) => void): void};
  messageDetailsByMessageId: Map<string, {reject(error: Error): void}>;
  socket?: unknown;
  _destroySocket(socket: unknown): void;
}

/** What the connection layer's own search reader (ldap-wire.ts) uses of the guard. */
export interface ResponseGuard {
  /** Hand this message id's answers to `reader` (one complete message each) instead of ldapts. */
  claim(messageId: number, reader: (message: Buffer) => void): void;
  /** The search ended: stop routing its id and forget its counts. */
  release(messageId: number): void;
  /** Counts an entry against the bounds; false when it broke one (the search is failed, the connection dropped). */
  entryArrived(messageId: number, attributes: readonly {type: string; values: {length: number}}[]): boolean;
  /** Fails the search and drops the connection (an answer that is not LDAP). */
  violate(messageId: number, text: string): void;
}

interface ParsedMessage {
  messageId: number;
  protocolOperation?: number;
  attributes?: {type: string; values: unknown[]}[];
}

const searchEntry = 100;
const searchReference = 115;
/** The longest message header read before deciding: SEQUENCE tag, 5 length octets, INTEGER tag, length, 4 id octets. */
const maxHeader = 12;
const noBytes = Buffer.alloc(0);

type Header = {complete: false} | {complete: true; headerLength: number; total: number; messageId: number} | {complete: true; invalid: string};

/** Reads an LDAPMessage header (RFC 4511: SEQUENCE { messageID INTEGER, … }) from the bytes at `start` (lengths count from there). */
export function readMessageHeader(bytes: Uint8Array, start = 0): Header {
  const available = bytes.length - start;
  if (available < 2) return {complete: false};
  if (bytes[start] !== 0x30) return {complete: true, invalid: `not an LDAP message (tag 0x${bytes[start]!.toString(16)})`};
  let offset = 1;
  let length = bytes[start + offset++]!;
  if (length === 0x80) return {complete: true, invalid: 'an LDAP message with an indefinite length'};
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets > 4) return {complete: true, invalid: `an LDAP message announcing a length of ${octets} octets`};
    if (available < offset + octets) return {complete: false};
    length = 0;
    for (let index = 0; index < octets; index++) length = length * 256 + bytes[start + offset++]!;
  }
  const total = offset + length;
  if (available < offset + 2) return {complete: false};
  if (bytes[start + offset] !== 0x02) return {complete: true, invalid: 'an LDAP message without a message id'};
  const idLength = bytes[start + offset + 1]!;
  if (idLength < 1 || idLength > 4) return {complete: true, invalid: 'an LDAP message id of a bad length'};
  if (available < offset + 2 + idLength) return {complete: false};
  let messageId = 0;
  for (let index = 0; index < idLength; index++) messageId = messageId * 256 + bytes[start + offset + 2 + index]!;
  const headerLength = offset + 2 + idLength;
  if (total < headerLength) return {complete: true, invalid: 'an LDAP message shorter than its own header'};
  return {complete: true, headerLength, total, messageId};
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

/**
 * Puts a frame reader in front of ldapts's parser: it reads each message's header as the bytes
 * arrive, refuses a message or a search whose size would pass the limit before its bytes are
 * buffered, and hands ldapts one complete message at a time (ldapts would otherwise copy the whole
 * buffer on every chunk and recurse once per message in a chunk). Counts entries per search and
 * certificates per entry as ldapts parses them. Must run before the client connects.
 */
export function guardResponses(client: unknown, limits: ResponseLimits, onViolation: (error: DirectoryError) => void): ResponseGuard {
  const guarded = client as GuardedClient;
  const toLdapts = guarded.socketDataHandler;
  /** Searches read by our own wire reader (ldap-wire.ts), by message id; the rest goes to ldapts. */
  const claimed = new Map<number, (message: Buffer) => void>();
  const deliver = (message: Buffer, messageId: number) => {
    const reader = claimed.get(messageId);
    if (reader) reader(message);
    else toLdapts(message);
  };
  const bytesPerSearch = new Map<number, number>();
  const entriesPerSearch = new Map<number, number>();
  let header: Buffer = noBytes;
  let current: Buffer[] = [];
  let remaining = 0;
  let currentId = 0;
  let stopped = false;

  const violate = (messageId: number | undefined, text: string) => {
    if (stopped) return;
    stopped = true;
    current = [];
    const error = new DirectoryError('too-large', text);
    onViolation(error);
    if (messageId !== undefined) {
      const details = guarded.messageDetailsByMessageId.get(String(messageId));
      if (details) {
        guarded.messageDetailsByMessageId.delete(String(messageId));
        details.reject(error);
      }
    }
    if (guarded.socket) guarded._destroySocket(guarded.socket);
  };

  guarded.socketDataHandler = (data: Buffer) => {
    let offset = 0;
    while (offset < data.length && !stopped) {
      if (remaining > 0) {
        const take = Math.min(remaining, data.length - offset);
        current.push(data.subarray(offset, offset + take));
        remaining -= take;
        offset += take;
        if (remaining === 0) {
          const message = current.length === 1 ? current[0]! : Buffer.concat(current);
          current = [];
          deliver(message, currentId);
        }
        continue;
      }
      // Usually a header lies whole in the chunk: read in place, no copy. Else its first bytes wait in `header`.
      const previous = header.length;
      const source = previous === 0 ? data : Buffer.concat([header, data.subarray(offset, offset + maxHeader)]);
      const start = previous === 0 ? offset : 0;
      const parsed = readMessageHeader(source, start);
      if (!parsed.complete) {
        // Copied: the rest of the chunk is a few bytes, and a view would keep the whole chunk alive.
        header = previous === 0 ? Buffer.from(data.subarray(offset, offset + maxHeader)) : source;
        offset += header.length - previous;
        continue;
      }
      if ('invalid' in parsed) return violate(undefined, `the server sent ${parsed.invalid}`);
      const sum = (bytesPerSearch.get(parsed.messageId) ?? 0) + parsed.total;
      if (parsed.total > limits.maxBytesPerSearch || sum > limits.maxBytesPerSearch) {
        return violate(parsed.messageId, `the server's answer to one search passes ${megabytes(limits.maxBytesPerSearch)} (the most nsp-console accepts); stopped reading`);
      }
      bytesPerSearch.set(parsed.messageId, sum);
      if (previous === 0 && offset + parsed.total <= data.length) {
        // The whole message is in this chunk: handed on as a view of it.
        offset += parsed.total;
        deliver(data.subarray(offset - parsed.total, offset), parsed.messageId);
        continue;
      }
      if (previous > 0) header = noBytes;
      current = [source.subarray(start, start + parsed.headerLength)];
      offset += parsed.headerLength - previous;
      remaining = parsed.total - parsed.headerLength;
      currentId = parsed.messageId;
      if (remaining === 0) {
        deliver(Buffer.concat(current), currentId);
        current = [];
      }
    }
  };

  /** false when the entry broke a bound (the search is failed and the connection dropped). */
  const entryArrived = (id: number, attributes: readonly {type: string; values: {length: number}}[]): boolean => {
    const count = (entriesPerSearch.get(id) ?? 0) + 1;
    entriesPerSearch.set(id, count);
    if (count > limits.maxEntriesPerSearch) {
      violate(id, `the server sent more than ${limits.maxEntriesPerSearch} entries for one search (it ignores the size limit)`);
      return false;
    }
    for (const attribute of attributes) {
      if (/certificate/i.test(attribute.type) && attribute.values.length > limits.maxCertificatesPerEntry) {
        violate(id, `the server sent ${attribute.values.length} certificates in one entry (at most ${limits.maxCertificatesPerEntry} are read)`);
        return false;
      }
    }
    return true;
  };
  const ended = (id: number) => {
    bytesPerSearch.delete(id);
    entriesPerSearch.delete(id);
  };

  guarded.messageParser.on('message', raw => {
    const message = raw as ParsedMessage;
    const id = message.messageId;
    if (message.protocolOperation === searchEntry) {
      entryArrived(id, message.attributes ?? []);
      return undefined;
    }
    if (message.protocolOperation === searchReference) return undefined;
    // Any other message ends its operation: forget its counts.
    ended(id);
    return undefined;
  });

  return {
    claim(messageId, reader) {
      claimed.set(messageId, reader);
    },
    release(messageId) {
      claimed.delete(messageId);
      ended(messageId);
    },
    entryArrived,
    violate: (messageId, text) => violate(messageId, text),
  };
}
