import {describe, expect, it} from 'vitest';
import {planProbes} from '../../source/cyren/proxy-probes.js';
import {maskResolverHost, maskResolverHostsIn, resolverHosts} from '../../source/cyren/resolver-hosts.js';
import {cyrenFiles, explainMissingFile} from '../../source/cyren/cyren-files.js';
import {canKeepPassword, formFromOverview, formToSettings, validateForm} from '../../source/cyren/form.js';
import {maskProxyLine, parseProxyLine} from '../../source/cyren/proxy-lines.js';
import type {CyrenFiles, ProxyOverview} from '../../source/cyren/proxy-files.js';
import {parseTextBytes} from '../../source/system/text-document.js';
import {parsePort, parseTarget, validatePassword, validatePort, validateServer, validateUserName} from '../../source/cyren/validate.js';

describe('validation', () => {
  it.each(['10.0.0.1', 'myproxy', 'proxy.corp.example', 'proxy.corp.example.', 'xn--bcher-kva.example', '::1', 'fe80::1', 'a-b.c'])('accepts the host %s', host => {
    expect(validateServer(host)).toBeUndefined();
  });
  it.each([
    ['', /Enter the proxy server/],
    ['my proxy', /spaces/],
    ['http://proxy', /scheme/],
    ['proxy:8080', /port field/],
    ['10.0.0.256', /not a valid IPv4/],
    ['1.2.3', /not a valid IPv4/],
    ['#proxy', /"#"/],
    ['-proxy.example', /start or end with "-"/],
    ['proxy..example', /empty parts/],
    ['prox_y.example', /characters a host name cannot have/],
    ['b\u00fccher.example', /punycode/],
    [`${'a'.repeat(64)}.example`, /63/],
  ])('refuses the host %j', (host, message) => {
    expect(validateServer(host)).toMatch(message);
  });
  it('ports', () => {
    expect(validatePort('0')).toMatch(/out of range/);
    expect(validatePort('70000')).toMatch(/out of range/);
    expect(validatePort('abc')).toMatch(/not a port/);
    expect(validatePort('-1')).toMatch(/not a port/);
    expect(validatePort('')).toMatch(/Enter the proxy port/);
    expect(validatePort('65535')).toBeUndefined();
    expect(parsePort(' 3128 ')).toBe(3128);
    expect(parsePort('3128.5')).toBeUndefined();
  });
  it('user names and passwords the file format can hold', () => {
    expect(validateUserName('CORP\\svc')).toBeUndefined();
    expect(validatePassword('p@ss w=rd#1\u20ac')).toBeUndefined();
    expect(validatePassword('a\r\nb')).toMatch(/line break/);
    expect(validatePassword('a\rb')).toMatch(/line break/);
    expect(validatePassword('#a')).toMatch(/"#"/);
    expect(validatePassword(' a')).toMatch(/space or tab/);
    expect(validatePassword('a\u0000')).toMatch(/control/);
    expect(validatePassword('a\ud800')).toMatch(/invalid character/);
    expect(validatePassword('a\ud83d\ude00')).toBeUndefined();
    expect(validateUserName('')).toMatch(/Enter the user name/);
  });
  it('targets', () => {
    expect(parseTarget('resolver1.ctmail.com:443')).toEqual({host: 'resolver1.ctmail.com', port: 443});
    expect(parseTarget('[::1]:8443')).toEqual({host: '::1', port: 8443});
    expect(parseTarget('ctmail.com')).toMatch(/not host:port/);
    expect(parseTarget('ctmail.com:0')).toMatch(/not a port/);
  });
});

describe('proxy lines', () => {
  it('parse with any case, hash style and spacing', () => {
    expect(parseProxyLine('\t# proxyPORT\t=  80  ')).toMatchObject({key: 'ProxyPort', spelling: 'proxyPORT', commented: true, value: '80', trailing: '  '});
    expect(parseProxyLine('ProxyPorts = 1')).toBeUndefined();
    expect(parseProxyLine('#   If you connect to the Internet through a proxy server, you')).toBeUndefined();
    expect(parseProxyLine('ProxyPort')).toBeUndefined();
  });
  it('mask the password value, active or commented, and nothing else', () => {
    expect(maskProxyLine('ProxyPassword = secret')).toBe('ProxyPassword = ********');
    expect(maskProxyLine('  #proxypassword=secret  ')).toBe('  #proxypassword=********');
    expect(maskProxyLine('ProxyUserName = secret')).toBe('ProxyUserName = secret');
  });
});

describe('missing files by version', () => {
  const [ctasd, ctipd, ctwsd] = cyrenFiles;
  it('explains what is normal', () => {
    expect(explainMissingFile(ctwsd!, '12.2.0.1')).toMatchObject({normal: true, text: expect.stringMatching(/normal: NoSpamProxy 12\.2\.0\.1 is older than 13/)});
    expect(explainMissingFile(ctwsd!, '14.0.5.39')).toMatchObject({normal: false, text: expect.stringMatching(/should have it/)});
    expect(explainMissingFile(ctipd!, 'unknown')).toMatchObject({normal: true, text: expect.stringMatching(/normal before NoSpamProxy 12/)});
    expect(explainMissingFile(ctasd!)).toMatchObject({normal: false, text: expect.stringMatching(/Protection module/)});
  });
});

