import {escapeValue, plainStringTags, printableAscii, serialHex, attributeShortNames} from './certificate-names.js';
import {decodeOid, decodeTime, latin1, Tag} from './der.js';
import {certificateOids, extendedKeyUsageNames, keyUsageBitNames, type CertificateExtensions} from './x509-extensions.js';

/** Everything a certificate's details are made of; names on one line, most significant last (as shown). */
export interface CertificateFields extends CertificateExtensions {
  subject: string;
  issuer: string;
  serial: string;
}

/**
 * One pass over an ordinary certificate, without an object per DER element: a bulk run reads
 * thousands, mostly before the code is optimized, and the general readers (der.ts, a node object
 * and an array per level, the subject walked twice) made most of the garbage of a run.
 *
 * It answers only when every element it meets has the expected shape, and then exactly what the
 * general readers give (a test holds it to them on mutated certificates); anything else — BER
 * indefinite lengths, multi-valued RDNs, unusual strings, a malformed element — returns undefined
 * and the general readers decide, errors included.
 */
export function readOrdinaryCertificate(der: Uint8Array): CertificateFields | undefined {
  try {
    return readFields(der);
  } catch {
    // A value the general readers reject too (e.g. a time they cannot read): they say why.
    return undefined;
  }
}

// Where the element last read by `element` has its value: registers instead of an object per element.
let start = 0;
let end = 0;

/** Reads the definite-length element at `at` (its value into the registers) and returns its tag; -1 when it is not one within `limit`. */
function element(der: Uint8Array, at: number, limit: number): number {
  if (at + 2 > limit) return -1;
  const identifier = der[at]!;
  if ((identifier & 0x1f) === 0x1f) return -1;
  let length = der[at + 1]!;
  let valueStart = at + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    // 0x80 (indefinite) is BER: the general reader follows it.
    if (octets === 0 || octets > 4 || valueStart + octets > limit) return -1;
    length = 0;
    for (let index = 0; index < octets; index++) length = length * 256 + der[valueStart + index]!;
    valueStart += octets;
  }
  if (valueStart + length > limit) return -1;
  start = valueStart;
  end = valueStart + length;
  return identifier;
}

/** True when the bytes from `at` to `limit` are whole elements (as the general reader's children() demands). */
function wholeElements(der: Uint8Array, at: number, limit: number): boolean {
  while (at < limit) {
    if (element(der, at, limit) < 0) return false;
    at = end;
  }
  return true;
}

function readFields(der: Uint8Array): CertificateFields | undefined {
  // Certificate: tbsCertificate, signatureAlgorithm, signature.
  if (element(der, 0, der.length) !== Tag.sequence) return undefined;
  const certificateEnd = end;
  if (element(der, start, certificateEnd) !== Tag.sequence) return undefined;
  const tbsStart = start;
  const tbsEnd = end;
  if (!wholeElements(der, tbsEnd, certificateEnd)) return undefined;

  // TBSCertificate: [0] version, serial, signature, issuer, validity, subject, …
  let at = tbsStart;
  let tag = element(der, at, tbsEnd);
  if (tag === 0xa0) {
    at = end;
    tag = element(der, at, tbsEnd);
  }
  if (tag !== Tag.integer) return undefined;
  const serial = serialHex(der, start, end);
  if (serial === undefined) return undefined;
  at = end;
  if (element(der, at, tbsEnd) !== Tag.sequence) return undefined;
  at = end;

  if (element(der, at, tbsEnd) !== Tag.sequence) return undefined;
  at = end;
  const issuer = oneLineName(der, start, end, undefined);
  if (issuer === undefined) return undefined;

  if (element(der, at, tbsEnd) !== Tag.sequence) return undefined;
  at = end;
  const validityEnd = end;
  tag = element(der, start, validityEnd);
  if (tag !== Tag.utcTime && tag !== Tag.generalizedTime) return undefined;
  const notBefore = decodeTime(der, {tag, constructed: false, start, valueStart: start, end, next: end});
  tag = element(der, end, validityEnd);
  if ((tag !== Tag.utcTime && tag !== Tag.generalizedTime) || end !== validityEnd) return undefined;
  const notAfter = decodeTime(der, {tag, constructed: false, start, valueStart: start, end, next: end});

  if (element(der, at, tbsEnd) !== Tag.sequence) return undefined;
  at = end;
  const subjectEmails: string[] = [];
  const subject = oneLineName(der, start, end, subjectEmails);
  if (subject === undefined) return undefined;

  // Every property from the start, in one order: one object shape for all certificates (no deoptimization when one lacks an extension).
  const fields: CertificateFields = {notBefore, notAfter, keyUsage: undefined, extendedKeyUsage: undefined, sanEmails: [], subjectEmails, subject, issuer, serial};
  // subjectPublicKeyInfo, [1], [2], [3] extensions: the first [3] counts, as for the general reader.
  let extensionsStart = -1;
  let extensionsEnd = -1;
  while (at < tbsEnd) {
    tag = element(der, at, tbsEnd);
    if (tag < 0) return undefined;
    if (tag === 0xa3 && extensionsStart < 0) {
      extensionsStart = start;
      extensionsEnd = end;
    }
    at = end;
  }
  if (extensionsStart < 0 || extensionsStart === extensionsEnd) return fields;
  if (element(der, extensionsStart, extensionsEnd) !== Tag.sequence || end !== extensionsEnd) return undefined;
  return readExtensions(der, start, end, fields) ? fields : undefined;
}

