import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {disableTunnel, enableTunnel, readTunnelState, TunnelConfigError} from '../../source/recipes/tcp-tunnel/tunnel-edit.js';
import {checkWellFormed} from '../../source/recipes/xml/well-formed.js';
import {fixtureDir, isSingleSplice} from './corpus.js';

const fixture = (name: string) => readFileSync(join(fixtureDir, name), 'utf8');

describe('TCP tunnel edit (pure text)', () => {
  it('inserts the element on the line below the opening proxyconfiguration tag, with the child indentation and CRLF', () => {
    const text = fixture('absent-crlf.config');
    expect(readTunnelState(text)).toMatchObject({proxyConfigurationFound: true, servicePointFound: false, enabled: false});
    const edit = enableTunnel(text);
    expect(edit.changed).toBe(true);
    expect(edit.text).toContain('  <netatwork.nospamproxy.proxyconfiguration>\r\n    <smtpServicePointConfiguration isProxyTunnelEnabled="true" />\r\n    <connectionLimits');
    expect(isSingleSplice(text, edit.text, '', '    <smtpServicePointConfiguration isProxyTunnelEnabled="true" />\r\n')).toBe(true);
    expect(checkWellFormed(edit.text)).toBeUndefined();
    expect(readTunnelState(edit.text)).toMatchObject({enabled: true, attributeValue: 'true'});
  });

  it('keeps LF files LF and tab-indented files tab-indented', () => {
    const lf = enableTunnel(fixture('absent-lf.config')).text;
    expect(lf).not.toContain('\r');
    expect(lf).toContain('<netatwork.nospamproxy.proxyconfiguration>\n    <smtpServicePointConfiguration isProxyTunnelEnabled="true" />\n');
    const tabs = enableTunnel(fixture('tabs-lf.config')).text;
    expect(tabs).toContain('\t<netatwork.nospamproxy.proxyconfiguration>\n\t\t<smtpServicePointConfiguration isProxyTunnelEnabled="true" />\n\t\t<connectionLimits');
  });

  it('indents one level below an element without children, using the file step', () => {
    const text = fixture('proxyconfiguration-empty.config');
    const edit = enableTunnel(text);
    expect(edit.text).toContain('  <netatwork.nospamproxy.proxyconfiguration>\n    <smtpServicePointConfiguration isProxyTunnelEnabled="true" />\n  </netatwork.nospamproxy.proxyconfiguration>');
  });

  it('expands a self-closing proxyconfiguration element so the new child is inside it', () => {
    const text = fixture('proxyconfiguration-self-closing.config');
    const edit = enableTunnel(text);
    expect(isSingleSplice(text, edit.text, ' />', '>\r\n    <smtpServicePointConfiguration isProxyTunnelEnabled="true" />\r\n  </netatwork.nospamproxy.proxyconfiguration>')).toBe(true);
    expect(edit.text).toContain('  <netatwork.nospamproxy.proxyconfiguration>\r\n    <smtpServicePointConfiguration isProxyTunnelEnabled="true" />\r\n  </netatwork.nospamproxy.proxyconfiguration>\r\n');
    expect(checkWellFormed(edit.text)).toBeUndefined();
    expect(readTunnelState(edit.text).enabled).toBe(true);
  });

  it('adds the attribute to an existing self-closing element after its last attribute', () => {
    const text = fixture('no-attribute-self-closing.config');
    const edit = enableTunnel(text);
    expect(isSingleSplice(text, edit.text, '', ' isProxyTunnelEnabled="true"')).toBe(true);
    expect(edit.text).toContain('<smtpServicePointConfiguration port="25" isProxyTunnelEnabled="true" />');
  });

  it('adds the attribute to an element with content and attributes over several lines', () => {
    const text = fixture('no-attribute-open-close.config');
    const edit = enableTunnel(text);
    expect(isSingleSplice(text, edit.text, '', ' isProxyTunnelEnabled="true"')).toBe(true);
    expect(edit.text).toContain('bindAddress="0.0.0.0" isProxyTunnelEnabled="true">');
    expect(readTunnelState(edit.text).enabled).toBe(true);
  });

  it('flips an existing value in place, keeping its quote style and everything else', () => {
    const text = fixture('attribute-false.config');
    expect(readTunnelState(text)).toMatchObject({enabled: false, attributeValue: 'False'});
    const edit = enableTunnel(text);
    expect(isSingleSplice(text, edit.text, 'False', 'true')).toBe(true);
    expect(edit.text).toContain("isProxyTunnelEnabled='true' tlsMode");
    const back = disableTunnel(edit.text);
    expect(isSingleSplice(edit.text, back.text, 'true', 'false')).toBe(true);
  });

  it('reports no change when already in the wanted state', () => {
    const on = fixture('attribute-true.config');
    expect(enableTunnel(on)).toMatchObject({changed: false, text: on});
    const off = fixture('absent-crlf.config');
    expect(disableTunnel(off)).toMatchObject({changed: false, text: off});
    const noAttribute = fixture('no-attribute-self-closing.config');
    expect(disableTunnel(noAttribute).changed).toBe(false);
  });

  it('disables by setting the value to false and nothing else', () => {
    const text = fixture('attribute-true.config');
    const edit = disableTunnel(text);
    expect(isSingleSplice(text, edit.text, 'true', 'false')).toBe(true);
    expect(readTunnelState(edit.text).enabled).toBe(false);
  });

  it('ignores an element that only appears inside a comment', () => {
    const text = fixture('only-in-comment.config');
    expect(readTunnelState(text).servicePointFound).toBe(false);
    const edit = enableTunnel(text);
    expect(edit.text).toContain('<!-- <smtpServicePointConfiguration isProxyTunnelEnabled="true" /> -->');
    expect(edit.text).toContain('<netatwork.nospamproxy.proxyconfiguration>\r\n    <smtpServicePointConfiguration isProxyTunnelEnabled="true" />\r\n');
  });

  it('refuses a malformed file with line and column, and names what it looked for when elements are missing', () => {
    expect(() => enableTunnel(fixture('malformed.config'))).toThrow(/not well-formed XML at line 13, column 3: the end tag <\/netatwork.nospamproxy.proxyconfiguration> does not match the start tag <connectionLimits>/);
    expect(() => readTunnelState(fixture('malformed.config'))).toThrow(TunnelConfigError);
    expect(() => enableTunnel(fixture('no-sections.config'))).toThrow(/neither <smtpServicePointConfiguration \.\.\.> nor <netatwork.nospamproxy.proxyconfiguration>/);
    expect(() => enableTunnel(fixture('duplicate-service-point.config'))).toThrow(/2 <smtpServicePointConfiguration> elements \(lines 12, 13\)/);
  });

  it('keeps a UTF-8 BOM in the decoded text untouched', () => {
    const text = fixture('absent-bom-crlf.config');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const edit = enableTunnel(text);
    expect(edit.text.charCodeAt(0)).toBe(0xfeff);
    expect(isSingleSplice(text, edit.text, '', '    <smtpServicePointConfiguration isProxyTunnelEnabled="true" />\r\n')).toBe(true);
  });

  it('warns about a value that is neither true nor false', () => {
    const text = fixture('attribute-true.config').replace('isProxyTunnelEnabled="true"', 'isProxyTunnelEnabled="yes"');
    expect(readTunnelState(text)).toMatchObject({enabled: false, warning: expect.stringContaining('neither true nor false')});
  });
});
