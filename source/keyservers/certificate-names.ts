import {children, decodeOid, hex, latin1, Tag, value, type DerNode} from './der.js';
import {readTbsFields, type TbsFields} from './tbs-certificate.js';

/**
 * Subject, issuer and serial read straight from the DER, written exactly as Node's X509Certificate
 * writes them. Node (OpenSSL 3) decodes the public key of every certificate it parses, which costs
 * far more than the whole search in a bulk run; this fast path skips that. It answers only for the
 * common case — printable-ASCII values of well-known attribute types, one attribute per RDN, a
 * positive serial — and returns undefined otherwise, so the caller asks Node. A test compares it
 * with Node on a table of names.
 */
export interface CertificateNames {
  /** One attribute per line, in certificate order (as Node's `subject`). */
  subject: string;
  issuer: string;
  /** Upper-case hex, whole bytes, leading zero bytes dropped (as Node's `serialNumber`). */
  serial: string;
}

/** OpenSSL's short names (Node prints these). Types not listed go to Node. */
export const attributeShortNames: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.42': 'GN',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
};

/** UTF8String, PrintableString, IA5String: with printable ASCII only, all three print the same. */
export const plainStringTags = new Set([0x0c, 0x13, 0x16]);
/** Characters OpenSSL escapes with a backslash anywhere in a value (RFC 2253). */
const escapedAnywhere = /[,+"\\<>;]/g;
const needsEscaping = /[,+"\\<>;]/;

export function readCertificateNames(der: Uint8Array, tbs: TbsFields | undefined = readTbsFields(der)): CertificateNames | undefined {
  if (!tbs) return undefined;
  const {fields, base} = tbs;
  const serialNode = fields[base];
  const issuerNode = fields[base + 2];
  const subjectNode = fields[base + 4];
  if (!serialNode || serialNode.tag !== Tag.integer || !issuerNode || !subjectNode) return undefined;
  const serial = serialHex(value(der, serialNode));
  const issuer = formatName(der, issuerNode);
  const subject = formatName(der, subjectNode);
  if (serial === undefined || issuer === undefined || subject === undefined) return undefined;
  return {subject, issuer, serial};
}

/** The INTEGER's bytes (from `start` to `end`) as Node prints a serial. */
export function serialHex(bytes: Uint8Array, start = 0, end = bytes.length): string | undefined {
  // Negative or zero serials are rare and printed differently: Node's business.
  if (end <= start || (bytes[start]! & 0x80) !== 0) return undefined;
  let first = start;
  while (first < end && bytes[first] === 0) first++;
  if (first === end) return undefined;
  return hex(bytes, first, end).toUpperCase();
}

function formatName(der: Uint8Array, name: DerNode): string | undefined {
  if (name.tag !== Tag.sequence) return undefined;
  const lines: string[] = [];
  for (const rdn of children(der, name)) {
    if (rdn.tag !== Tag.set) return undefined;
    const attributes = children(der, rdn);
    if (attributes.length !== 1) return undefined;
    const [type, attributeValue] = children(der, attributes[0]!);
    if (!type || type.tag !== Tag.oid || !attributeValue || !plainStringTags.has(attributeValue.tag)) return undefined;
    const shortName = attributeShortNames[decodeOid(value(der, type))];
    if (shortName === undefined) return undefined;
    const text = printableAscii(value(der, attributeValue));
    if (text === undefined) return undefined;
    const escaped = escapeValue(text);
    if (escaped === undefined) return undefined;
    lines.push(`${shortName}=${escaped}`);
  }
  return lines.join('\n');
}

export function printableAscii(bytes: Uint8Array, start = 0, end = bytes.length): string | undefined {
  for (let index = start; index < end; index++) if (bytes[index]! < 0x20 || bytes[index]! > 0x7e) return undefined;
  return latin1(bytes, start, end);
}

/** RFC 2253 escaping as OpenSSL does it for the specials; leading "#", leading or trailing spaces go to Node. */
export function escapeValue(text: string): string | undefined {
  if (text.startsWith('#') || text.startsWith(' ') || text.endsWith(' ')) return undefined;
  return needsEscaping.test(text) ? text.replace(escapedAnywhere, match => `\\${match}`) : text;
}