/** Extension ::= SEQUENCE { extnID, critical DEFAULT FALSE, extnValue OCTET STRING }. */
function readExtensions(der: Uint8Array, from: number, limit: number, fields: CertificateFields): boolean {
  let at = from;
  while (at < limit) {
    if (element(der, at, limit) !== Tag.sequence) return false;
    at = end;
    const extensionEnd = end;
    if (element(der, start, extensionEnd) !== Tag.oid || start === end) return false;
    const oidStart = start;
    const oidEnd = end;
    let tag = element(der, end, extensionEnd);
    if (tag < 0) return false;
    if (end !== extensionEnd) {
      // The critical flag sits between.
      tag = element(der, end, extensionEnd);
      if (tag < 0 || end !== extensionEnd) return false;
    }
    if (tag !== Tag.octetString) return false;
    const contentStart = start;
    const contentEnd = end;
    const oid = decodeOid(der, oidStart, oidEnd);
    if (oid === certificateOids.keyUsage) {
      const keyUsage = readKeyUsage(der, contentStart, contentEnd);
      if (keyUsage === undefined) return false;
      fields.keyUsage = keyUsage;
    } else if (oid === certificateOids.extendedKeyUsage) {
      const purposes = readExtendedKeyUsage(der, contentStart, contentEnd);
      if (purposes === undefined) return false;
      fields.extendedKeyUsage = purposes;
    } else if (oid === certificateOids.subjectAltName) {
      const emails = readSanEmails(der, contentStart, contentEnd);
      if (emails === undefined) return false;
      fields.sanEmails = emails;
    }
  }
  return true;
}

/** KeyUsage ::= BIT STRING (what follows it in the OCTET STRING is ignored, as by decodeKeyUsage). */
function readKeyUsage(der: Uint8Array, from: number, limit: number): string[] | undefined {
  if (element(der, from, limit) !== Tag.bitString || end === start) return undefined;
  const unused = der[start]!;
  const bitCount = (end - start - 1) * 8 - unused;
  const names: string[] = [];
  for (let bit = 0; bit < bitCount && bit < keyUsageBitNames.length; bit++) {
    if (der[start + 1 + (bit >> 3)]! & (0x80 >> (bit & 7))) names.push(keyUsageBitNames[bit]!);
  }
  return names;
}

/**
 * Calls `visit` with the tag of each element of the SEQUENCE at `from` (its value in the
 * registers); false when it is no SEQUENCE, an element is malformed, or `visit` declines one.
 */
function eachInSequence(der: Uint8Array, from: number, limit: number, visit: (tag: number) => boolean): boolean {
  if (element(der, from, limit) !== Tag.sequence) return false;
  const sequenceEnd = end;
  let at = start;
  while (at < sequenceEnd) {
    const tag = element(der, at, sequenceEnd);
    if (tag < 0) return false;
    at = end;
    if (!visit(tag)) return false;
  }
  return true;
}

/** ExtKeyUsageSyntax ::= SEQUENCE OF KeyPurposeId (OIDs), named where known. */
function readExtendedKeyUsage(der: Uint8Array, from: number, limit: number): string[] | undefined {
  const purposes: string[] = [];
  const read = eachInSequence(der, from, limit, tag => {
    if (tag !== Tag.oid || end === start) return false;
    const oid = decodeOid(der, start, end);
    purposes.push(extendedKeyUsageNames[oid] ?? oid);
    return true;
  });
  return read ? purposes : undefined;
}

/** The rfc822Name entries ([1] IMPLICIT IA5String) of a GeneralNames SEQUENCE. */
function readSanEmails(der: Uint8Array, from: number, limit: number): string[] | undefined {
  const emails: string[] = [];
  const read = eachInSequence(der, from, limit, tag => {
    if (tag === 0x81) emails.push(latin1(der, start, end));
    return true;
  });
  return read ? emails : undefined;
}

/**
 * A Name of single-attribute RDNs with printable-ASCII strings of named types, as one line, most
 * significant last ("CN=…, O=…, C=…"); emailAddress values are added to `emails` as they stand.
 */
function oneLineName(der: Uint8Array, from: number, limit: number, emails: string[] | undefined): string | undefined {
  let line = '';
  let at = from;
  while (at < limit) {
    if (element(der, at, limit) !== Tag.set) return undefined;
    at = end;
    const rdnEnd = end;
    if (element(der, start, rdnEnd) !== Tag.sequence || end !== rdnEnd) return undefined;
    const attributeEnd = end;
    if (element(der, start, attributeEnd) !== Tag.oid || start === end) return undefined;
    const oid = decodeOid(der, start, end);
    if (!plainStringTags.has(element(der, end, attributeEnd)) || end !== attributeEnd) return undefined;
    const shortName = attributeShortNames[oid];
    if (shortName === undefined) return undefined;
    const text = printableAscii(der, start, end);
    if (text === undefined) return undefined;
    const escaped = escapeValue(text);
    if (escaped === undefined) return undefined;
    if (emails && oid === certificateOids.emailAddress) emails.push(text);
    line = line === '' ? `${shortName}=${escaped}` : `${shortName}=${escaped}, ${line}`;
  }
  return line;
}
