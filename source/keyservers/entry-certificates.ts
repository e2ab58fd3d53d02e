import type {Entry} from 'ldapts';
import {describeCertificate, type FoundCertificate} from './certificate.js';
import {extractPkcs7Certificates} from './pkcs7.js';

export interface ExtractedCertificates {
  certificates: FoundCertificate[];
  /** Values that were neither an X.509 certificate nor a PKCS#7 container. */
  skippedValues: number;
}

/**
 * Every certificate on the entries: userCertificate[;binary] values are DER certificates,
 * userSMIMECertificate values PKCS#7 SignedData (some servers store a bare certificate there: accepted).
 * The same certificate twice (e.g. in both attributes) counts once.
 */
export function extractCertificates(entries: readonly Entry[], now = new Date()): ExtractedCertificates {
  const certificates: FoundCertificate[] = [];
  const seen = new Set<string>();
  let skippedValues = 0;
  for (const entry of entries) {
    // for…in and no per-value arrays: this runs for every entry of a bulk run, mostly before the code is optimized.
    for (const attribute in entry) {
      if (attribute === 'dn') continue;
      const raw = entry[attribute];
      const values = Array.isArray(raw) ? raw : [raw];
      const isPkcs7 = /^usersmimecertificate/i.test(attribute);
      for (const item of values) {
        if (!Buffer.isBuffer(item) || item.length === 0) {
          if (typeof item === 'string' && item.length > 0) skippedValues++;
          continue;
        }
        const {ders, container} = certificatesInValue(item, isPkcs7);
        if (ders.length === 0) skippedValues++;
        for (const der of ders) {
          try {
            const details = describeCertificate(der, attribute, entry.dn, now);
            // A PKCS#7 often carries the issuing chain too; CA certificates are not the person's.
            if (container && details.keyUsage.includes('keyCertSign')) continue;
            if (seen.has(details.sha256)) continue;
            seen.add(details.sha256);
            certificates.push({der, details});
          } catch {
            skippedValues++;
          }
        }
      }
    }
  }
  return {certificates, skippedValues};
}

function certificatesInValue(value: Buffer, pkcs7First: boolean): {ders: Buffer[]; container: boolean} {
  if (pkcs7First) {
    const ders = asPkcs7(value);
    if (ders.length > 0) return {ders, container: true};
  }
  const single = asCertificate(value);
  if (single.length > 0) return {ders: single, container: false};
  if (!pkcs7First) {
    const ders = asPkcs7(value);
    if (ders.length > 0) return {ders, container: true};
  }
  return {ders: [], container: false};
}

function asPkcs7(value: Buffer): Buffer[] {
  try {
    return extractPkcs7Certificates(value);
  } catch {
    return [];
  }
}

function asCertificate(value: Buffer): Buffer[] {
  // A certificate starts with SEQUENCE { SEQUENCE (tbs) …; PKCS#7 with SEQUENCE { OID ….
  return value[0] === 0x30 && value.length > 4 && (value[2] === 0x30 || value[3] === 0x30 || value[4] === 0x30 || value[5] === 0x30) ? [value] : [];
}
