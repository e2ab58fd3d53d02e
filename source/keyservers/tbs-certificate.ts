import {children, readNode, Tag, type DerNode} from './der.js';

/**
 * The fields of Certificate → TBSCertificate, read once per certificate and shared by the name and
 * extension readers. `base` is 1 when an explicit version ([0]) shifts the fixed fields by one.
 */
export interface TbsFields {
  fields: DerNode[];
  base: number;
}

/** Undefined when the DER is not a certificate's outer SEQUENCE { SEQUENCE … }. */
export function readTbsFields(der: Uint8Array): TbsFields | undefined {
  const certificate = readNode(der, 0);
  const [tbs] = children(der, certificate);
  if (!tbs || tbs.tag !== Tag.sequence) return undefined;
  const fields = children(der, tbs);
  return {fields, base: fields[0]?.tag === 0xa0 ? 1 : 0};
}
