import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {builtInDirectories, mergeCatalogue} from '../../source/keyservers/catalogue.js';
import {parseDirectoryList} from '../../source/keyservers/directory-schema.js';
import {checkAnyEmailAddress, checkEmailAddress, checkFilterTemplate, escapeFilterValue, expandFilter} from '../../source/keyservers/filter.js';
import {decodeKeyUsage, decodeExtendedKeyUsage, readCertificateExtensions} from '../../source/keyservers/x509-extensions.js';
import {extractPkcs7Certificates} from '../../source/keyservers/pkcs7.js';
import {children, readNode} from '../../source/keyservers/der.js';
import {extractCertificates} from '../../source/keyservers/entry-certificates.js';
import {readAddressFile} from '../../source/keyservers/address-file.js';
import {loadCatalogue, loadCustomDirectories, removeCustomDirectory, saveCustomDirectory} from '../../source/keyservers/directory-store.js';
import {TestCa} from '../harness/test-certificates.js';

describe('RFC 4515 escaping', () => {
  it('escapes the five special characters and leaves the rest', () => {
    expect(escapeFilterValue('*)(uid=*')).toBe('\\2a\\29\\28uid=\\2a');
    expect(escapeFilterValue('a\\b\u0000')).toBe('a\\5cb\\00');
    expect(escapeFilterValue('jörg@müller.example')).toBe('jörg@müller.example');
    expect(expandFilter('(|(mail=%e)(rfc822Mailbox=%e))', 'x*@y.example')).toBe('(|(mail=x\\2a@y.example)(rfc822Mailbox=x\\2a@y.example))');
  });

  it('never lets an unescaped special character through (property)', () => {
    fc.assert(
      fc.property(fc.string(), text => {
        const escaped = escapeFilterValue(text);
        expect(escaped.replace(/\\[0-9a-f]{2}/g, '')).not.toMatch(/[*()\\\u0000]/);
      }),
    );
  });

  it('checks filter templates', () => {
    expect(checkFilterTemplate('(mail=%e)')).toBeUndefined();
    expect(checkFilterTemplate('(|(mail=%e)(uid=%e))')).toBeUndefined();
    expect(checkFilterTemplate('(mail=x)')).toContain('%e');
    expect(checkFilterTemplate('mail=%e')).toContain('parentheses');
    expect(checkFilterTemplate('(mail=%e)(uid=%e)')).toContain('one expression');
    expect(checkFilterTemplate('((mail=%e)')).toContain('without');
  });
});

describe('e-mail address validation', () => {
  it.each(['alice@example.com', 'a.b+tag@sub.example.de', 'jörg@müller.example', '"quoted name"@example.org', '*@example.com'])('accepts %s', address => {
    expect(checkEmailAddress(address)).toBeUndefined();
  });
  it.each(['', 'alice', '@example.com', 'alice@', 'alice@localhost', 'a b@example.com', '*)(uid=*', 'a..b@example.com', 'alice@exa_mple.com', `${'x'.repeat(65)}@example.com`, `a@${'b'.repeat(64)}.example`, `a@${'b.'.repeat(126)}de`, 'a@-b.example', 'a@b-.example', '.a@b.example', 'a.@b.example', 'a@b..example', 'a@b.example.', 'a@@b.example'])('rejects "%s"', address => {
    expect(checkEmailAddress(address)).toMatch(/\w/);
  });

  it('answers as the whole check does: the quick path for plain ASCII addresses changes no answer', () => {
    const character = fc.constantFrom(...'aZ09.-_+@"\\ !#~éü'.split(''), '\u0000', '\t');
    const label = fc.stringMatching(/^[a-z0-9-]{1,64}$/);
    const plainish = fc.tuple(fc.array(fc.stringMatching(/^[A-Za-z0-9+_.-]{0,30}$/), {minLength: 1, maxLength: 3}), fc.array(label, {minLength: 1, maxLength: 4})).map(([names, labels]) => `${names.join('.')}@${labels.join('.')}`);
    fc.assert(
      fc.property(fc.oneof(plainish, fc.stringMatching(/^[a-z]{60,70}@[a-z]{1,5}\.de$/), fc.array(character, {maxLength: 30}).map(parts => parts.join('')), fc.string({unit: 'grapheme-ascii', maxLength: 70})), address => {
        expect(checkEmailAddress(address)).toBe(checkAnyEmailAddress(address));
      }),
      {numRuns: 20_000},
    );
  });
});

