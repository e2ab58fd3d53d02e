import {children, decodeOid, decodeTime, DerError, latin1, readNode, Tag, utf8, value, type DerNode} from './der.js';
import {readTbsFields, type TbsFields} from './tbs-certificate.js';

/** What the certificate's DER says, read ourselves (Node 20 does not expose these). */
export interface CertificateExtensions {
  notBefore: Date;
  notAfter: Date;
  /** Named key-usage bits; undefined when the certificate has no key-usage extension. */
  keyUsage?: string[];
  /** Named EKU purposes (unknown ones as their OID); undefined when absent. */
  extendedKeyUsage?: string[];
  /** rfc822Name entries of the subject alternative name. */
  sanEmails: string[];
  /** emailAddress attributes (1.2.840.113549.1.9.1) of the subject. */
  subjectEmails: string[];
}

/** RFC 5280 4.2.1.3, bit 0 first. */
export const keyUsageBitNames = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'] as const;

export const extendedKeyUsageNames: Record<string, string> = {
  '2.5.29.37.0': 'anyExtendedKeyUsage',
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '1.3.6.1.4.1.311.10.3.4': 'encryptingFileSystem',
  '1.3.6.1.4.1.311.10.3.12': 'documentSigning',
  '1.3.6.1.4.1.311.20.2.2': 'smartcardLogon',
};

export const certificateOids = {
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  extendedKeyUsage: '2.5.29.37',
  emailAddress: '1.2.840.113549.1.9.1',
};

/** Decodes a KeyUsage BIT STRING (the extension's OCTET STRING content) into bit names. */
export function decodeKeyUsage(extensionValue: Uint8Array): string[] {
  const bitString = readNode(extensionValue, 0);
  if (bitString.tag !== Tag.bitString) throw new DerError('key usage is not a BIT STRING');
  const bytes = value(extensionValue, bitString);
  if (bytes.length === 0) throw new DerError('empty key-usage BIT STRING');
  const unused = bytes[0]!;
  const bitCount = (bytes.length - 1) * 8 - unused;
  const names: string[] = [];
  for (let bit = 0; bit < bitCount && bit < keyUsageBitNames.length; bit++) {
    const byte = bytes[1 + Math.floor(bit / 8)]!;
    if (byte & (0x80 >> bit % 8)) names.push(keyUsageBitNames[bit]!);
  }
  return names;
}

export function decodeExtendedKeyUsage(extensionValue: Uint8Array): string[] {
  const sequence = readNode(extensionValue, 0);
  if (sequence.tag !== Tag.sequence) throw new DerError('extended key usage is not a SEQUENCE');
  return children(extensionValue, sequence).map(node => {
    const oid = decodeOid(value(extensionValue, node));
    return extendedKeyUsageNames[oid] ?? oid;
  });
}

function decodeSanEmails(extensionValue: Uint8Array): string[] {
  const names = readNode(extensionValue, 0);
  // GeneralName rfc822Name is [1] IMPLICIT IA5String: context tag 0x81.
  return children(extensionValue, names)
    .filter(node => node.tag === 0x81)
    .map(node => latin1(value(extensionValue, node)));
}

function decodeSubjectEmails(der: Uint8Array, name: DerNode): string[] {
  const emails: string[] = [];
  for (const rdn of children(der, name)) {
    for (const attribute of children(der, rdn)) {
      const [type, attributeValue] = children(der, attribute);
      if (type && attributeValue && decodeOid(value(der, type)) === certificateOids.emailAddress) emails.push(utf8(value(der, attributeValue)));
    }
  }
  return emails;
}

/** Walks Certificate → TBSCertificate → validity, subject, [3] extensions. */
export function readCertificateExtensions(der: Uint8Array, tbs: TbsFields | undefined = readTbsFields(der)): CertificateExtensions {
  if (!tbs) throw new DerError('not an X.509 certificate');
  const {fields, base} = tbs;
  const validity = fields[base + 3];
  const subject = fields[base + 4];
  if (!validity || !subject) throw new DerError('certificate is missing validity or subject');
  const [notBeforeNode, notAfterNode] = children(der, validity);
  if (!notBeforeNode || !notAfterNode) throw new DerError('certificate validity is incomplete');
  const result: CertificateExtensions = {
    notBefore: decodeTime(der, notBeforeNode),
    notAfter: decodeTime(der, notAfterNode),
    sanEmails: [],
    subjectEmails: decodeSubjectEmails(der, subject),
  };
  const extensionsWrapper = fields.find(node => node.tag === 0xa3);
  if (!extensionsWrapper) return result;
  const [extensions] = children(der, extensionsWrapper);
  if (!extensions) return result;
  for (const extension of children(der, extensions)) {
    const parts = children(der, extension);
    const oid = decodeOid(value(der, parts[0]!));
    const octets = parts.at(-1)!;
    if (octets.tag !== Tag.octetString) throw new DerError(`extension ${oid} has no OCTET STRING value`);
    const content = value(der, octets);
    if (oid === certificateOids.keyUsage) result.keyUsage = decodeKeyUsage(content);
    else if (oid === certificateOids.extendedKeyUsage) result.extendedKeyUsage = decodeExtendedKeyUsage(content);
    else if (oid === certificateOids.subjectAltName) result.sanEmails = decodeSanEmails(content);
  }
  return result;
}
