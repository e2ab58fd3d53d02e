import fc from 'fast-check';
import {FilterParser, SearchRequest} from 'ldapts';
import {describe, expect, it} from 'vitest';
import {expandFilter} from '../../source/keyservers/filter.js';
import {entryObject, parseEqualityFilter, readSearchResponse, searchResultDone, searchResultEntry, SearchRequestEncoder} from '../../source/keyservers/ldap-wire.js';

const attributes = ['userCertificate;binary', 'userSMIMECertificate'];
const theirs = (messageId: number, baseDn: string, filter: string) =>
  new SearchRequest({messageId, baseDN: baseDn, scope: 'sub', filter: FilterParser.parseString(filter), attributes, sizeLimit: 100}).write();

function tlv(tag: number, value: Buffer): Buffer {
  const length = value.length < 0x80 ? [value.length] : value.length < 0x100 ? [0x81, value.length] : [0x82, value.length >> 8, value.length & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), value]);
}

describe('the search request on the wire', () => {
  it('is byte for byte what ldapts sends, for any address and message id', () => {
    const encoder = new SearchRequestEncoder('dc=test,dc=example', attributes, 100, 10);
    fc.assert(
      fc.property(fc.integer({min: 1, max: 2 ** 31 - 2}), fc.string({minLength: 1, maxLength: 300, unit: 'grapheme'}), (messageId, address) => {
        const filter = expandFilter('(mail=%e)', address);
        const assertion = parseEqualityFilter(filter)!;
        expect(assertion.value.toString('utf8')).toBe(address);
        expect(encoder.encode(messageId, assertion).equals(theirs(messageId, 'dc=test,dc=example', filter))).toBe(true);
      }),
    );
  });

  it('writes a batch as one OR of equality assertions, byte for byte what ldapts sends for (|(mail=a)(mail=b)…)', () => {
    const encoder = new SearchRequestEncoder('dc=test,dc=example', attributes, 100, 10);
    fc.assert(
      fc.property(fc.integer({min: 1, max: 2 ** 31 - 2}), fc.array(fc.string({minLength: 1, maxLength: 60, unit: 'grapheme'}), {minLength: 2, maxLength: 16}), (messageId, addresses) => {
        const filter = `(|${addresses.map(address => expandFilter('(mail=%e)', address)).join('')})`;
        const assertions = addresses.map(address => parseEqualityFilter(expandFilter('(mail=%e)', address))!);
        expect(encoder.encode(messageId, assertions).equals(theirs(messageId, 'dc=test,dc=example', filter))).toBe(true);
      }),
    );
    // A batch of one is the plain equality search.
    const one = parseEqualityFilter('(mail=a@b.example)')!;
    expect(encoder.encode(5, [one]).equals(encoder.encode(5, one))).toBe(true);
    expect(() => encoder.encode(5, [])).toThrow(RangeError);
  });

  it('takes only one equality assertion; everything else stays with ldapts', () => {
    expect(parseEqualityFilter('(mail=a\\2a@b.example)')).toEqual({attribute: 'mail', value: Buffer.from('a*@b.example')});
    for (const filter of ['(mail=*)', '(mail=a*)', '(|(mail=a@b.c)(uid=a))', '(mail>=a)', '(mail~=a)', 'mail=a', '(mail=a\\2)']) expect(parseEqualityFilter(filter)).toBeUndefined();
  });
});

describe('search answers read from the wire', () => {
  const certificate = Buffer.from([0x30, 0x03, 0x02, 0x01, 0x05]);
  const entry = (messageId: number) =>
    tlv(
      0x30,
      Buffer.concat([
        tlv(0x02, Buffer.from([messageId])),
        tlv(
          searchResultEntry,
          Buffer.concat([
            tlv(0x04, Buffer.from('uid=a,dc=test')),
            tlv(
              0x30,
              Buffer.concat([
                tlv(0x30, Buffer.concat([tlv(0x04, Buffer.from('userCertificate;binary')), tlv(0x31, Buffer.concat([tlv(0x04, certificate), tlv(0x04, certificate)]))])),
                tlv(0x30, Buffer.concat([tlv(0x04, Buffer.from('cn')), tlv(0x31, tlv(0x04, Buffer.from('Jörg')))])),
                tlv(0x30, Buffer.concat([tlv(0x04, Buffer.from('description')), tlv(0x31, tlv(0x04, Buffer.from([0xff, 0xfe])))])),
              ]),
            ),
          ]),
        ),
      ]),
    );

  it('gives the entry as ldapts would: binary values as Buffers, text as strings, missing requested attributes as []', () => {
    const response = readSearchResponse(entry(7));
    expect(response.operation).toBe(searchResultEntry);
    if (response.operation !== searchResultEntry) return;
    expect(response.messageId).toBe(7);
    const object = entryObject(response.dn, response.attributes, [...attributes, 'cn'], new Set(attributes));
    expect(object).toEqual({dn: 'uid=a,dc=test', 'userCertificate;binary': [certificate, certificate], cn: 'Jörg', description: Buffer.from([0xff, 0xfe]), userSMIMECertificate: []});
  });

  it('gives a text value exactly as a fatal UTF-8 TextDecoder does (byte-order mark dropped), or its bytes', () => {
    const decoder = new TextDecoder('utf-8', {fatal: true});
    const expected = (bytes: Buffer): string | Buffer => {
      try {
        return decoder.decode(bytes);
      } catch {
        return bytes;
      }
    };
    const shown = (bytes: Buffer) => entryObject('uid=a', [{type: 'description', values: [bytes]}], [], new Set()).description;
    const table = ['', 'plain', 'Jörg Ärzte 😀', '\uFEFFwith a mark', '\uFEFF', '\uFEFF\uFEFFtwo marks'].map(text => Buffer.from(text, 'utf8'));
    table.push(Buffer.from([0xef, 0xbb]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xf4, 0x90, 0x80, 0x80]), Buffer.from([0x61, 0xff]));
    for (const bytes of table) expect(shown(bytes)).toEqual(expected(bytes));
    const byte = fc.oneof(fc.integer({min: 0, max: 255}), fc.constantFrom(0xef, 0xbb, 0xbf, 0xc3, 0xa4, 0xed, 0xa0, 0xf0, 0x9f, 0x98, 0x80));
    fc.assert(
      fc.property(fc.array(byte, {maxLength: 12}), bytes => {
        expect(shown(Buffer.from(bytes))).toEqual(expected(Buffer.from(bytes)));
      }),
      {numRuns: 20_000},
    );
  });

  it('reads the result code and the server text of the end of a search', () => {
    const done = tlv(0x30, Buffer.concat([tlv(0x02, Buffer.from([0x00, 0x80])), tlv(searchResultDone, Buffer.concat([tlv(0x0a, Buffer.from([4])), tlv(0x04, Buffer.alloc(0)), tlv(0x04, Buffer.from('size limit'))]))]));
    expect(readSearchResponse(done)).toEqual({operation: searchResultDone, messageId: 128, status: 4, errorMessage: 'size limit'});
  });

  it('refuses what is not a well-formed answer, never reading past the message', () => {
    const whole = entry(3);
    for (let cut = 1; cut < whole.length; cut++) {
      const truncated = Buffer.concat([whole.subarray(0, 2), whole.subarray(2, cut)]);
      truncated[1] = truncated.length - 2;
      expect(() => readSearchResponse(truncated)).toThrow();
    }
    expect(() => readSearchResponse(Buffer.from([0x30, 0x80, 0x02, 0x01, 0x01]))).toThrow(/length/);
  });
});