describe('DER: key usage and extended key usage', () => {
  it('decodes key-usage bits including decipherOnly in the second byte', () => {
    // BIT STRING, 3 bytes: 7 unused bits; digitalSignature + keyEncipherment; decipherOnly.
    expect(decodeKeyUsage(Buffer.from([0x03, 0x03, 0x07, 0xa0, 0x80]))).toEqual(['digitalSignature', 'keyEncipherment', 'decipherOnly']);
    expect(decodeKeyUsage(Buffer.from([0x03, 0x02, 0x01, 0x06]))).toEqual(['keyCertSign', 'cRLSign']);
    expect(decodeKeyUsage(Buffer.from([0x03, 0x02, 0x05, 0x40]))).toEqual(['nonRepudiation']);
    expect(() => decodeKeyUsage(Buffer.from([0x04, 0x01, 0x00]))).toThrow();
  });

  it('names EKU purposes and keeps unknown OIDs', () => {
    // SEQUENCE { 1.3.6.1.5.5.7.3.4, 1.2.3.4 }
    const der = Buffer.from([0x30, 0x0f, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x04, 0x06, 0x03, 0x2a, 0x03, 0x04]);
    expect(decodeExtendedKeyUsage(der)).toEqual(['emailProtection', '1.2.3.4']);
  });

  it('rejects truncated or garbage PKCS#7 clearly', () => {
    expect(() => extractPkcs7Certificates(Buffer.from([0x30, 0x05, 0x06]))).toThrow(/DER|PKCS/);
    expect(() => extractPkcs7Certificates(Buffer.from('hello'))).toThrow();
  });

  it('never hangs or crashes on arbitrary bytes (property): it returns or throws an Error', () => {
    fc.assert(
      fc.property(fc.uint8Array({maxLength: 200}), bytes => {
        for (const parse of [() => extractPkcs7Certificates(Buffer.from(bytes)), () => readCertificateExtensions(Buffer.from(bytes))]) {
          try {
            parse();
          } catch (error) {
            expect(error).toBeInstanceOf(Error);
          }
        }
      }),
      {numRuns: 2000},
    );
  });

  it('extracts every certificate from an openssl PKCS#7 bundle', () => {
    const folder = mkdtempSync(join(tmpdir(), 'nsp-pkcs7-'));
    const ca = TestCa.create(folder);
    const one = ca.smime('one', {commonName: 'One', sanEmails: ['one@example.com']});
    const p7 = ca.pkcs7('bundle', [one, ca.ca]);
    const extracted = extractPkcs7Certificates(p7);
    expect(extracted).toHaveLength(2);
    expect(extracted[0]!.equals(one.der)).toBe(true);
    expect(extracted[1]!.equals(ca.ca.der)).toBe(true);
    // The same content with BER indefinite lengths on ContentInfo and [0], as Windows writes it.
    const outer = readNode(p7, 0);
    const [oid, explicit] = children(p7, outer);
    const signedData = p7.subarray(readNode(p7, explicit!.valueStart).start, explicit!.end);
    const ber = Buffer.concat([Buffer.from([0x30, 0x80]), p7.subarray(oid!.start, oid!.end), Buffer.from([0xa0, 0x80]), signedData, Buffer.from([0, 0, 0, 0])]);
    const fromBer = extractPkcs7Certificates(ber);
    expect(fromBer.map(der => der.toString('hex'))).toEqual(extracted.map(der => der.toString('hex')));
    expect(() => extractPkcs7Certificates(ber.subarray(0, ber.length - 2))).toThrow(/end-of-contents/);
  });
});

