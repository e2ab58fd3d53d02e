/** The encodings config files come in on Windows: UTF-8 (with or without BOM) and UTF-16 LE (with BOM). */
export type TextEncodingName = 'utf8' | 'utf8-bom' | 'utf16le';

export function detectEncoding(bytes: Buffer): TextEncodingName {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf16le';
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf8-bom';
  // UTF-16 LE without BOM: ASCII text has a zero in every odd byte.
  const sample = bytes.subarray(0, 4096);
  if (sample.length >= 4) {
    let oddZeros = 0;
    let evenZeros = 0;
    for (let index = 0; index + 1 < sample.length; index += 2) {
      if (sample[index] === 0) evenZeros++;
      if (sample[index + 1] === 0) oddZeros++;
    }
    const pairs = Math.floor(sample.length / 2);
    if (oddZeros > pairs * 0.6 && evenZeros < pairs * 0.1) return 'utf16le';
  }
  return 'utf8';
}

export function decodeText(bytes: Buffer): {text: string; encoding: TextEncodingName} {
  const encoding = detectEncoding(bytes);
  if (encoding === 'utf16le') {
    const start = bytes[0] === 0xff && bytes[1] === 0xfe ? 2 : 0;
    return {text: bytes.subarray(start).toString('utf16le'), encoding};
  }
  return {text: bytes.subarray(encoding === 'utf8-bom' ? 3 : 0).toString('utf8'), encoding};
}

/** Re-encodes in the file's own encoding (and BOM), so the redacted copy opens like the original. */
export function encodeText(text: string, encoding: TextEncodingName, hadBom: boolean): Buffer {
  if (encoding === 'utf16le') return Buffer.concat([hadBom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(text, 'utf16le')]);
  if (encoding === 'utf8-bom') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
  return Buffer.from(text, 'utf8');
}

export function hasUtf16Bom(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe;
}

const textExtensions = new Set(['.txt', '.log', '.json', '.xml', '.config', '.conf', '.csv', '.ini', '.htm', '.html', '.md', '.eml', '.ps1', '.yaml', '.yml', '.tsv']);

/** Text is redacted and leak-checked; binary files (screenshots, .evtx, ZIPs) are only leak-checked. */
export function looksLikeText(fileName: string, head: Buffer): boolean {
  const dot = fileName.lastIndexOf('.');
  if (dot >= 0 && textExtensions.has(fileName.slice(dot).toLowerCase())) return true;
  if (hasUtf16Bom(head) || detectEncoding(head) === 'utf16le') return true;
  return !head.subarray(0, 8192).includes(0);
}
