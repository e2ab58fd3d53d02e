import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {applyProxyChange, ProxyEditError, readProxyState, type ProxyChange, type ProxySettings} from '../../source/cyren/proxy-document.js';
import {parseProxyLine} from '../../source/cyren/proxy-lines.js';
import {parseTextBytes, serializeTextDocument, type TextDocument} from '../../source/system/text-document.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'cyren');
const load = (name: string) => parseTextBytes(readFileSync(join(fixtures, name)), name);
/** Re-reads what would be written, so every check looks at real bytes. */
const reparse = (document: TextDocument) => parseTextBytes(serializeTextDocument(document), document.path);
const apply = (document: TextDocument, change: ProxyChange) => reparse(applyProxyChange(document, change).document);

const noAuth: ProxySettings = {server: 'proxy.example.com', port: 3128, auth: 'NoAuth'};
const basic: ProxySettings = {server: '192.0.2.10', port: 8080, auth: 'Basic', user: 'CORP\\cyren', password: 'p@ss w=rd#1'};
const shippedValues: ProxySettings = {server: 'myproxy', port: 80, auth: 'NoAuth'};

/** The raw bytes of every line that is not a proxy key line, in order: what no edit may touch. */
function untouchable(document: TextDocument): string[] {
  return document.lines.filter(line => !parseProxyLine(line.text)).map(line => (line.raw ?? Buffer.from(`${line.text}${line.ending}`)).toString('hex'));
}

/**
 * The one allowed exception: keys appended after a last line without a line break give that
 * line one (the new last line then has none), so only its ending may differ.
 */
function untouchableAfter(before: TextDocument, after: TextDocument): string[] {
  const list = untouchable(after);
  const last = before.lines.at(-1);
  if (last && last.ending === '' && !parseProxyLine(last.text)) {
    const index = untouchable(before).length - 1;
    const candidate = after.lines.filter(line => !parseProxyLine(line.text))[index];
    if (candidate && candidate.text === last.text) list[index] = last.raw!.toString('hex');
  }
  return list;
}

function expectOnlyProxyLinesChanged(before: TextDocument, after: TextDocument) {
  expect(untouchableAfter(before, after)).toEqual(untouchable(before));
  expect(after.encoding).toBe(before.encoding);
  expect(after.bom.equals(before.bom)).toBe(true);
  expect(after.lines.at(-1)?.ending === '').toBe(before.lines.at(-1)?.ending === '');
}

const corpus: Record<string, {status: string; identicalAfterShippedRoundTrip: boolean}> = {
  'shipped.conf': {status: 'disabled', identicalAfterShippedRoundTrip: true},
  'lf.conf': {status: 'disabled', identicalAfterShippedRoundTrip: true},
  'mixed.conf': {status: 'disabled', identicalAfterShippedRoundTrip: true},
  'bom.conf': {status: 'disabled', identicalAfterShippedRoundTrip: true},
  'utf16le.conf': {status: 'disabled', identicalAfterShippedRoundTrip: true},
  'latin1.conf': {status: 'disabled', identicalAfterShippedRoundTrip: true},
  'no-trailing-newline.conf': {status: 'disabled', identicalAfterShippedRoundTrip: true},
  'extra-sections.conf': {status: 'disabled', identicalAfterShippedRoundTrip: true},
  // "# PROXYAUTH" loses the blank after '#': disabling writes the shipped form "#Key".
  'odd-spacing.conf': {status: 'disabled', identicalAfterShippedRoundTrip: false},
  'keys-missing.conf': {status: 'disabled', identicalAfterShippedRoundTrip: false},
  'keys-missing-all.conf': {status: 'no-proxy-lines', identicalAfterShippedRoundTrip: false},
  'duplicated.conf': {status: 'partial', identicalAfterShippedRoundTrip: false},
  'enabled.conf': {status: 'enabled', identicalAfterShippedRoundTrip: false},
  'enabled-basic.conf': {status: 'enabled', identicalAfterShippedRoundTrip: false},
  // The daemon's own shape: sections, empty-valued keys, mixed spacing, no final newline.
  'vendor-shape.conf': {status: 'disabled', identicalAfterShippedRoundTrip: false},
  'vendor-shape-no-proxy-keys.conf': {status: 'no-proxy-lines', identicalAfterShippedRoundTrip: false},
};