describe('certificates on entries', () => {
  it('accepts plain userCertificate, counts unreadable values, and counts a certificate once', () => {
    const folder = mkdtempSync(join(tmpdir(), 'nsp-entries-'));
    const ca = TestCa.create(folder);
    const one = ca.smime('one', {commonName: 'One', sanEmails: ['one@example.com'], keyUsage: 'digitalSignature'});
    const {certificates, skippedValues} = extractCertificates([
      {dn: 'cn=a', userCertificate: one.der},
      {dn: 'cn=b', 'userCertificate;binary': [one.der, Buffer.from('not a certificate')], userSMIMECertificate: ca.pkcs7('one', [one])},
    ]);
    expect(certificates).toHaveLength(1);
    expect(certificates[0]!.details.source).toBe('userCertificate');
    expect(certificates[0]!.details.entryDn).toBe('cn=a');
    expect(certificates[0]!.details.canEncrypt).toBe(false);
    expect(certificates[0]!.details.canSign).toBe(true);
    expect(skippedValues).toBe(1);
  });

  it('lists each e-mail address once: SAN entries first, then the subject emailAddress', () => {
    const folder = mkdtempSync(join(tmpdir(), 'nsp-entries-'));
    const ca = TestCa.create(folder);
    const repeated = ca.smime('repeated', {commonName: 'Repeated', sanEmails: ['b@example.com', 'a@example.com', 'b@example.com'], subjectEmail: 'a@example.com'});
    const other = ca.smime('other', {commonName: 'Other', sanEmails: ['c@example.com'], subjectEmail: 'd@example.com'});
    const {certificates} = extractCertificates([{dn: 'cn=a', userCertificate: [repeated.der, other.der]}]);
    expect(certificates.map(certificate => certificate.details.emails)).toEqual([['b@example.com', 'a@example.com'], ['c@example.com', 'd@example.com']]);
  });
});

