import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {decodeOid, decodeTime, DerError, latin1, oidHash, utf8, type DerNode} from '../../source/keyservers/der.js';

/** The reading decodeTime replaced (two patterns): the reference its results are held to. */
function patternTime(tag: number, text: string): Date | 'error' {
  const match = tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(text) : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?Z$/.exec(text);
  if (!match) return 'error';
  let year = Number(match[1]);
  if (tag === 0x17) year += year < 50 ? 2000 : 1900;
  return new Date(Date.UTC(year, Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6] ?? 0)));
}

/** The time as the value of an element in the middle of a larger buffer, as in a certificate. */
function timeAt(tag: number, text: string): Date | 'error' {
  const bytes = Buffer.concat([Buffer.from('prefix'), Buffer.from(text, 'latin1'), Buffer.from('Z9.suffix')]);
  const node: DerNode = {tag, constructed: false, start: 4, valueStart: 6, end: 6 + text.length, next: 6 + text.length};
  try {
    return decodeTime(bytes, node);
  } catch (error) {
    expect(error).toBeInstanceOf(DerError);
    return 'error';
  }
}

describe('decodeTime', () => {
  it.each([
    [0x17, '261204204618Z', '2026-12-04T20:46:18.000Z'],
    [0x17, '2612042046Z', '2026-12-04T20:46:00.000Z'],
    [0x17, '500101000000Z', '1950-01-01T00:00:00.000Z'],
    [0x17, '491231235959Z', '2049-12-31T23:59:59.000Z'],
    [0x18, '20501231235959Z', '2050-12-31T23:59:59.000Z'],
    [0x18, '20261204204618.123Z', '2026-12-04T20:46:18.000Z'],
    [0x18, '202612042046.5Z', '2026-12-04T20:46:00.000Z'],
    [0x17, '261204204618', 'error'],
    [0x17, '26120420461Z', 'error'],
    [0x17, '261204204618+0100', 'error'],
    [0x17, '26120420461aZ', 'error'],
    [0x17, '20261204204618Z', 'error'],
    [0x18, '20261204204618.Z', 'error'],
    [0x17, '261204204618.5Z', 'error'],
    [0x18, '', 'error'],
  ])('tag %i "%s" reads as %s', (tag, text, expected) => {
    const result = timeAt(tag, text);
    expect(result === 'error' ? result : result.toISOString()).toBe(expected);
  });

  it('reads every text exactly as the pattern reading did', () => {
    const character = fc.constantFrom('0', '1', '2', '5', '9', 'Z', '.', '+', '-', 'a', ' ');
    const digit = fc.constantFrom(...'0123456789');
    const text = fc.oneof(
      fc.array(character, {maxLength: 22}).map(parts => parts.join('')),
      // Mostly well formed: 10 to 16 digits, an optional fraction, an optional Z.
      fc.tuple(fc.array(digit, {minLength: 10, maxLength: 16}), fc.option(fc.array(digit, {maxLength: 3})), fc.boolean()).map(([digits, fraction, zulu]) => `${digits.join('')}${fraction === null ? '' : `.${fraction.join('')}`}${zulu ? 'Z' : ''}`),
    );
    fc.assert(
      fc.property(fc.constantFrom(0x17, 0x18), text, (tag, value) => {
        const expected = patternTime(tag, value);
        const result = timeAt(tag, value);
        expect(result === 'error' ? result : result.getTime()).toStrictEqual(expected === 'error' ? expected : expected.getTime());
      }),
      {numRuns: 20_000},
    );
  });
});

describe('decodeOid', () => {
  it('decodes OIDs whose bytes share a cache hash, each as itself, again and again', () => {
    const first = Uint8Array.of(0x55, 0x40);
    const second = Uint8Array.of(0x56, 0x21);
    expect(oidHash(first)).toBe(oidHash(second));
    for (let round = 0; round < 3; round++) {
      expect(decodeOid(first)).toBe('2.5.64');
      expect(decodeOid(second)).toBe('2.6.33');
    }
  });

  it('reads an OID from the middle of a buffer as from its own bytes, and tells it from its neighbours', () => {
    // 2.5.4.3, then 2.5.64 and 2.6.33 (same cache hash), then 2.5.4.3 again with other bytes around it.
    const buffer = Uint8Array.of(0xff, 0x55, 0x04, 0x03, 0x55, 0x40, 0x56, 0x21, 0x06, 0x55, 0x04, 0x03, 0x00);
    expect([decodeOid(buffer, 1, 4), decodeOid(buffer, 4, 6), decodeOid(buffer, 6, 8), decodeOid(buffer, 9, 12), decodeOid(buffer, 1, 3)]).toEqual(['2.5.4.3', '2.5.64', '2.6.33', '2.5.4.3', '2.5.4']);
    expect(() => decodeOid(buffer, 5, 5)).toThrow(DerError);
  });

  it.each([
    [[0x55, 0x04, 0x03], '2.5.4.3'],
    [[0x55, 0x1d, 0x0f], '2.5.29.15'],
    [[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01], '1.2.840.10045.2.1'],
    [[0x88, 0x37, 0x01], '2.999.1'],
  ])('%j is %s', (bytes, oid) => {
    expect(decodeOid(Uint8Array.from(bytes))).toBe(oid);
    expect(decodeOid(Uint8Array.from(bytes))).toBe(oid);
  });
});

describe('text of DER values', () => {
  it('reads a view in the middle of a buffer, not the whole buffer', () => {
    const whole = Buffer.from('xxCN=Zoë Ärzteyy', 'utf8');
    const view = new Uint8Array(whole.buffer, whole.byteOffset + 2, whole.length - 4);
    expect(utf8(view)).toBe('CN=Zoë Ärzte');
    expect(latin1(new Uint8Array(whole.buffer, whole.byteOffset + 2, 4))).toBe('CN=Z');
  });
});
