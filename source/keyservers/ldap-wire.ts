import {isUtf8} from 'node:buffer';
/**
 * The LDAP search on the wire, for the one shape every lookup sends (an equality filter such as
 * (mail=alice@example.com)): requests encoded from a prepared prefix and answers read straight
 * from the received bytes, values as views of them. ldapts builds each request through a 1 KB
 * zero-filled writer and a JSON dump for its debug log, and each answer through several layers of
 * objects; per address that cost more than the search itself. Everything else (connect, TLS,
 * bind, other filters, the root DSE) still goes through ldapts.
 */

/** LDAP protocol operations (RFC 4511 section 4.2) read here. */
export const searchResultEntry = 0x64;
export const searchResultDone = 0x65;
export const searchResultReference = 0x73;
const searchRequest = 0x63;

/** A filter string that is one equality assertion: attribute description = value (RFC 4515 escapes). */
const equality = /^\(([A-Za-z][A-Za-z0-9-]*(?:;[A-Za-z0-9-]+)*|[0-9]+(?:\.[0-9]+)+)=((?:[^*()\\\0]|\\[0-9A-Fa-f]{2})*)\)$/u;

export interface EqualityAssertion {
  attribute: string;
  value: Buffer;
}

/** (attr=value) with the value's escapes decoded to bytes; undefined for any other filter. */
export function parseEqualityFilter(filter: string): EqualityAssertion | undefined {
  const match = equality.exec(filter);
  if (!match) return undefined;
  const text = match[2]!;
  if (!text.includes('\\')) return {attribute: match[1]!, value: Buffer.from(text, 'utf8')};
  const parts: Buffer[] = [];
  let last = 0;
  for (let index = text.indexOf('\\'); index >= 0; index = text.indexOf('\\', last)) {
    parts.push(Buffer.from(text.slice(last, index), 'utf8'), Buffer.from([parseInt(text.slice(index + 1, index + 3), 16)]));
    last = index + 3;
  }
  parts.push(Buffer.from(text.slice(last), 'utf8'));
  return {attribute: match[1]!, value: Buffer.concat(parts)};
}

function lengthOctets(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return [0x80 | bytes.length, ...bytes];
}

function tlv(tag: number, value: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag, ...lengthOctets(value.length)]), value]);
}

function integer(tag: number, value: number): Buffer {
  return tlv(tag, Uint8Array.from(integerContent(value)));
}

/**
 * SearchRequest ::= [APPLICATION 3] SEQUENCE { baseObject, scope, derefAliases, sizeLimit,
 * timeLimit, typesOnly, filter, attributes } as ldapts writes it (subtree, never dereference,
 * types and values); only the message id and the filter change per address.
 */
export class SearchRequestEncoder {
  private readonly head: Buffer;
  private readonly attributes: Buffer;

  constructor(baseDn: string, attributes: readonly string[], sizeLimit: number, timeLimitSeconds: number) {
    this.head = Buffer.concat([tlv(0x04, Buffer.from(baseDn, 'utf8')), integer(0x0a, 2), integer(0x0a, 0), integer(0x02, sizeLimit), integer(0x02, timeLimitSeconds), Buffer.from([0x01, 0x01, 0x00])]);
    this.attributes = tlv(0x30, Buffer.concat(attributes.map(name => tlv(0x04, Buffer.from(name, 'utf8')))));
  }

  /** One assertion as (attr=value); several as (|(attr=v1)(attr=v2)…), one request for a batch of addresses. */
  encode(messageId: number, assertion: EqualityAssertion | readonly EqualityAssertion[]): Buffer {
    const assertions = Array.isArray(assertion) ? (assertion as readonly EqualityAssertion[]) : [assertion as EqualityAssertion];
    if (assertions.length === 0) throw new RangeError('a search needs at least one assertion');
    const single = assertions.length === 1;
    const items = assertions.map(each => {
      const attribute = this.attributeBytes(each.attribute);
      const length = headerSize(attribute.length) + attribute.length + headerSize(each.value.length) + each.value.length;
      return {attribute, value: each.value, length};
    });
    const itemsLength = items.reduce((sum, item) => sum + headerSize(item.length) + item.length, 0);
    const filterLength = single ? itemsLength : headerSize(itemsLength) + itemsLength;
    const id = integerContent(messageId);
    const bodyLength = this.head.length + filterLength + this.attributes.length;
    const messageLength = 2 + id.length + headerSize(bodyLength) + bodyLength;
    // One buffer, written front to back (small ones come from Node's pool).
    const out = Buffer.allocUnsafe(headerSize(messageLength) + messageLength);
    let at = writeHeader(out, 0, 0x30, messageLength);
    out[at++] = 0x02;
    out[at++] = id.length;
    for (const byte of id) out[at++] = byte;
    at = writeHeader(out, at, searchRequest, bodyLength);
    at += this.head.copy(out, at);
    // Filter ::= CHOICE { or [1] SET OF Filter, equalityMatch [3] AttributeValueAssertion, … }
    if (!single) at = writeHeader(out, at, 0xa1, itemsLength);
    for (const item of items) {
      at = writeHeader(out, at, 0xa3, item.length);
      at = writeHeader(out, at, 0x04, item.attribute.length);
      at += item.attribute.copy(out, at);
      at = writeHeader(out, at, 0x04, item.value.length);
      at += item.value.copy(out, at);
    }
    this.attributes.copy(out, at);
    return out;
  }

  private lastAttribute?: {name: string; bytes: Buffer};
  private attributeBytes(name: string): Buffer {
    if (this.lastAttribute?.name !== name) this.lastAttribute = {name, bytes: Buffer.from(name, 'utf8')};
    return this.lastAttribute.bytes;
  }
}

