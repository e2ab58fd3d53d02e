import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {maskKnownValues, redactConfText, redactFileBytes, redactionMarker, redactXmlText} from '../../source/bundle/redaction.js';
import {LeakScanner, SecretLeakError, secretPatterns, StreamMasker} from '../../source/bundle/secret-scan.js';

describe('redaction by key', () => {
  it('redacts the KB proxy block and the licence key, active and commented, and counts them', () => {
    const text = '[Connectivity]\r\nLicense_key_code = ABCD-1234-EFGH\r\nServer_address = x.ctmail.com\r\nProxyUserName = corp\\user\r\nProxyPassword = Secret!1\r\n#ProxyPassword = 1234\r\nProxyPort = 80\r\n';
    const result = redactConfText(text, 'ctasd.conf');
    expect(result.count).toBe(4);
    expect(result.text).not.toContain('ABCD-1234-EFGH');
    expect(result.text).not.toContain('Secret!1');
    expect(result.text).not.toContain('corp\\user');
    expect(result.text).toContain(`#ProxyPassword = ${redactionMarker}\r\n`);
    expect(result.text).toContain('ProxyPort = 80\r\n');
    expect(result.text).toContain('Server_address = x.ctmail.com');
    // The commented KB placeholder is not hunted elsewhere (it would mask every "1234").
    expect(result.found.map(secret => secret.value).sort()).toEqual(['ABCD-1234-EFGH', 'Secret!1', 'corp\\user'].sort());
  });

  it('redacts XML attributes, appSettings values, elements and connection-string parts named like secrets', () => {
    const xml = `<configuration>
  <connectionStrings><add name="db" connectionString="Data Source=x;User ID=nsp;Password=Db!Pass;Encrypt=true" /></connectionStrings>
  <ldap bindPassword='Bind#1234' server="dc1" />
  <appSettings><add key="ApiToken" value="tok-98765" /><add key="Mode" value="fast" /></appSettings>
  <smtp><pwd>Pw-in-element</pwd><clientSecret>cs-555555</clientSecret></smtp>
  <x serverCertificateThumbprint="ABCDEF" port="6060" />
</configuration>`;
    const result = redactXmlText(xml, 'Gateway Role.config');
    for (const secret of ['Db!Pass', 'Bind#1234', 'tok-98765', 'Pw-in-element', 'cs-555555']) expect(result.text).not.toContain(secret);
    expect(result.count).toBe(5);
    expect(result.text).toContain('User ID=nsp;Password=***REDACTED***;Encrypt=true');
    expect(result.text).toContain('value="fast"');
    expect(result.text).toContain('serverCertificateThumbprint="ABCDEF"');
  });

  it('keeps UTF-16 LE files UTF-16 LE (with BOM) while redacting', () => {
    const original = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('ProxyPassword = Utf16Secret\r\nPort = 1\r\n', 'utf16le')]);
    const result = redactFileBytes(original, 'conf', 'ctwsd.conf');
    expect(result.count).toBe(1);
    expect(result.bytes.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xfe]));
    expect(result.bytes.subarray(2).toString('utf16le')).toBe(`ProxyPassword = ${redactionMarker}\r\nPort = 1\r\n`);
    expect(result.bytes.includes(Buffer.from('Utf16Secret', 'utf16le'))).toBe(false);
  });

  it('masks known values anywhere, longest first', () => {
    const result = maskKnownValues('user=alice-admin pass alice', [{value: 'alice', origin: 'a'}, {value: 'alice-admin', origin: 'b'}]);
    expect(result.text).toBe(`user=${redactionMarker} pass ${redactionMarker}`);
    expect(result.count).toBe(2);
  });
});

describe('streaming masker and leak scanner', () => {
  const secrets = [{value: 'Sekret-42', origin: 'test'}, {value: 'corp\\user', origin: 'test'}];
  const patterns = secretPatterns(secrets);

  it('masks secrets split across any chunk borders, in UTF-8 and UTF-16 LE', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('abc ', 'Sekret-42', 'corp\\user', '\n', 'Sekret-4', 'x'), {maxLength: 30}), fc.boolean(), fc.array(fc.integer({min: 1, max: 7}), {minLength: 1, maxLength: 10}), (words, utf16, cuts) => {
        const encoding = utf16 ? 'utf16le' : 'utf8';
        const input = Buffer.from(words.join(''), encoding);
        const masker = new StreamMasker(patterns);
        const out: Buffer[] = [];
        let position = 0;
        let cut = 0;
        while (position < input.length) {
          const size = cuts[cut++ % cuts.length]!;
          out.push(masker.push(input.subarray(position, position + size)));
          position += size;
        }
        out.push(masker.flush());
        const expected = Buffer.from(maskKnownValues(words.join(''), secrets).text, encoding);
        expect(Buffer.concat(out)).toEqual(expected);
        const scanner = new LeakScanner(patterns, 'x');
        expect(() => scanner.check(Buffer.concat(out))).not.toThrow();
      }),
    );
  });

  it('finds a secret that straddles two chunks and names its origin, not its value', () => {
    const scanner = new LeakScanner(patterns, 'logs/x.log');
    scanner.check(Buffer.from('hello Sek'));
    let error: unknown;
    try {
      scanner.check(Buffer.from('ret-42 world'));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SecretLeakError);
    expect((error as Error).message).toContain('logs/x.log');
    expect((error as Error).message).not.toContain('Sekret-42');
  });
});
