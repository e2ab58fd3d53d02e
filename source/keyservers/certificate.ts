import {hash, X509Certificate} from 'node:crypto';
import {readCertificateNames, type CertificateNames} from './certificate-names.js';
import {readOrdinaryCertificate, type CertificateFields} from './ordinary-certificate.js';
import {readTbsFields} from './tbs-certificate.js';
import {readCertificateExtensions} from './x509-extensions.js';

/** One certificate as the admin and the --json output see it. */
export interface CertificateDetails {
  subject: string;
  issuer: string;
  /** Hex, upper case, as Node prints it. */
  serial: string;
  notBefore: string;
  notAfter: string;
  expired: boolean;
  notYetValid: boolean;
  /** Whole days until notAfter (negative once expired). */
  daysLeft: number;
  /** SAN rfc822Names first, then subject emailAddress values, without duplicates. */
  emails: string[];
  /** Key-usage bit names; empty when the extension is absent (keyUsagePresent tells which). */
  keyUsage: string[];
  keyUsagePresent: boolean;
  extendedKeyUsage: string[];
  /** Usable for S/MIME encryption / signing right now: key usage and EKU allow it and it is within its validity. */
  canEncrypt: boolean;
  canSign: boolean;
  /** SHA-256 of the DER, hex, lower case, no colons. */
  sha256: string;
  /** The LDAP attribute it came from. */
  source: string;
  /** The DN of the entry it came from. */
  entryDn: string;
}

/** A certificate with its DER, for export; `details` is what is shown and printed. */
export interface FoundCertificate {
  der: Buffer;
  details: CertificateDetails;
}

const dayMs = 86_400_000;

/** Reads a DER certificate; throws when it is not one. */
export function describeCertificate(der: Buffer, source: string, entryDn: string, now = new Date()): CertificateDetails {
  const extensions = readCertificateFields(der);
  const expired = now.getTime() > extensions.notAfter.getTime();
  const notYetValid = now.getTime() < extensions.notBefore.getTime();
  const keyUsage = extensions.keyUsage ?? [];
  const eku = extensions.extendedKeyUsage ?? [];
  // RFC 5280: no key-usage extension means no restriction; an EKU extension must allow e-mail protection.
  const ekuAllowsMail = extensions.extendedKeyUsage === undefined || eku.includes('emailProtection') || eku.includes('anyExtendedKeyUsage');
  const usageAllows = (first: string, second: string) => extensions.keyUsage === undefined || keyUsage.includes(first) || keyUsage.includes(second);
  const valid = !expired && !notYetValid;
  const emails: string[] = [];
  for (const email of extensions.sanEmails) if (!emails.includes(email)) emails.push(email);
  for (const email of extensions.subjectEmails) if (!emails.includes(email)) emails.push(email);
  return {
    subject: extensions.subject,
    issuer: extensions.issuer,
    serial: extensions.serial,
    notBefore: extensions.notBefore.toISOString(),
    notAfter: extensions.notAfter.toISOString(),
    expired,
    notYetValid,
    daysLeft: Math.floor((extensions.notAfter.getTime() - now.getTime()) / dayMs),
    emails,
    keyUsage,
    keyUsagePresent: extensions.keyUsage !== undefined,
    extendedKeyUsage: eku,
    canEncrypt: valid && ekuAllowsMail && usageAllows('keyEncipherment', 'keyAgreement'),
    canSign: valid && ekuAllowsMail && usageAllows('digitalSignature', 'nonRepudiation'),
    sha256: hash('sha256', der, 'hex'),
    source,
    entryDn,
  };
}

/** The fields in one pass where the certificate is ordinary, else by the general readers; throws when it is no certificate. */
export function readCertificateFields(der: Buffer): CertificateFields {
  return readOrdinaryCertificate(der) ?? readAnyCertificate(der);
}

/** The general readers: any DER certificate, errors included. */
export function readAnyCertificate(der: Buffer): CertificateFields {
  const tbs = readTbsFields(der);
  const extensions = readCertificateExtensions(der, tbs);
  // Node parses the whole certificate (public key included, slow with OpenSSL 3): only when our reading declines.
  const names = readCertificateNames(der, tbs) ?? nodeNames(der);
  return {...extensions, subject: oneLineName(names.subject), issuer: oneLineName(names.issuer), serial: names.serial};
}

function nodeNames(der: Buffer): CertificateNames {
  const certificate = new X509Certificate(der);
  return {subject: certificate.subject, issuer: certificate.issuer, serial: certificate.serialNumber.toUpperCase()};
}

/** Node prints names one attribute per line, most significant first; one line reads better. */
function oneLineName(name: string): string {
  // Walked from the end: no arrays for a name read per certificate.
  let result = '';
  let end = name.length;
  while (end > 0) {
    const start = name.lastIndexOf('\n', end - 1) + 1;
    if (start < end) result += (result === '' ? '' : ', ') + name.slice(start, end);
    end = start - 1;
  }
  return result;
}

/** "expired 3 days ago", "not yet valid", "expires in 120 days". */
export function validityText(details: CertificateDetails): string {
  if (details.notYetValid) return `not yet valid (from ${details.notBefore.slice(0, 10)})`;
  if (details.expired) return `expired ${Math.max(1, -details.daysLeft)} day${-details.daysLeft === 1 ? '' : 's'} ago`;
  if (details.daysLeft === 0) return 'expires today';
  return `expires in ${details.daysLeft} day${details.daysLeft === 1 ? '' : 's'}`;
}

export function toPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}
