import {children, decodeOid, DerError, readNode, Tag, value} from './der.js';

const signedDataOid = '1.2.840.113549.1.7.2';

/**
 * userSMIMECertificate holds a PKCS#7 / CMS SignedData whose `certificates` field carries the
 * certificates: ContentInfo { contentType, [0] EXPLICIT SignedData { version, digestAlgorithms,
 * encapContentInfo, [0] IMPLICIT certificates, … } }. Returns each certificate's DER.
 */
export function extractPkcs7Certificates(der: Uint8Array): Buffer[] {
  const contentInfo = readNode(der, 0);
  if (contentInfo.tag !== Tag.sequence) throw new DerError('PKCS#7 data is not a SEQUENCE');
  const [contentType, explicitContent] = children(der, contentInfo);
  if (!contentType || contentType.tag !== Tag.oid) throw new DerError('PKCS#7 ContentInfo has no content type');
  const oid = decodeOid(value(der, contentType));
  if (oid !== signedDataOid) throw new DerError(`PKCS#7 content type ${oid} is not SignedData`);
  if (!explicitContent || explicitContent.tag !== 0xa0) throw new DerError('PKCS#7 SignedData is missing');
  const [signedData] = children(der, explicitContent);
  if (!signedData || signedData.tag !== Tag.sequence) throw new DerError('PKCS#7 SignedData is not a SEQUENCE');
  const certificateSet = children(der, signedData).find(node => node.tag === 0xa0);
  if (!certificateSet) return [];
  return children(der, certificateSet)
    .filter(node => node.tag === Tag.sequence)
    .map(node => Buffer.from(der.subarray(node.start, node.next)));
}
