import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {disableTunnel, enableTunnel, readTunnelState} from '../../source/recipes/tcp-tunnel/tunnel-edit.js';
import {checkWellFormed} from '../../source/recipes/xml/well-formed.js';
import {isSingleSplice} from './corpus.js';

/** Generated Gateway Role.config variants: line endings, indentation, sibling elements, comments, the element in any form. */
const configuration = fc
  .record({
    eol: fc.constantFrom('\r\n', '\n'),
    unit: fc.constantFrom('  ', '    ', '\t'),
    siblingsBefore: fc.integer({min: 0, max: 2}),
    children: fc.integer({min: 0, max: 3}),
    servicePoint: fc.constantFrom('none', 'bare', 'other-attribute', 'true', 'false', 'open-close'),
    position: fc.integer({min: 0, max: 3}),
    comment: fc.boolean(),
  })
  .map(shape => {
    const {eol, unit} = shape;
    const lines = ['<?xml version="1.0" encoding="utf-8"?>', '<configuration>'];
    for (let index = 0; index < shape.siblingsBefore; index++) lines.push(`${unit}<section${index} value="a &amp; b" />`);
    if (shape.comment) lines.push(`${unit}<!-- <smtpServicePointConfiguration isProxyTunnelEnabled="true" /> -->`);
    lines.push(`${unit}<netatwork.nospamproxy.proxyconfiguration>`);
    const children = Array.from({length: shape.children}, (_, index) => `${unit}${unit}<child${index} limit="${index}" />`);
    const servicePoint = {
      none: undefined,
      bare: '<smtpServicePointConfiguration />',
      'other-attribute': '<smtpServicePointConfiguration port="25"/>',
      true: '<smtpServicePointConfiguration isProxyTunnelEnabled="true" />',
      false: "<smtpServicePointConfiguration isProxyTunnelEnabled='false' port=\"25\" />",
      'open-close': '<smtpServicePointConfiguration port="25"></smtpServicePointConfiguration>',
    }[shape.servicePoint];
    if (servicePoint) children.splice(Math.min(shape.position, children.length), 0, `${unit}${unit}${servicePoint}`);
    lines.push(...children, `${unit}</netatwork.nospamproxy.proxyconfiguration>`, '</configuration>', '');
    return {text: lines.join(eol), shape};
  });

/** Lengths of the common prefix and suffix: the edit is one contiguous region. */
function region(before: string, after: string): {removed: string; added: string} {
  let prefix = 0;
  while (prefix < Math.min(before.length, after.length) && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (suffix < Math.min(before.length, after.length) - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  return {removed: before.slice(prefix, before.length - suffix), added: after.slice(prefix, after.length - suffix)};
}

describe('TCP tunnel edit, generated configurations', () => {
  it('enable gives well-formed XML with the tunnel on, changing one small region and keeping the line endings', () => {
    fc.assert(
      fc.property(configuration, ({text, shape}) => {
        const edit = enableTunnel(text);
        expect(checkWellFormed(edit.text)).toBeUndefined();
        expect(readTunnelState(edit.text).enabled).toBe(true);
        const {removed, added} = region(text, edit.text);
        expect(removed.length).toBeLessThanOrEqual('false'.length);
        expect(added.length).toBeLessThanOrEqual(`${shape.unit}${shape.unit}<smtpServicePointConfiguration isProxyTunnelEnabled="true" />${shape.eol}`.length + 2);
        if (shape.eol === '\n') expect(edit.text).not.toContain('\r');
        else expect(edit.text.split('\n').length - 1).toBe(edit.text.split('\r\n').length - 1);
        expect(edit.changed).toBe(shape.servicePoint !== 'true');
      }),
      {numRuns: 300},
    );
  });

  it('disable after enable leaves the tunnel off and differs from the enabled text in the value only', () => {
    fc.assert(
      fc.property(configuration, ({text}) => {
        const on = enableTunnel(text).text;
        const off = disableTunnel(on);
        expect(readTunnelState(off.text).enabled).toBe(false);
        expect(isSingleSplice(on, off.text, 'true', 'false')).toBe(true);
        expect(disableTunnel(off.text).changed).toBe(false);
        expect(enableTunnel(off.text).text).toBe(on);
      }),
      {numRuns: 300},
    );
  });
});