/** Tag plus length octets. */
function headerSize(length: number): number {
  return 1 + lengthOctets(length).length;
}

function writeHeader(out: Buffer, at: number, tag: number, length: number): number {
  out[at++] = tag;
  for (const byte of lengthOctets(length)) out[at++] = byte;
  return at;
}

function integerContent(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  do {
    bytes.unshift(rest & 0xff);
    rest = Math.floor(rest / 256);
  } while (rest > 0);
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return bytes;
}

export class LdapWireError extends Error {
  override name = 'LdapWireError';
}

/** A view of one BER element: tag and where its value lies. */
interface Element {
  tag: number;
  start: number;
  end: number;
}

function element(bytes: Buffer, offset: number, limit: number): Element {
  if (offset + 2 > limit) throw new LdapWireError(`truncated LDAP message at byte ${offset}`);
  const tag = bytes[offset]!;
  let length = bytes[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    // LDAP allows only the definite form (RFC 4511 section 5.1).
    if (octets === 0 || octets > 4) throw new LdapWireError(`an LDAP element with a length of ${octets} octets at byte ${offset}`);
    if (start + octets > limit) throw new LdapWireError(`truncated LDAP message at byte ${offset}`);
    length = 0;
    for (let index = 0; index < octets; index++) length = length * 256 + bytes[start + index]!;
    start += octets;
  }
  const end = start + length;
  if (end > limit) throw new LdapWireError(`an LDAP element longer than its message at byte ${offset}`);
  return {tag, start, end};
}

function unsigned(bytes: Buffer, at: Element): number {
  let value = 0;
  for (let index = at.start; index < at.end; index++) value = value * 256 + bytes[index]!;
  return value;
}

/**
 * A valid UTF-8 value as text, as ldapts gives it (TextDecoder: a leading byte-order mark dropped).
 * isUtf8 and a slice instead of a fatal TextDecoder: a bulk run decodes one or two values per entry.
 */
function utf8Text(value: Buffer): string {
  return value.toString('utf8', value[0] === 0xef && value[1] === 0xbb && value[2] === 0xbf ? 3 : 0);
}

export interface WireAttribute {
  type: string;
  values: Buffer[];
}

export type SearchResponse =
  | {operation: typeof searchResultEntry; messageId: number; dn: string; attributes: WireAttribute[]}
  | {operation: typeof searchResultDone; messageId: number; status: number; errorMessage: string}
  | {operation: typeof searchResultReference; messageId: number};

/** Reads one complete LDAPMessage that answers a search; values are views of `bytes`. */
export function readSearchResponse(bytes: Buffer): SearchResponse {
  const message = element(bytes, 0, bytes.length);
  if (message.tag !== 0x30) throw new LdapWireError('not an LDAP message');
  const id = element(bytes, message.start, message.end);
  if (id.tag !== 0x02) throw new LdapWireError('an LDAP message without a message id');
  const messageId = unsigned(bytes, id);
  const operation = element(bytes, id.end, message.end);
  if (operation.tag === searchResultEntry) {
    const name = element(bytes, operation.start, operation.end);
    const list = element(bytes, name.end, operation.end);
    const attributes: WireAttribute[] = [];
    for (let offset = list.start; offset < list.end; ) {
      const partial = element(bytes, offset, list.end);
      offset = partial.end;
      const type = element(bytes, partial.start, partial.end);
      const set = element(bytes, type.end, partial.end);
      const values: Buffer[] = [];
      for (let cursor = set.start; cursor < set.end; ) {
        const value = element(bytes, cursor, set.end);
        values.push(bytes.subarray(value.start, value.end));
        cursor = value.end;
      }
      attributes.push({type: bytes.toString('utf8', type.start, type.end), values});
    }
    return {operation: searchResultEntry, messageId, dn: bytes.toString('utf8', name.start, name.end), attributes};
  }
  if (operation.tag === searchResultDone) {
    const code = element(bytes, operation.start, operation.end);
    const matched = element(bytes, code.end, operation.end);
    const diagnostic = element(bytes, matched.end, operation.end);
    return {operation: searchResultDone, messageId, status: unsigned(bytes, code), errorMessage: bytes.toString('utf8', diagnostic.start, diagnostic.end)};
  }
  if (operation.tag === searchResultReference) return {operation: searchResultReference, messageId};
  throw new LdapWireError(`an unexpected LDAP operation 0x${operation.tag.toString(16)} in answer to a search`);
}

/**
 * An entry as ldapts's SearchEntry.toObject gives it: values of binary attributes (the listed
 * ones, ";binary" ones, any with bytes that are not UTF-8) as Buffers, others as strings; one
 * value bare, several as an array; requested attributes that did not come back as [].
 */
export function entryObject(dn: string, attributes: readonly WireAttribute[], requested: readonly string[], bufferAttributes: ReadonlySet<string>): Record<string, unknown> & {dn: string} {
  const entry: Record<string, unknown> & {dn: string} = {dn};
  const seen = new Set<string>();
  for (const {type, values} of attributes) {
    seen.add(type.toLowerCase());
    let shown: (Buffer | string)[] = values;
    if (!bufferAttributes.has(type) && !/;binary$/i.test(type) && values.every(value => isUtf8(value))) shown = values.map(utf8Text);
    entry[type] = shown.length === 1 ? shown[0] : shown;
  }
  for (const name of requested) if (entry[name] === undefined && !seen.has(name.toLowerCase())) entry[name] = [];
  return entry;
}
