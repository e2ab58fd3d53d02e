import {learnSecret, secretForms, worthHunting, type KnownSecret} from '../system/secret-registry.js';
import {decodeText, encodeText} from '../system/text-codec.js';
import {parseConnectionString} from './connection-string.js';
import {decodeXmlText, scanXml} from './xml-scan.js';

export type {KnownSecret} from '../system/secret-registry.js';

/** What replaces every redacted value (never the value, never its length). */
export const redactionMarker = '***REDACTED***';

export interface RedactionResult {
  text: string;
  count: number;
  /** Values taken out by key; they are also masked wherever else they appear. */
  found: KnownSecret[];
}

/** Keys of the CYREN conf files that always hold a secret (the KB's proxy block and the licence). */
export const confSecretKeys = ['ProxyPassword', 'ProxyUserName', 'License_key_code'];

/** Names that hold a secret: password, pwd, secret, token, key, credential, licence/license, bind password. */
const secretName = /pass(?:word)?|pwd|secret|token|key|credential|licen[cs]e|bindpw/i;
/** Names that identify a setting (or name a public thing) rather than hold a secret. */
const identifierNames = new Set(['key', 'name', 'type', 'keytype', 'keyusage', 'keysize', 'keyname', 'publickeytoken', 'passwordformat', 'xmlns']);

export function isSecretName(name: string): boolean {
  const local = name.split(':').pop()!.trim();
  return local.length > 0 && !identifierNames.has(local.toLowerCase()) && secretName.test(local);
}

interface Edit {
  start: number;
  end: number;
}

/** Collects the spans to replace and the values found; spans may overlap (they are merged). */
class Redactions {
  readonly edits: Edit[] = [];
  readonly found: KnownSecret[] = [];
  constructor(readonly origin: string) {}

  /** Replaces [start, end) of the text; `value` is what it means (decoded), remembered unless `hunt` is false. */
  add(start: number, end: number, value: string, name: string, raw: string, hunt = true): void {
    if (end <= start || value.trim().length === 0 || value.trim() === redactionMarker) return;
    this.edits.push({start, end});
    if (!hunt) return;
    for (const candidate of new Set([value, value.trim(), raw, raw.trim()])) {
      if (worthHunting(candidate) && !this.found.some(secret => secret.value === candidate)) this.found.push({value: candidate, origin: `${this.origin} ${name}`});
    }
  }

  apply(text: string): RedactionResult {
    const sorted = [...this.edits].sort((a, b) => a.start - b.start || b.end - a.end);
    const merged: Edit[] = [];
    for (const edit of sorted) {
      const last = merged.at(-1);
      if (last && edit.start < last.end) last.end = Math.max(last.end, edit.end);
      else merged.push({...edit});
    }
    let result = '';
    let position = 0;
    for (const edit of merged) {
      result += text.slice(position, edit.start) + redactionMarker;
      position = edit.end;
    }
    result += text.slice(position);
    return {text: result, count: merged.length, found: this.found};
  }
}

/**
 * `Key = value` files (ctasd.conf & co.): the KB's secret keys and any key named like a secret,
 * commented-out lines included (an admin may have commented out a real password).
 */
