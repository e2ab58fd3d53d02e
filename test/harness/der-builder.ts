// DER built by hand for certificate-reading tests: names, serials and shapes openssl will not make.
import {generateKeyPairSync} from 'node:crypto';

export function tlv(tag: number, content: Buffer): Buffer {
  const length = content.length;
  const header = length < 0x80 ? Buffer.from([tag, length]) : length < 0x100 ? Buffer.from([tag, 0x81, length]) : Buffer.from([tag, 0x82, length >> 8, length & 0xff]);
  return Buffer.concat([header, content]);
}
export const sequence = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
export function oid(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const bytes = [first! * 40 + second!];
  for (const part of rest) {
    const chunk = [part & 0x7f];
    for (let value = part >> 7; value > 0; value >>= 7) chunk.unshift((value & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** [type OID, string tag, value bytes] per attribute; an inner array is one multi-valued RDN. */
export type Attribute = [string, number, string | Buffer];
export function name(rdns: (Attribute | Attribute[])[]): Buffer {
  return sequence(
    ...rdns.map(rdn => {
      const attributes = (Array.isArray(rdn[0]) ? rdn : [rdn]) as Attribute[];
      return tlv(0x31, Buffer.concat(attributes.map(([type, tag, text]) => sequence(oid(type), tlv(tag, Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'))))));
    }),
  );
}

const spki = generateKeyPairSync('ec', {namedCurve: 'prime256v1'}).publicKey.export({type: 'spki', format: 'der'});
export const utf8 = 0x0c;
export const printable = 0x13;
export const ia5 = 0x16;
export const bmp = 0x1e;
export const cn = (text: string, tag = utf8): Attribute => ['2.5.4.3', tag, text];

export interface CertificateShape {
  /** Both times, each a whole element (UTCTime 0x17 or GeneralizedTime 0x18). Default: UTCTime 2026 to 2028. */
  validity?: [Buffer, Buffer];
  /** Without the [0] version field (a v1 certificate). */
  noVersion?: boolean;
  /** The content of the [3] extensions block; none when omitted. */
  extensions?: Buffer;
}

/** A certificate with a dummy signature (Node does not check it when parsing). */
export function certificate(subject: Buffer, issuer: Buffer, serial: Buffer, shape: CertificateShape = {}): Buffer {
  const algorithm = sequence(oid('1.2.840.10045.4.3.2'));
  const validity = sequence(...(shape.validity ?? [tlv(0x17, Buffer.from('260101000000Z')), tlv(0x17, Buffer.from('280101000000Z'))]));
  const version = shape.noVersion ? [] : [tlv(0xa0, tlv(0x02, Buffer.from([2])))];
  const extensions = shape.extensions ? [tlv(0xa3, shape.extensions)] : [];
  const tbs = sequence(...version, tlv(0x02, serial), algorithm, issuer, validity, subject, spki, ...extensions);
  return sequence(tbs, algorithm, tlv(0x03, Buffer.from([0, 0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01])));
}
