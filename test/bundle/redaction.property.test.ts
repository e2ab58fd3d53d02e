import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {parseConnectionString, quoteConnectionValue} from '../../source/bundle/connection-string.js';
import {redactFileBytes, redactionMarker} from '../../source/bundle/redaction.js';
import {decodeText, encodingsOf} from '../../source/system/text-codec.js';
import {corpusEncodings, encodeAs, onlyMarkersChanged} from './secret-corpus.js';

const secretChar = fc.constantFrom(...'abcxyz0123456789;\'"&<>=-_!#%ä€ '.split(''));
/** Secret values with every character that breaks naive redaction; no leading/trailing space. */
const secretValue = fc.string({unit: secretChar, minLength: 6, maxLength: 16}).map(value => `s${value.trim()}9`);
const fillerLine = fc.constantFrom('<setting name="Mode"><value>fast</value></setting>', '<server host="mail.example.test" port="25" />', '<!-- maintained by IT -->', '<dn>CN=Müller für Straße</dn>', '<note>Grüße €</note>');

const attrEscape = (value: string, quote: '"' | "'") => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(quote === '"' ? /"/g : /'/g, quote === '"' ? '&quot;' : '&apos;');
const textEscape = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const secretNames = ['password', 'SmtpPassword', 'pwd', 'apiKey', 'ClientSecret', 'token', 'LicenseKey', 'licenceCode', 'credential'];

/** One way a .NET / NoSpamProxy config file holds a secret. */
const xmlForms: ((value: string, name: string, quote: '"' | "'") => string)[] = [
  (value, name, quote) => `<x ${name}=${quote}${attrEscape(value, quote)}${quote} other="1" />`,
  (value, name, quote) => `<add key="Db${name}" value=${quote}${attrEscape(value, quote)}${quote} />`,
  (value, name) => `<setting name="Web${name}" serializeAs="String">\n  <value>${textEscape(value)}</value>\n</setting>`,
  (value, name) => `<${name}>${textEscape(value)}</${name}>`,
  (value, name) => (value.includes(']]>') ? `<${name}>${textEscape(value)}</${name}>` : `<${name}><![CDATA[${value}]]></${name}>`),
  (value, name, quote) => `<add name="db" connectionString=${quote}${attrEscape(`Server=s; ${name} = ${quoteConnectionValue(value)} ;Encrypt=True`, quote)}${quote} />`,
  (value, name) => (value.includes('--') ? '' : `<!-- ${name}=${quoteConnectionValue(value)} -->`),
  (value, name, quote) => (value.includes('--') ? '' : `<!-- <add key="Old${name}" value=${quote}${attrEscape(value, quote)}${quote} /> -->`),
];

const placement = fc.record({secret: secretValue, form: fc.integer({min: 0, max: xmlForms.length - 1}), name: fc.constantFrom(...secretNames), quote: fc.constantFrom<'"' | "'">('"', "'")});
const xmlDocument = fc.record({
  lines: fc.array(fc.oneof(fillerLine.map(line => ({filler: line})), placement.map(place => ({place}))), {minLength: 1, maxLength: 12}),
  encoding: fc.constantFrom(...corpusEncodings),
});

describe('redaction properties', () => {
  it('random config text with random secrets in random forms never leaks; non-secret bytes stay identical', () => {
    fc.assert(
      fc.property(xmlDocument, document => {
        const secrets: string[] = [];
        const body = document.lines
          .map(line => {
            if ('filler' in line) return line.filler;
            const text = xmlForms[line.place.form]!(line.place.secret, line.place.name, line.place.quote);
            if (text) secrets.push(line.place.secret);
            return text;
          })
          .join('\n');
        const original = encodeAs(`<?xml version="1.0"?>\n<configuration>\n${body}\n</configuration>\n`, document.encoding);
        const result = redactFileBytes(original, 'xml', 'random.config');
        for (const secret of secrets) {
          for (const form of encodingsOf(secret)) expect(result.bytes.includes(form), `leaked ${JSON.stringify(secret)}`).toBe(false);
        }
        const before = decodeText(original);
        const after = decodeText(result.bytes);
        // An ANSI file whose only non-ASCII characters were in a secret is plain ASCII afterwards.
        if (after.encoding !== before.encoding) expect(result.bytes.every(byte => byte < 0x80)).toBe(true);
        expect(onlyMarkersChanged(before.text, after.text)).toBe(true);
        // Lines that hold no secret are untouched.
        for (const line of document.lines) {
          if ('filler' in line && !secrets.some(secret => line.filler.includes(secret))) expect(after.text).toContain(line.filler);
        }
      }),
      {numRuns: 300},
    );
  });

  it('CYREN conf: any secret value in the KB keys never leaks, in any encoding', () => {
    const conf = fc.record({user: secretValue, password: secretValue, licence: secretValue, encoding: fc.constantFrom(...corpusEncodings)});
    fc.assert(
      fc.property(conf, file => {
        const text = `[Connectivity]\nLicense_key_code = ${file.licence}\nServer_address = ${file.licence}.resolver1.ctmail.com\nProxyUserName = ${file.user}\nProxyPassword = ${file.password}\nProxyPort = 8080\n`;
        const result = redactFileBytes(encodeAs(text, file.encoding), 'conf', 'ctasd.conf');
        for (const secret of [file.user, file.password, file.licence]) for (const form of encodingsOf(secret)) expect(result.bytes.includes(form)).toBe(false);
        expect(decodeText(result.bytes).text).toContain('ProxyPort = 8080\r\n');
        expect(decodeText(result.bytes).text).toContain(`${redactionMarker}.resolver1.ctmail.com`);
      }),
      {numRuns: 200},
    );
  });
});

describe('connection strings (ADO.NET rules)', () => {
  const key = fc.string({unit: fc.constantFrom(...'abcdXYZ _'.split('')), minLength: 1, maxLength: 10}).filter(value => value.trim().length > 0);
  const value = fc.string({unit: fc.constantFrom(...'ab1;\'"= {}\t'.split('')), maxLength: 12});

  it('reads back every value, however it is quoted, with spaces around "="', () => {
    fc.assert(
      fc.property(fc.array(fc.record({key, value, spaceBefore: fc.constantFrom('', ' ', '  '), spaceAfter: fc.constantFrom('', ' ')}), {minLength: 1, maxLength: 6}), pairs => {
        const text = pairs.map(pair => `${pair.key}${pair.spaceBefore}=${pair.spaceAfter}${quoteConnectionValue(pair.value)}`).join(';');
        const parsed = parseConnectionString(text);
        expect(parsed.map(part => part.key)).toEqual(pairs.map(pair => pair.key.trim()));
        expect(parsed.map(part => part.value)).toEqual(pairs.map(pair => pair.value));
        for (const part of parsed) expect(text.slice(part.valueStart, part.valueEnd)).toBe(quoteConnectionValue(part.value));
      }),
    );
  });

  it('handles the quoted forms that leaked before', () => {
    const cases: [string, string, string][] = [
      ["Password='Quo;ted-779';x=1", 'Password', 'Quo;ted-779'],
      ['password = "DQ;uo=780" ; y=2', 'password', 'DQ;uo=780'],
      ["Pwd='It''s;x'", 'Pwd', "It's;x"],
      ['Password="a""b";', 'Password', 'a"b'],
      ['Password={br;ace}}};x=1', 'Password', 'br;ace}'],
      ["Password='unclosed;x=1", 'Password', 'unclosed;x=1'],
    ];
    for (const [text, name, expected] of cases) {
      const part = parseConnectionString(text).find(candidate => candidate.key === name);
      expect(part?.value, text).toBe(expected);
    }
  });
});