describe('the fixture corpus', () => {
  for (const [name, expected] of Object.entries(corpus)) {
    describe(name, () => {
      const original = load(name);

      it('reads the proxy state', () => {
        expect(serializeTextDocument(original).equals(readFileSync(join(fixtures, name)))).toBe(true);
        expect(readProxyState(original).status).toBe(expected.status);
      });

      it('set, disable, set again: only proxy lines change, and the state follows', () => {
        const set = apply(original, {kind: 'set', settings: noAuth});
        expectOnlyProxyLinesChanged(original, set);
        expect(readProxyState(set)).toMatchObject({status: 'enabled', server: 'proxy.example.com', port: '3128', auth: 'NoAuth', access: '1', passwordSet: false});

        const disabled = apply(set, {kind: 'disable'});
        expectOnlyProxyLinesChanged(original, disabled);
        const off = readProxyState(disabled);
        expect(off.status).toBe('disabled');
        // Values are kept in the commented lines, as shipped.
        expect(disabled.lines.some(line => line.text.trim() === '#ProxyPort = 3128' || /^#ProxyPort\s*=\s*3128$/i.test(line.text.trim()))).toBe(true);

        const again = apply(disabled, {kind: 'set', settings: basic});
        expectOnlyProxyLinesChanged(original, again);
        expect(readProxyState(again)).toMatchObject({status: 'enabled', server: '192.0.2.10', port: '8080', auth: 'Basic', user: 'CORP\\cyren', passwordSet: true});
        expect(again.lines.filter(line => /^\s*ProxyPassword\s*=\s*p@ss w=rd#1\s*$/i.test(line.text))).toHaveLength(1);

        // Back to NoAuth: the credentials are commented out (kept), not left active.
        const plain = apply(again, {kind: 'set', settings: noAuth});
        expect(readProxyState(plain)).toMatchObject({status: 'enabled', auth: 'NoAuth', passwordSet: false, user: undefined});
      });

      it('set-then-disable returns to the original proxy state', () => {
        const roundTrip = apply(apply(original, {kind: 'set', settings: shippedValues}), {kind: 'disable'});
        expectOnlyProxyLinesChanged(original, roundTrip);
        if (expected.status === 'disabled') expect(readProxyState(roundTrip).status).toBe('disabled');
        if (expected.identicalAfterShippedRoundTrip) expect(serializeTextDocument(roundTrip).equals(serializeTextDocument(original))).toBe(true);
      });

      it('a second identical set changes nothing', () => {
        const once = apply(original, {kind: 'set', settings: basic});
        expect(applyProxyChange(once, {kind: 'set', settings: basic}).changes).toEqual([]);
      });
    });
  }

  it('re-setting an enabled file to its own values gives the same bytes', () => {
    const enabled = load('enabled.conf');
    expect(serializeTextDocument(applyProxyChange(enabled, {kind: 'set', settings: {server: '10.0.0.5', port: 3128, auth: 'NoAuth'}}).document).equals(serializeTextDocument(enabled))).toBe(true);
    const withAuth = load('enabled-basic.conf');
    const same = applyProxyChange(withAuth, {kind: 'set', settings: {server: 'proxy.corp.example', port: 8080, auth: 'Basic', user: 'CORP\\svc-cyren'}});
    expect(same.changes).toEqual([]);
  });

  it('keeps the file\'s spelling and spacing: odd-spacing.conf', () => {
    const set = apply(load('odd-spacing.conf'), {kind: 'set', settings: basic});
    const texts = set.lines.map(line => line.text);
    expect(texts).toContain('ProxyPort=8080');
    expect(texts).toContain('\tproxyserveraddress\t=\t192.0.2.10');
    expect(texts).toContain('PROXYAUTH   =   Basic');
    expect(texts).toContain('ProxyUserName  = CORP\\cyren   ');
    expect(texts).toContain('  ProxyPassword =p@ss w=rd#1');
    expect(texts).toContain('ProxyAccess= 1');
  });

  it('adds missing keys right after the other proxy keys, in the documented order', () => {
    const original = load('keys-missing.conf');
    const result = applyProxyChange(original, {kind: 'set', settings: basic});
    const texts = reparse(result.document).lines.map(line => line.text);
    const at = texts.indexOf('ProxyServerAddress = 192.0.2.10');
    expect(texts.slice(at - 1, at + 5)).toEqual(['ProxyPort = 8080', 'ProxyServerAddress = 192.0.2.10', 'ProxyAuth = Basic', 'ProxyUserName = CORP\\cyren', 'ProxyPassword = p@ss w=rd#1', 'ProxyAccess = 1']);
    expect(result.changes.filter(change => change.kind === 'added').map(change => change.after.split(' ')[0])).toEqual(['ProxyAuth', 'ProxyUserName', 'ProxyPassword', 'ProxyAccess']);
    expect(texts[at + 5]).toBe('');
    expect(texts[at + 6]).toBe('[Cache]');
  });

  it('adds all keys right after the shipped comment block when none exists', () => {
    const texts = apply(load('keys-missing-all.conf'), {kind: 'set', settings: noAuth}).lines.map(line => line.text);
    const at = texts.indexOf('#   values.');
    expect(texts.slice(at + 1, at + 5)).toEqual(['ProxyPort = 3128', 'ProxyServerAddress = proxy.example.com', 'ProxyAuth = NoAuth', 'ProxyAccess = 1']);
  });

  it('vendor shape: empty-valued keys become `Key = value`, sections and the missing final newline stay', () => {
    const original = load('vendor-shape.conf');
    const result = applyProxyChange(original, {kind: 'set', settings: {server: 'px.corp.test', port: 8080, auth: 'NoAuth'}});
    expect(result.changes.map(change => `${change.line}:${change.after}`)).toEqual(['18:ProxyPort = 8080', '19:ProxyServerAddress = px.corp.test', '20:ProxyAuth = NoAuth', '23:ProxyAccess = 1']);
    const bytes = serializeTextDocument(result.document).toString('latin1');
    expect(bytes.endsWith('[LocalView]\nLocal_view=1')).toBe(true);
    expect(bytes).not.toMatch(/ =\S/);
    expect(bytes).toContain('#ProxyUserName =\n#ProxyPassword =\n');
    expect(bytes.includes('\r')).toBe(false);
  });

  it('a line that has a value keeps its own style', () => {
    const document = parseTextBytes(Buffer.from('[Connectivity]\n#ProxyPort=80\n#ProxyServerAddress =myproxy\n#ProxyAuth =\n#ProxyAccess = 1\n'));
    const texts = reparse(applyProxyChange(document, {kind: 'set', settings: noAuth}).document).lines.map(line => line.text);
    expect(texts).toEqual(['[Connectivity]', 'ProxyPort=3128', 'ProxyServerAddress =proxy.example.com', 'ProxyAuth = NoAuth', 'ProxyAccess = 1']);
  });

  it('missing proxy keys go into [Connectivity] after its last key, not under the proxy comment in [General]', () => {
    const original = load('vendor-shape-no-proxy-keys.conf');
    const texts = apply(original, {kind: 'set', settings: noAuth}).lines.map(line => line.text);
    const at = texts.indexOf('Connection_timeout=10');
    expect(texts.slice(at - 3, at + 6)).toEqual([
      '[Connectivity]',
      'License_key_code = 0000-1111-2222-3333-4444',
      'Server_address = resolver%d.example-ct.ctmail.com',
      'Connection_timeout=10',
      'ProxyPort = 3128',
      'ProxyServerAddress = proxy.example.com',
      'ProxyAuth = NoAuth',
      'ProxyAccess = 1',
      '',
    ]);
    const general = texts.findIndex(text => text.includes('Proxy Server settings'));
    expect(texts[general + 1]).toBe('Work_dir = /var/lib/ctasd');
  });

  it('an empty [Connectivity] gets the keys right under its header; sections without [Connectivity] are refused', () => {
    const empty = parseTextBytes(Buffer.from('[General]\n# proxy server settings below\n[Connectivity]\n[AV]\nx=1\n'));
    expect(reparse(applyProxyChange(empty, {kind: 'set', settings: noAuth}).document).lines.map(line => line.text).slice(2, 7)).toEqual([
      '[Connectivity]',
      'ProxyPort = 3128',
      'ProxyServerAddress = proxy.example.com',
      'ProxyAuth = NoAuth',
      'ProxyAccess = 1',
    ]);
    const noConnectivity = parseTextBytes(Buffer.from('[General]\n#   If you connect to the Internet through a proxy server, you\nx=1\n'));
    expect(() => applyProxyChange(noConnectivity, {kind: 'set', settings: noAuth})).toThrow(/no \[Connectivity\] section/);
  });

  it('refuses to guess a place when there is neither a proxy key, nor [Connectivity], nor the comment block in a file without sections', () => {
    const original = load('no-connectivity.conf');
    expect(() => applyProxyChange(original, {kind: 'set', settings: noAuth})).toThrow(ProxyEditError);
    expect(() => applyProxyChange(original, {kind: 'set', settings: noAuth})).toThrow(/does not guess/);
    expect(applyProxyChange(original, {kind: 'disable'}).changes).toEqual([]);
  });

  it('duplicated keys: every active copy is set, commented copies stay, and the state warns', () => {
    const original = load('duplicated.conf');
    expect(readProxyState(original).warnings.join(' ')).toMatch(/ProxyPort is set 2 times with different values/);
    const set = apply(original, {kind: 'set', settings: noAuth});
    const texts = set.lines.map(line => line.text);
    expect(texts.filter(text => text === 'ProxyPort = 3128')).toHaveLength(2);
    expect(texts).toContain('#ProxyPort = 80');
    expect(texts).toContain('#ProxyServerAddress = other');
    expect(texts.filter(text => text === 'ProxyServerAddress = proxy.example.com')).toHaveLength(1);
    const disabled = readProxyState(apply(set, {kind: 'disable'}));
    expect(disabled.status).toBe('disabled');
  });

  it('no trailing newline stays without one, also when a key is appended at the end', () => {
    const original = load('no-trailing-newline.conf');
    const bytes = serializeTextDocument(applyProxyChange(original, {kind: 'set', settings: noAuth}).document);
    expect(bytes.toString().endsWith('ProxyAccess = 1')).toBe(true);
    const truncated = parseTextBytes(Buffer.from('#   If you connect to the Internet through a proxy server, you\r\n#ProxyPort = 80'));
    const appended = serializeTextDocument(applyProxyChange(truncated, {kind: 'set', settings: noAuth}).document).toString();
    expect(appended).toBe('#   If you connect to the Internet through a proxy server, you\r\nProxyPort = 3128\r\nProxyServerAddress = proxy.example.com\r\nProxyAuth = NoAuth\r\nProxyAccess = 1');
  });

  it('refuses values the encoding cannot hold', () => {
    expect(() => applyProxyChange(load('latin1.conf'), {kind: 'set', settings: {...basic, password: 'pass\u0141'}})).toThrow(/cannot hold/);
    expect(() => applyProxyChange(load('latin1.conf'), {kind: 'set', settings: {...basic, password: 'pass\u0141'}})).not.toThrow(/\u0141/);
    expect(readProxyState(apply(load('utf16le.conf'), {kind: 'set', settings: {...basic, password: 'pass\u20ac\u00fc'}})).passwordSet).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------

const otherLine = fc.oneof(
  fc.constantFrom('', '[Connectivity]', '[General]', 'Port = 8088', 'Server_address = r.ctmail.com', '# comment', '#   values.', 'Proxy_note = x', '#Proxy', 'ProxyPorts = 1', '  indented = 1', '# ProxyPort is documented below'),
  fc.string({unit: fc.constantFrom('a', 'b', '=', ' ', '#', '[', ']', '\u00e4', '\t'), maxLength: 10}),
);
const proxyLine = fc.record({
  hash: fc.constantFrom('', '#', '# ', '#\t'),
  indent: fc.constantFrom('', ' ', '\t'),
  key: fc.constantFrom('ProxyPort', 'proxyport', 'ProxyServerAddress', 'PROXYAUTH', 'ProxyUserName', 'ProxyPassword', 'ProxyAccess'),
  before: fc.constantFrom('', ' ', '\t', '  '),
  after: fc.constantFrom('', ' ', '\t'),
  value: fc.constantFrom('80', 'myproxy', 'NoAuth', 'user@proxy', '1234', '1', ''),
}).map(line => `${line.indent}${line.hash}${line.key}${line.before}=${line.after}${line.value}`);
const fileArb = fc.record({
  lines: fc.array(fc.record({text: fc.oneof(otherLine, proxyLine, fc.constant('#   If you connect to the Internet through a proxy server, you')), ending: fc.constantFrom('\r\n', '\n')}), {maxLength: 25}),
  trailing: fc.boolean(),
  encoding: fc.constantFrom('utf8', 'utf8-bom', 'utf16le'),
});
const safeText = fc.string({unit: fc.constantFrom('a', 'Z', '9', '.', '-', '@', '\\', ' ', '=', '#', '\u00e4'), minLength: 1, maxLength: 12}).filter(text => text.trim() === text && !text.startsWith('#'));
const changeArb: fc.Arbitrary<ProxyChange> = fc.oneof(
  fc.constant<ProxyChange>({kind: 'disable'}),
  fc.record({server: fc.constantFrom('proxy.example.com', '10.1.2.3', 'p'), port: fc.integer({min: 1, max: 65535}), auth: fc.constantFrom('NoAuth' as const, 'Basic' as const), user: safeText, password: safeText}).map(settings => ({kind: 'set' as const, settings})),
);

function buildFile(file: {lines: {text: string; ending: string}[]; trailing: boolean; encoding: string}): Buffer {
  let text = file.lines.map(line => line.text + line.ending).join('');
  if (!file.trailing) text = text.replace(/\r?\n$/, '');
  if (file.encoding === 'utf16le') return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  return Buffer.concat([file.encoding === 'utf8-bom' ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);
}

describe('property: no edit touches other lines', () => {
  it('any sequence of set/disable on any file keeps every non-proxy line byte-identical and in order', () => {
    fc.assert(
      fc.property(fileArb, fc.array(changeArb, {minLength: 1, maxLength: 4}), (file, changes) => {
        const original = parseTextBytes(buildFile(file));
        let current = original;
        for (const change of changes) {
          let result;
          try {
            result = applyProxyChange(current, change);
          } catch (error) {
            // Only allowed refusal: nowhere documented to put missing keys.
            expect(error).toBeInstanceOf(ProxyEditError);
            expect(readProxyState(current).status).toBe('no-proxy-lines');
            continue;
          }
          current = reparse(result.document);
          expectOnlyProxyLinesChanged(original, current);
          const state = readProxyState(current);
          if (change.kind === 'disable') expect(state.status === 'disabled' || state.status === 'no-proxy-lines').toBe(true);
          else {
            expect(state).toMatchObject({status: 'enabled', server: change.settings.server, port: String(change.settings.port), auth: change.settings.auth});
            if (change.settings.auth === 'Basic') expect(state).toMatchObject({user: change.settings.user, passwordSet: true});
            else expect(state.passwordSet).toBe(false);
          }
        }
      }),
      {numRuns: 300},
    );
  });
});
