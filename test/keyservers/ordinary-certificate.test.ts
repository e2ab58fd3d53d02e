// The one-pass reader must say exactly what the general readers say whenever it answers: on real
// openssl certificates, on hand-made shapes, and on thousands of damaged copies of both.
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import fc from 'fast-check';
import {beforeAll, describe, expect, it} from 'vitest';
import {readAnyCertificate} from '../../source/keyservers/certificate.js';
import {readOrdinaryCertificate} from '../../source/keyservers/ordinary-certificate.js';
import {certificate, cn, ia5, name, oid, printable, sequence, tlv} from '../harness/der-builder.js';
import {TestCa} from '../harness/test-certificates.js';

const issuer = name([['2.5.4.6', printable, 'DE'], cn('Example Issuing CA')]);
const serial = Buffer.from([0x03, 0xe8]);

// [what, certificate, what the one-pass reader does: answers, declines (the general readers answer), or declines one they reject]
let cases: [string, Buffer, 'answers' | 'declines' | 'rejects'][];

beforeAll(() => {
  const ca = TestCa.create(mkdtempSync(join(tmpdir(), 'nsp-ordinary-')));
  cases = [
    ['S/MIME, EC, SAN + subject e-mail, key usage, EKU', ca.smime('full', {commonName: 'Alice Example', sanEmails: ['alice@example.com', 'a.example@example.com'], subjectEmail: 'alice@example.com', keyUsage: 'critical,digitalSignature,keyAgreement', extendedKeyUsage: 'emailProtection,clientAuth'}).der, 'answers'],
    ['S/MIME, RSA, no key usage, no EKU', ca.smime('bare', {commonName: 'Bob', sanEmails: ['bob@example.com'], keyType: 'rsa'}).der, 'answers'],
    ['expired', ca.smime('old', {commonName: 'Old', sanEmails: ['old@example.com'], days: -1}).der, 'answers'],
    ['the CA itself', ca.ca.der, 'answers'],
    ['a TLS server certificate', ca.server('server', ['DNS:localhost', 'IP:127.0.0.1']).der, 'answers'],
    ['v1: no version field; GeneralizedTime; a subject that needs escaping, with an e-mail', certificate(name([cn('Mueller, Joerg+1 <Team>'), ['1.2.840.113549.1.9.1', ia5, 'joerg@example.com']]), issuer, serial, {noVersion: true, validity: [generalized('20260101000000Z'), generalized('20500101000000.5Z')]}), 'answers'],
    ['a time the general reader rejects', certificate(name([cn('Alice')]), issuer, serial, {validity: [generalized('20260101000000Z'), generalized('2050010100Z')]}), 'rejects'],
    ['a multi-valued RDN (left to the general readers and Node)', certificate(name([[cn('Alice'), ['2.5.4.5', printable, '42']]]), issuer, serial), 'declines'],
    ['a subject with a leading space (Node writes it)', certificate(name([cn(' Alice')]), issuer, serial), 'declines'],
    ['a negative serial (Node writes it)', certificate(name([cn('Alice')]), issuer, Buffer.from([0xff, 0x01])), 'declines'],
    ['a signature algorithm tagged [3] (the general reader takes it for the extensions)', withAlgorithmTag(0xa3), 'rejects'],
    ['a signature algorithm tagged [1]', withAlgorithmTag(0xa1), 'declines'],
    ['an empty subject', certificate(sequence(), issuer, serial), 'answers'],
    ['an extension block that is not a SEQUENCE', withExtensions(tlv(0x31, sequence(oid('2.5.29.15'), tlv(0x04, tlv(0x03, Buffer.from([0x07, 0x80])))))), 'declines'],
    ['extensions: key usage with a critical flag, an unknown one', withExtensions(sequence(sequence(oid('2.5.29.15'), tlv(0x01, Buffer.from([0xff])), tlv(0x04, tlv(0x03, Buffer.from([0x07, 0x80])))), sequence(oid('1.3.6.1.4.1.99999.1'), tlv(0x04, Buffer.from([0x05, 0x00]))))), 'answers'],
  ];
});

/** The hand-made certificate with the signature algorithm's SEQUENCE tag (after the serial 03E8) replaced. */
function withAlgorithmTag(tag: number): Buffer {
  const der = Buffer.from(certificate(name([cn('Alice')]), issuer, serial, {extensions: sequence()}));
  der[der.indexOf(Buffer.from([0x02, 0x02, 0x03, 0xe8])) + 4] = tag;
  return der;
}
const withExtensions = (block: Buffer) => certificate(name([cn('Alice')]), issuer, serial, {extensions: block});
const generalized = (text: string) => tlv(0x18, Buffer.from(text));

/** What the general readers give, or the error's class and message. */
function general(der: Buffer): unknown {
  try {
    return readAnyCertificate(der);
  } catch (error) {
    return {error: `${(error as Error).name}: ${(error as Error).message}`};
  }
}

describe('the one-pass certificate reader', () => {
  it('answers for the ordinary certificates, exactly as the general readers, and declines the rest', () => {
    for (const [what, der, expected] of cases) {
      const quick = readOrdinaryCertificate(der);
      const answer = general(der);
      const rejected = typeof answer === 'object' && answer !== null && 'error' in answer;
      expect(quick ? 'answers' : rejected ? 'rejects' : 'declines', what).toBe(expected);
      if (quick) expect(quick, what).toEqual(answer);
    }
  });

  it('on damaged copies, answers only what the general readers answer', () => {
    const mutation = fc.oneof(
      {arbitrary: fc.record({kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({min: 0, max: 255})}), weight: 8},
      {arbitrary: fc.record({kind: fc.constant('cut' as const), at: fc.nat()}), weight: 1},
      {arbitrary: fc.record({kind: fc.constant('insert' as const), at: fc.nat(), byte: fc.integer({min: 0, max: 255})}), weight: 1},
      {arbitrary: fc.record({kind: fc.constant('remove' as const), at: fc.nat()}), weight: 1},
    );
    let answered = 0;
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, {minLength: 1, maxLength: 2}), (pick, mutations) => {
        let der = cases[pick % cases.length]![1];
        for (const change of mutations) {
          const at = change.at % der.length;
          if (change.kind === 'set') der = Buffer.concat([der.subarray(0, at), Buffer.from([change.byte]), der.subarray(at + 1)]);
          else if (change.kind === 'cut') der = der.subarray(0, at);
          else if (change.kind === 'insert') der = Buffer.concat([der.subarray(0, at), Buffer.from([change.byte]), der.subarray(at)]);
          else der = Buffer.concat([der.subarray(0, at), der.subarray(at + 1)]);
          if (der.length === 0) return;
        }
        const quick = readOrdinaryCertificate(der);
        if (quick === undefined) return;
        answered++;
        expect(quick).toEqual(general(der));
      }),
      {numRuns: 20_000},
    );
    // Most single-byte damage (in a key, a signature, a name's letters) leaves a readable certificate.
    expect(answered).toBeGreaterThan(2_000);
  });
});
