import {describe, expect, it} from 'vitest';
import {checkWellFormed, parseXml} from '../../source/recipes/xml/well-formed.js';

describe('XML well-formedness checker', () => {
  it.each([
    ['<a/>'],
    ['\uFEFF<?xml version="1.0" encoding="utf-8"?>\r\n<a x="1" y=\'2\'>text &amp; &#65; &#x42; <![CDATA[<raw>]]><!-- c --><?pi data?><b></b ></a>\r\n'],
    ['<!-- before --><a>\n<b/>\n</a>\n<!-- after -->\n'],
  ])('accepts %j', text => {
    expect(checkWellFormed(text)).toBeUndefined();
  });

  it.each([
    ['', 'there is no root element'],
    ['<a>', 'never closed'],
    ['<a></b>', 'does not match'],
    ['<a x="1" x="2"/>', 'appears twice'],
    ['<a x=1/>', 'not in quotes'],
    ['<a x="<"/>', '"<" is not allowed'],
    ['<a>&nbsp;</a>', 'unknown entity'],
    ['<a>& b</a>', 'entity reference'],
    ['<a/><b/>', 'second root'],
    ['<a/>text', 'text after the root'],
    ['<a><!-- x -- y --></a>', '"--" is not allowed'],
    ['<!DOCTYPE a><a/>', 'DOCTYPE'],
    ['<a>\u0001</a>', 'control character'],
    ['<a x="1"y="2"/>', 'expected whitespace'],
    ['<a><?xml version="1.0"?></a>', 'only appear at the very start'],
  ])('refuses %j', (text, reason) => {
    expect(checkWellFormed(text)?.message).toContain(reason);
  });

  it('reports line and column across CRLF, LF and CR line endings', () => {
    expect(checkWellFormed('<a>\r\n<b>\n\r</c></a>')).toMatchObject({line: 4, column: 1});
  });

  it('gives element and attribute offsets that point into the text', () => {
    const text = '<root>\n  <item name="x &amp; y" other=\'2\' />\n</root>';
    const item = parseXml(text).elements.find(element => element.name === 'item')!;
    expect(text.slice(item.start, item.startTagEnd)).toBe('<item name="x &amp; y" other=\'2\' />');
    const name = item.attributes[0]!;
    expect(name.value).toBe('x & y');
    expect(text.slice(name.valueStart, name.valueEnd)).toBe('x &amp; y');
    expect(item.selfClosing).toBe(true);
    expect(item.parent?.name).toBe('root');
  });
});