export function redactConfText(text: string, origin: string): RedactionResult {
  const redactions = new Redactions(origin);
  const line = /^([ \t]*(#[ \t]*)?([A-Za-z0-9_.-]+)[ \t]*=[ \t]*)(.*?)[ \t]*$/gm;
  for (const match of text.matchAll(line)) {
    const [, prefix, comment, key, rawValue] = match as unknown as [string, string, string | undefined, string, string];
    const value = rawValue.replace(/[ \t]*\r$/, '');
    const wanted = confSecretKeys.some(name => name.toLowerCase() === key.toLowerCase()) || isSecretName(key);
    if (!wanted) continue;
    const start = match.index + prefix.length;
    // A commented-out KB placeholder (#ProxyPassword = 1234) is redacted in place but not hunted for elsewhere.
    redactions.add(start, start + value.length, value, key, value, !comment);
  }
  return redactions.apply(text);
}

/** Secret parts of connection strings and `Password = …` phrases in a decoded text, mapped back to raw offsets. */
function redactPairs(decoded: string, toRaw: (offset: number) => number, raw: (start: number, end: number) => string, redactions: Redactions, perLine: boolean): void {
  const pieces = perLine ? [...decoded.matchAll(/[^\r\n]+/g)].map(match => ({offset: match.index, text: match[0]})) : [{offset: 0, text: decoded}];
  for (const piece of pieces) {
    if (!piece.text.includes('=')) continue;
    for (const part of parseConnectionString(piece.text)) {
      // In free text the key is the last words before "=" ("the proxy Password = x").
      const key = perLine ? (part.key.split(/[\s,:(<>]+/).filter(Boolean).pop() ?? '') : part.key;
      if (!isSecretName(key) && !(perLine && isSecretName(part.key) && part.key.length <= 40)) continue;
      const start = toRaw(piece.offset + part.valueStart);
      const end = toRaw(piece.offset + part.valueEnd);
      redactions.add(start, end, part.value, key, raw(start, end));
    }
  }
}

interface OpenElement {
  name: string;
  /** <Password>, <ProxyPassword>: its text is a secret. */
  secret: boolean;
  /** <setting name="SmtpPassword"> / <add key="DbPassword">: its value (attribute or <value> child) is a secret. */
  secretSetting: boolean;
}

function localName(name: string): string {
  return name.split(':').pop()!.toLowerCase();
}

/**
 * XML (.config): what a parser sees, entity-decoded, is checked: attributes named like a secret,
 * `<add key="…Password" value="…"/>` (appSettings), `<setting name="…Password"><value>…</value>`
 * (applicationSettings), elements named like a secret (text and CDATA), connection-string parts in
 * any attribute or text, and the same inside comments. Replacements are written into the raw text,
 * so the rest of the file keeps its bytes and escaping.
 */
export function redactXmlText(text: string, origin: string): RedactionResult {
  const redactions = new Redactions(origin);
  redactXmlRange(text, 0, text.length, redactions, 0);
  return redactions.apply(text);
}

function redactXmlRange(text: string, from: number, to: number, redactions: Redactions, depth: number): void {
  const stack: OpenElement[] = [];
  const raw = (start: number, end: number) => text.slice(start, end);
  const redactWhole = (start: number, end: number, decoded: string, offsets: number[], name: string) => {
    const first = decoded.search(/\S/);
    if (first < 0) return;
    const last = decoded.trimEnd().length;
    redactions.add(offsets[first]!, offsets[last]!, decoded.slice(first, last), name, raw(offsets[first]!, offsets[last]!));
  };
  for (const token of scanXml(text, from, to)) {
    if (token.kind === 'start') {
      const settingAttribute = token.attributes.find(attribute => /^(key|name)$/i.test(attribute.name));
      const settingName = settingAttribute ? decodeXmlText(text, settingAttribute.valueStart, settingAttribute.valueEnd).decoded : '';
      const secretSetting = settingName !== '' && isSecretName(settingName);
      for (const attribute of token.attributes) {
        const {decoded, offsets} = decodeXmlText(text, attribute.valueStart, attribute.valueEnd);
        const lower = attribute.name.toLowerCase();
        if (isSecretName(attribute.name) || (secretSetting && (lower === 'value' || lower === 'connectionstring'))) {
          redactWhole(attribute.valueStart, attribute.valueEnd, decoded, offsets, secretSetting && !isSecretName(attribute.name) ? settingName : attribute.name);
        } else if (decoded.includes('=')) {
          redactPairs(decoded, index => offsets[index]!, raw, redactions, false);
        }
      }
      const element = {name: token.name, secret: isSecretName(token.name), secretSetting};
      if (!token.selfClosing) stack.push(element);
    } else if (token.kind === 'end') {
      const index = stack.map(open => open.name).lastIndexOf(token.name);
      if (index >= 0) stack.length = index;
    } else if (token.kind === 'text' || token.kind === 'cdata') {
      const decoded = token.kind === 'text' ? decodeXmlText(text, token.start, token.end) : {decoded: text.slice(token.start, token.end), offsets: Array.from({length: token.end - token.start + 1}, (_unused, index) => token.start + index)};
      const parent = stack.at(-1);
      const grandparent = stack.at(-2);
      const secretText = parent !== undefined && (parent.secret || parent.secretSetting || (localName(parent.name) === 'value' && grandparent?.secretSetting === true));
      if (secretText) redactWhole(token.start, token.end, decoded.decoded, decoded.offsets, parent.name);
      else if (decoded.decoded.includes('=')) redactPairs(decoded.decoded, index => decoded.offsets[index]!, raw, redactions, true);
    } else if (token.kind === 'comment') {
      // Commented-out settings are read as XML of their own, and as free text.
      if (depth < 2) redactXmlRange(text, token.start, token.end, redactions, depth + 1);
      const content = text.slice(token.start, token.end);
      if (content.includes('=')) redactPairs(content, index => token.start + index, raw, redactions, true);
    }
  }
}

/** Replaces every known secret value, in every spelling (XML, JSON, URL), longest first; counts the replacements. */
export function maskKnownValues(text: string, secrets: readonly KnownSecret[]): {text: string; count: number} {
  let count = 0;
  let masked = text;
  const forms = [...new Set(secrets.flatMap(secret => secretForms(secret.value)))].sort((a, b) => b.length - a.length);
  for (const form of forms) {
    if (form.length === 0 || !masked.includes(form)) continue;
    const parts = masked.split(form);
    count += parts.length - 1;
    masked = parts.join(redactionMarker);
  }
  return {text: masked, count};
}

export type RedactionRule = 'conf' | 'xml' | 'none';

export function redactionRuleFor(fileName: string): RedactionRule {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.conf') || lower.endsWith('.ini')) return 'conf';
  if (lower.endsWith('.config') || lower.endsWith('.xml')) return 'xml';
  return 'none';
}

/**
 * Redacts a whole (small) text file by key, in its own encoding (UTF-8 ±BOM, UTF-16 LE/BE,
 * windows-1252): bytes outside the redacted values stay identical. Found values join the
 * session's secrets, so they are masked wherever else they appear.
 */
export function redactFileBytes(bytes: Buffer, rule: RedactionRule, origin: string): {bytes: Buffer; count: number; found: KnownSecret[]} {
  if (rule === 'none') return {bytes, count: 0, found: []};
  const decoded = decodeText(bytes);
  const result = rule === 'conf' ? redactConfText(decoded.text, origin) : redactXmlText(decoded.text, origin);
  for (const secret of result.found) learnSecret(secret.value, secret.origin);
  // A value found by key may appear elsewhere in the same file (CYREN's Server_address holds the licence key).
  const masked = maskKnownValues(result.text, result.found);
  const count = result.count + masked.count;
  if (count === 0) return {bytes, count: 0, found: result.found};
  return {bytes: encodeText(masked.text, decoded), count, found: result.found};
}

/** Masks known values in a whole text entry, in its own encoding. */
export function maskTextBytes(bytes: Buffer, secrets: readonly KnownSecret[]): {bytes: Buffer; count: number} {
  if (secrets.length === 0) return {bytes, count: 0};
  const decoded = decodeText(bytes);
  const masked = maskKnownValues(decoded.text, secrets);
  if (masked.count === 0) return {bytes, count: 0};
  return {bytes: encodeText(masked.text, decoded), count: masked.count};
}
