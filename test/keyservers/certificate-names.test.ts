// The fast reading of subject, issuer and serial must say exactly what Node's X509Certificate says:
// each case builds a certificate with that name and serial and compares both (Node does not check
// the signature when parsing, so a dummy one will do).
import {X509Certificate} from 'node:crypto';
import {describe, expect, it} from 'vitest';
import {describeCertificate} from '../../source/keyservers/certificate.js';
import {readCertificateNames} from '../../source/keyservers/certificate-names.js';
import {bmp, certificate, cn, ia5, name, printable, utf8} from '../harness/der-builder.js';

const issuer = name([['2.5.4.6', printable, 'DE'], ['2.5.4.10', utf8, 'Example CA'], cn('Example Issuing CA')]);
const serial = Buffer.from([0x03, 0xe8]);

// [what, subject, takes the fast path]
const names: [string, Buffer, boolean][] = [
  ['country, organisation, common name', name([['2.5.4.6', printable, 'DE'], ['2.5.4.10', utf8, 'Example GmbH'], cn('Alice Example')]), true],
  [
    'every attribute type read without Node',
    name([
      ['0.9.2342.19200300.100.1.25', ia5, 'example'],
      ['2.5.4.6', printable, 'AT'],
      ['2.5.4.8', utf8, 'Wien'],
      ['2.5.4.7', utf8, 'Wien'],
      ['2.5.4.9', utf8, 'Ring 1'],
      ['2.5.4.10', utf8, 'A-Trust'],
      ['2.5.4.11', utf8, 'Mail'],
      ['2.5.4.97', utf8, 'VATAT-U12345678'],
      ['2.5.4.12', utf8, 'Dr'],
      ['2.5.4.42', utf8, 'Alice'],
      ['2.5.4.4', utf8, 'Example'],
      ['2.5.4.5', printable, '12345'],
      ['0.9.2342.19200300.100.1.1', utf8, 'alice'],
      cn('Alice'),
      ['1.2.840.113549.1.9.1', ia5, 'alice@example.com'],
    ]),
    true,
  ],
  ['RFC 2253 specials inside a value', name([cn('Example, Inc. + "Partner" <a\\b>; x=y')]), true],
  ['an empty value', name([cn('')]), true],
  ['a leading #', name([cn('#1 Partner')]), false],
  ['leading and trailing spaces', name([cn(' spaced ')]), false],
  ['non-ASCII UTF-8', name([['2.5.4.10', utf8, 'Bundesagentur für Arbeit'], cn('Jürgen Müller')]), false],
  ['a BMPString', name([cn('', bmp), ['2.5.4.3', bmp, Buffer.from('\u0000B\u0000M\u0000P', 'latin1')]]), false],
  ['a control character', name([cn('line\nbreak')]), false],
  ['a multi-valued RDN', name([[cn('Alice'), ['2.5.4.5', printable, '42']]]), false],
  ['an attribute type Node names itself', name([['2.5.4.65', utf8, 'Pseudo'], cn('Alice')]), false],
  ['an attribute type nobody names', name([['1.3.6.1.4.1.99999.1', utf8, 'private'], cn('Alice')]), false],
];

describe('certificate names read from the DER', () => {
  it.each(names)('%s: the same as Node', (_, subject, fast) => {
    const der = certificate(subject, issuer, serial);
    const node = new X509Certificate(der);
    const ours = readCertificateNames(der);
    if (fast) expect(ours).toEqual({subject: node.subject, issuer: node.issuer, serial: node.serialNumber.toUpperCase()});
    else expect(ours).toBeUndefined();
    const details = describeCertificate(der, 'userCertificate;binary', 'uid=x');
    expect(details.subject).toBe(node.subject.split('\n').filter(Boolean).reverse().join(', '));
    expect(details.issuer).toBe('CN=Example Issuing CA, O=Example CA, C=DE');
    expect(details.serial).toBe('03E8');
  });

  it.each([
    ['a small serial', Buffer.from([0x01]), true],
    ['a serial with a sign byte', Buffer.from([0x00, 0x8f, 0x12]), true],
    ['a 20-byte serial', Buffer.from('7f0102030405060708090a0b0c0d0e0f10111213', 'hex'), true],
    ['a serial with a high nibble of zero', Buffer.from([0x0a, 0xbc]), true],
    ['a negative serial', Buffer.from([0xff, 0x01]), false],
    ['serial zero', Buffer.from([0x00]), false],
  ] as const)('%s: the same as Node', (_, serialBytes, fast) => {
    const der = certificate(name([cn('Alice')]), issuer, serialBytes);
    const node = new X509Certificate(der);
    const ours = readCertificateNames(der);
    if (fast) expect(ours?.serial).toBe(node.serialNumber.toUpperCase());
    else expect(ours).toBeUndefined();
    expect(describeCertificate(der, 'userCertificate;binary', 'uid=x').serial).toBe(node.serialNumber.toUpperCase());
  });
});