describe('the form and the default check target', () => {
  const overview = (files: Partial<ProxyOverview['files'][number]>[]): ProxyOverview => ({
    folder: 'x',
    files: files.map(file => ({file: 'ctasd.conf', path: 'p', encoding: 'UTF-8', lineEndings: 'CRLF', status: 'disabled', server: null, port: null, auth: null, user: null, passwordSet: false, warnings: [], ...file})) as ProxyOverview['files'],
    missing: [],
    agree: true,
    disagreements: [],
  });
  it('pre-fills from the enabled file, never the password', () => {
    const enabled = overview([{status: 'enabled', server: 'p.example', port: 8080, auth: 'Basic', user: 'u', passwordSet: true}]);
    expect(formFromOverview(enabled)).toEqual({server: 'p.example', port: '8080', auth: 'Basic', user: 'u', password: ''});
    expect(canKeepPassword(enabled)).toBe(true);
    expect(validateForm(formFromOverview(enabled), true)).toEqual({});
    expect(validateForm(formFromOverview(enabled), false)).toEqual({password: expect.stringMatching(/Enter the password/)});
    expect(formToSettings(formFromOverview(enabled))).toEqual({server: 'p.example', port: 8080, auth: 'Basic', user: 'u'});
  });
  it('checks every field at once', () => {
    expect(Object.keys(validateForm({server: 'a b', port: '0', auth: 'Basic', user: '', password: 'x\ny'}, false)).sort()).toEqual(['password', 'port', 'server', 'user']);
  });
  it('probes what ctasd does: each resolver (%d = 1, 2) over HTTP on 80 and CONNECT on 443; else ctmail.com; a named target alone', () => {
    const files = (text: string) => ({folder: 'f', missing: [], present: [{info: cyrenFiles[0]!, path: 'p', document: parseTextBytes(Buffer.from(text)), state: {} as never}]}) as CyrenFiles;
    const probes = (plan: ReturnType<typeof planProbes>) => [plan.source, ...plan.probes.map(probe => `${probe.method} ${probe.host}:${probe.port}`)];
    expect(probes(planProbes({}, files('[Connectivity]\nServer_address = resolver%d.xy.ctmail.com')))).toEqual([
      'ctasd.conf',
      'http resolver1.xy.ctmail.com:80',
      'connect resolver1.xy.ctmail.com:443',
      'http resolver2.xy.ctmail.com:80',
      'connect resolver2.xy.ctmail.com:443',
    ]);
    expect(probes(planProbes({}, files('[Connectivity]\r\nServer_address = resolver7.xy.ctmail.com\r\n')))).toEqual(['ctasd.conf', 'http resolver7.xy.ctmail.com:80', 'connect resolver7.xy.ctmail.com:443']);
    expect(probes(planProbes({}, files('Server_address = evil.example\r\n')))).toEqual(['default', 'http ctmail.com:80', 'connect ctmail.com:443']);
    expect(probes(planProbes({}, files('#Server_address = resolver%d.xy.ctmail.com\r\n')))).toEqual(['default', 'http ctmail.com:80', 'connect ctmail.com:443']);
    expect(probes(planProbes({checkTarget: '127.0.0.1:9'}, files('Server_address = resolver7.xy.ctmail.com\r\n')))).toEqual(['settings', 'connect 127.0.0.1:9']);
    expect(probes(planProbes({}, undefined, {host: 'r.ctmail.com', port: 80}))).toEqual(['option', 'http r.ctmail.com:80']);
  });

  it('expands %d and masks the licence part of resolver host names', () => {
    expect(resolverHosts('resolver%d.example-ct.ctmail.com')).toEqual(['resolver1.example-ct.ctmail.com', 'resolver2.example-ct.ctmail.com']);
    expect(resolverHosts('resolver%d .x')).toEqual([]);
    const cases: [string, string][] = [
      ['resolver1.example-ct.ctmail.com', 'resolver1.***.ctmail.com'],
      ['resolver%d.a.b.ctmail.com', 'resolver%d.***.ctmail.com'],
      ['LIC0123.ctmail.com', '***.ctmail.com'],
      ['resolver2.ctmail.com', 'resolver2.ctmail.com'],
      ['ctmail.com', 'ctmail.com'],
      ['proxy.corp.test', 'proxy.corp.test'],
    ];
    for (const [host, shown] of cases) expect(maskResolverHost(host)).toBe(shown);
    expect(maskResolverHostsIn('CONNECT resolver1.example-ct.ctmail.com:443 via ctmail.com.corp.test')).toBe('CONNECT resolver1.***.ctmail.com:443 via ctmail.com.corp.test');
  });
});
