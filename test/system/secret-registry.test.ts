import fc from 'fast-check';
import {PassThrough} from 'node:stream';
import {beforeEach, describe, expect, it} from 'vitest';
import {checkDirectoryUrl} from '../../source/keyservers/directory-schema.js';
import {maskedWritable} from '../../source/system/masked-output.js';
import {forgetSecrets, knownSecrets, learnSecret, maskText, rememberTypedSecret, stripUrlUserinfo} from '../../source/system/secret-registry.js';
import {runCommand} from '../../source/system/exec.js';
import {sessionRecord} from '../../source/system/session-record.js';

describe('the session secret registry', () => {
  beforeEach(() => forgetSecrets());

  it('masks a value in every spelling: as is, XML-escaped, JSON-escaped, percent-encoded, quotes doubled', () => {
    learnSecret(`Amp&Lt<"q'781`, 'Gateway Role.config Password');
    const text = [`Amp&Lt<"q'781`, 'Amp&amp;Lt&lt;&quot;q&apos;781', 'Amp&amp;Lt&lt;"q\'781', JSON.stringify(`Amp&Lt<"q'781`), encodeURIComponent(`Amp&Lt<"q'781`), `Amp&Lt<""q'781`, `Amp&Lt<"q''781`].join(' | ');
    expect(maskText(text)).toBe(['***', '***', '***', '"***"', '***', '***', '***'].join(' | '));
  });

  it('ignores values that would mask everything, but keeps every typed password', () => {
    for (const value of ['1234', 'true', 'NoAuth', 'abc', '***REDACTED***']) learnSecret(value, 'x');
    expect(knownSecrets()).toEqual([]);
    rememberTypedSecret('ab');
    expect(maskText('a ab b')).toBe('a *** b');
  });

  it('prints URLs without user and password', () => {
    expect(stripUrlUserinfo('bind to ldap://cn=admin:pw%40x@dc1.example.test:389 failed')).toBe('bind to ldap://***@dc1.example.test:389 failed');
    expect(checkDirectoryUrl('ldap://user:S3cret@host:389')).not.toContain('S3cret');
    expect(checkDirectoryUrl('ldap://user:S3cret@host:389')).toContain('ldap://***@host:389');
  });

  it.each([
    ['no URL at all', 'alice@example.test wrote', 'alice@example.test wrote'],
    ['URL without userinfo, address later on the line', '{"url":"ldap://127.0.0.1:389","emails":["a@b.test"]}', '{"url":"ldap://127.0.0.1:389","emails":["a@b.test"]}'],
    ['userinfo in the second of two URLs', 'ldap://h1 then ldaps://u:p@h2', 'ldap://h1 then ldaps://***@h2'],
    ['upper-case scheme with + . -', 'X+Y.z-1://USER@host', 'X+Y.z-1://***@host'],
    ['scheme after a word character is no URL start', '_ldap://u@h', '_ldap://u@h'],
    ['a space ends the userinfo', 'ldap://u p@h', 'ldap://u p@h'],
    ['a no-break space ends it too (\\s)', 'ldap://u\u00a0p@h', 'ldap://u\u00a0p@h'],
    ['quote, angle brackets and slash end it', `ldap://u"p@h ldap://u'p@h ldap://u<p@h ldap://u/p@h`, `ldap://u"p@h ldap://u'p@h ldap://u<p@h ldap://u/p@h`],
    ['":///" then userinfo', 'x:///u@h x://u@h', 'x:///u@h x://***@h'],
  ])('URL userinfo: %s', (_name, text, expected) => {
    expect(stripUrlUserinfo(text)).toBe(expected);
  });

  it('URL userinfo: the quick path gives what the full expression gives, on 30,000 generated texts', () => {
    const full = (text: string) => text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@'"<>]+@/gi, '$1***@');
    const noise = fc.string({unit: fc.constantFrom('a', 'Z', '1', '+', '.', '-', '_', ':', '/', '//', '://', '@', ' ', '\u00a0', "'", '"', '<', '>', 'é', 'ldap'), maxLength: 5});
    // Half are shaped like a URL with userinfo, with noise in every part.
    const text = fc.oneof(
      fc.tuple(noise, noise, noise).map(parts => parts.join('')),
      fc.tuple(noise, noise, noise, noise, noise).map(([a, b, c, d, e]) => `${a}ldap${b}://${c}u:p${d}@${e}`),
    );
    let masked = 0;
    fc.assert(
      fc.property(text, sample => {
        const expected = full(sample);
        if (expected !== sample) masked++;
        expect(stripUrlUserinfo(sample)).toBe(expected);
      }),
      {numRuns: 30_000},
    );
    // The generated texts reach both paths.
    expect(masked).toBeGreaterThan(100);
  });

  it('every line written through the masked stream is masked, text and JSON alike', () => {
    learnSecret('Quo"ted-779', 'x');
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', chunk => chunks.push(chunk as Buffer));
    const out = maskedWritable(sink);
    out.write('the proxy password is Quo"ted-779\n');
    out.write(`${JSON.stringify({target: 'Quo"ted-779', url: 'ldap://u:p@h'})}\n`);
    out.write(Buffer.from('buffer Quo"ted-779\n'));
    const printed = Buffer.concat(chunks).toString('utf8');
    expect(printed).not.toContain('ted-779');
    expect(printed).toContain('the proxy password is ***');
    expect(JSON.parse(printed.split('\n')[1]!)).toEqual({target: '***', url: 'ldap://***@h'});
  });

  it('the external-command record masks a value learned from a file', async () => {
    learnSecret('LearnedValue-42', 'ctasd.conf ProxyPassword');
    const result = await runCommand(process.execPath, ['-e', 'console.log(process.argv[1])', 'LearnedValue-42']);
    expect(result.stdout.trim()).toBe('***');
    expect(JSON.stringify(sessionRecord().at(-1))).not.toContain('LearnedValue-42');
  });
});
