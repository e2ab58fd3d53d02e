import {describe, expect, it} from 'vitest';
import {redactFileBytes, redactionMarker, redactionRuleFor} from '../../source/bundle/redaction.js';
import {decodeText, encodingsOf} from '../../source/system/text-codec.js';
import {corpus, corpusEncodings, corpusFile, corpusFiles, leakedSecret, onlyMarkersChanged} from './secret-corpus.js';

describe('hostile corpus: redaction by understanding the format', () => {
  for (const file of corpusFiles) {
    for (const encoding of corpusEncodings) {
      it(`${file} (${encoding}): no planted secret survives, in any encoding; every other byte stays`, () => {
        const original = corpusFile(file, encoding);
        const result = redactFileBytes(original, redactionRuleFor(file), file);
        expect(leakedSecret(result.bytes), `leaked from ${file} (${encoding})`).toBeUndefined();
        const before = decodeText(original);
        const after = decodeText(result.bytes);
        expect(after.encoding).toBe(before.encoding);
        expect(after.bom).toEqual(before.bom);
        expect(onlyMarkersChanged(before.text, after.text)).toBe(true);
        for (const kept of corpus.kept) {
          if (!before.text.includes(kept)) continue;
          expect(encodingsOf(kept).some(form => result.bytes.includes(form)), `${kept} kept`).toBe(true);
        }
      });
    }
  }

  it('writes replacements in the file\'s own escaping and finds the decoded values', () => {
    const result = redactFileBytes(corpusFile('Gateway Role.config', 'utf8'), 'xml', 'Gateway Role.config');
    const text = result.bytes.toString('utf8');
    expect(text).toContain(`User ID=nsp;Password=${redactionMarker};Encrypt=True`);
    expect(text).toContain(`password = ${redactionMarker} ; Trusted_Connection=False`);
    expect(text).toContain(`Pwd=${redactionMarker};Database=Archive`);
    expect(text).toContain(`<Password><![CDATA[${redactionMarker}]]></Password>`);
    expect(text).toContain(`<!-- Password=${redactionMarker} -->`);
    expect(text).toContain('<certificate thumbprint="0123456789ABCDEF" storeName="My" />');
    const found = result.found.map(secret => secret.value);
    for (const value of ['Quo;ted-779', 'DQ;uo=780', 'Amp&Lt<781', "It's-782;x", 'Cdata<Secret>785', 'Element&Pw-786']) expect(found).toContain(value);
    expect(result.found.every(secret => !secret.origin.includes(secret.value))).toBe(true);
  });

  it('keeps a windows-1252 file\'s non-ASCII bytes (no latin1 / U+FFFD mangling)', () => {
    const original = corpusFile('Gateway Role.config', 'windows-1252');
    const result = redactFileBytes(original, 'xml', 'x');
    expect(result.bytes.includes(Buffer.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72]))).toBe(true); // "Müller"
    expect(result.bytes.includes(Buffer.from([0xef, 0xbf, 0xbd]))).toBe(false);
  });
});