describe('catalogue', () => {
  it('has the knowledge base list: 11 directories, hosts, bases, Arbeitsagentur needing credentials', () => {
    expect(builtInDirectories).toHaveLength(11);
    const arbeitsagentur = builtInDirectories.find(item => item.id === 'arbeitsagentur')!;
    expect(arbeitsagentur).toMatchObject({url: 'ldap://cert-download.arbeitsagentur.de:389', baseDn: 'OU=BA,O=Bundesagentur für Arbeit,C=de', credentialsRequired: true, bindDn: null});
    expect(builtInDirectories.filter(item => item.baseDn === null).map(item => item.id)).toEqual(['a-trust', 'bsi', 'datev', 'siemens', 't-mailpass', 'digicert']);
    for (const item of builtInDirectories) expect(item.attributes).toEqual(['userCertificate;binary']);
    expect(parseDirectoryList(JSON.parse(JSON.stringify(builtInDirectories)), 'built-ins')).toHaveLength(11);
  });

  it('validates each field with a message naming the entry', () => {
    const base = {id: 'x', name: 'X', url: 'ldap://h.example:389'};
    expect(parseDirectoryList([base], 'f')[0]).toMatchObject({startTls: false, bindDn: null, password: null, baseDn: null, filter: '(mail=%e)', attributes: ['userCertificate;binary']});
    const cases: [Record<string, unknown>, string][] = [
      [{...base, url: 'ldap://h/c=de'}, 'baseDn'],
      [{...base, url: 'ldaps://h', startTls: true}, 'startTls'],
      [{...base, password: 'p'}, 'bindDn'],
      [{...base, bindDn: 'cn=a', password: ''}, 'password'],
      [{...base, filter: '(mail=x)'}, '%e'],
      [{...base, attributes: []}, 'attributes'],
      [{...base, caFile: '/nonexistent.pem'}, 'caFile'],
      [{...base, id: 'bad id'}, 'id'],
      [{...base, baseDn: ''}, 'baseDn'],
    ];
    for (const [item, word] of cases) expect(() => parseDirectoryList([item], 'file.json'), JSON.stringify(item)).toThrow(new RegExp(`file.json, entry 1: .*${word}`));
    expect(() => parseDirectoryList([base, base], 'f')).toThrow(/twice/);
  });

  it('stores custom directories in settings.json, with a password only when asked; a built-in id overrides the built-in', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'nsp-keyserver-settings-'));
    writeFileSync(join(stateDir, 'settings.json'), JSON.stringify({ascii: true, other: {kept: 1}}));
    const custom = {id: 'corp', name: 'Corp', url: 'ldaps://ldap.corp.example:636', startTls: false, bindDn: 'cn=reader,o=corp', password: 'pw-123', baseDn: 'o=corp', filter: '(mail=%e)', attributes: ['userCertificate;binary']};
    await saveCustomDirectory(stateDir, custom, {storePassword: false});
    const stored = JSON.parse(readFileSync(join(stateDir, 'settings.json'), 'utf8'));
    expect(stored.ascii).toBe(true);
    expect(stored.other).toEqual({kept: 1});
    expect(stored.keyservers[0]).toEqual({...custom, password: null});
    expect(readFileSync(join(stateDir, 'settings.json'), 'utf8')).not.toContain('pw-123');
    await saveCustomDirectory(stateDir, custom, {storePassword: true});
    expect((await loadCustomDirectories(stateDir))[0]!.password).toBe('pw-123');
    await saveCustomDirectory(stateDir, {...builtInDirectories.find(item => item.id === 'arbeitsagentur')!, bindDn: 'CN=nsp,OU=BA,O=Bundesagentur für Arbeit,C=de'}, {storePassword: false});
    const catalogue = await loadCatalogue(stateDir);
    expect(catalogue).toHaveLength(12);
    expect(catalogue.find(item => item.id === 'arbeitsagentur')).toMatchObject({bindDn: 'CN=nsp,OU=BA,O=Bundesagentur für Arbeit,C=de', source: 'custom'});
    expect(catalogue.at(-1)!.id).toBe('corp');
    expect(await removeCustomDirectory(stateDir, 'corp')).toBe(true);
    expect(await removeCustomDirectory(stateDir, 'corp')).toBe(false);
    expect(mergeCatalogue(await loadCustomDirectories(stateDir))).toHaveLength(11);
  });

  it('rejects a broken "keyservers" value in settings with a clear message', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'nsp-keyserver-settings-'));
    writeFileSync(join(stateDir, 'settings.json'), JSON.stringify({keyservers: [{id: 'x'}]}));
    await expect(loadCatalogue(stateDir)).rejects.toThrow(/settings.json "keyservers", entry 1: "name"/);
  });
});

describe('address files', () => {
  it('reads .txt and .csv (semicolons, quotes, header), skips duplicates and comments', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'nsp-addresses-'));
    writeFileSync(join(folder, 'a.txt'), '\uFEFF# list\nalice@example.com\r\n\nBOB@example.com\nalice@EXAMPLE.com\n');
    expect(await readAddressFile(join(folder, 'a.txt'))).toEqual({addresses: ['alice@example.com', 'BOB@example.com'], duplicates: 1});
    writeFileSync(join(folder, 'a.csv'), 'Name,Email\n"Doe, Jane",jane@example.com\nJoe,joe@example.com\n');
    expect((await readAddressFile(join(folder, 'a.csv'))).addresses).toEqual(['jane@example.com', 'joe@example.com']);
    writeFileSync(join(folder, 'b.csv'), 'x;jane@example.com\ny;joe@example.com\n');
    expect((await readAddressFile(join(folder, 'b.csv'))).addresses).toEqual(['jane@example.com', 'joe@example.com']);
    writeFileSync(join(folder, 'bad.txt'), 'ok@example.com\nnope\n');
    await expect(readAddressFile(join(folder, 'bad.txt'))).rejects.toThrow(/line 2/);
    // Numbers count comment and blank lines too, as an editor shows them.
    writeFileSync(join(folder, 'late.txt'), '# list\n\nok@example.com\r\n  nope  \nalso bad\n');
    await expect(readAddressFile(join(folder, 'late.txt'))).rejects.toThrow(/2 invalid addresses[^]*line 4: "nope"[^]*line 5: "also bad"/);
    await expect(readAddressFile(join(folder, 'missing.txt'))).rejects.toThrow(/Cannot read/);
  });
});
