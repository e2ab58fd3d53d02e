import {describe, expect, it} from 'vitest';
import {parseURL} from '../../source/keyservers/ldapts-shims/whatwg-url.js';
import debug from '../../source/keyservers/ldapts-shims/debug.js';

/** The host ldapts connects to, read from the record as ldapts reads it (a string up to ":", an array joined by ":"). */
function hostAsLdaptsReadsIt(host: string | string[] | null): string | null {
  if (typeof host === 'string') return host.split(':')[0]!;
  if (Array.isArray(host)) return host.join(':');
  return host;
}

describe('the URL parser ldapts gets in the bundle', () => {
  // [url, scheme, host ldapts connects to, port]
  const cases: [string, string, string | null, number | null][] = [
    ['ldap://directory.d-trust.net:389', 'ldap', 'directory.d-trust.net', 389],
    ['ldap://ldap.sbca.telesec.de', 'ldap', 'ldap.sbca.telesec.de', null],
    ['ldaps://127.0.0.1:6360', 'ldaps', '127.0.0.1', 6360],
    ['ldap://[::1]:3890', 'ldap', '::1', 3890],
    ['ldaps://[fe80::1]', 'ldaps', 'fe80::1', null],
    ['LDAP://Directory.Example:389/dc=example', 'ldap', 'Directory.Example', 389],
    ['http://proxy.example:8080', 'http', 'proxy.example', 8080],
  ];
  it.each(cases)('%s', (url, scheme, host, port) => {
    const record = parseURL(url)!;
    expect(record.scheme).toBe(scheme);
    expect(hostAsLdaptsReadsIt(record.host)).toBe(host);
    expect(record.port).toBe(port);
  });

  it.each(['not a url', 'ldap://[::1', 'ldap://host:99999', ''])('gives null for %j, which ldapts reports as an invalid LDAP URL', text => {
    expect(parseURL(text)).toBeNull();
  });
});

describe('the debug logger ldapts gets in the bundle', () => {
  it('is off and prints nothing, whatever DEBUG says', () => {
    const written: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      const log = debug('ldapts');
      log('Sending message: %s', '{"messageId":1}');
      expect(log.enabled).toBe(false);
    } finally {
      process.stderr.write = original;
    }
    expect(written).toEqual([]);
  });
});
