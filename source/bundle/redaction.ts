import {decodeText, encodeText, hasUtf16Bom} from './text-encoding.js';

/** What replaces every redacted value (never the value, never its length). */
export const redactionMarker = '***REDACTED***';

/** A value the bundle must never contain, with where it came from (shown instead of the value). */
export interface KnownSecret {
  value: string;
  origin: string;
}

export interface RedactionResult {
  text: string;
  count: number;
  /** Values taken out by key; they are also masked wherever else they appear. */
  found: KnownSecret[];
}

/** Keys of the CYREN conf files that always hold a secret (the KB's proxy block and the licence). */
export const confSecretKeys = ['ProxyPassword', 'ProxyUserName', 'License_key_code'];

/** Names that look like a secret: password, pwd, secret, key, token, bind password, credential. */
const secretName = /pass(?:word)?|pwd|secret|key|token|credential|bindpw/i;
/** Attribute names that identify a setting rather than hold one. */
const identifierNames = new Set(['key', 'name', 'type', 'keytype', 'keyusage', 'keysize']);

function isSecretName(name: string): boolean {
  return !identifierNames.has(name.toLowerCase()) && secretName.test(name);
}

/** Values that are certainly not secrets and must not become "known secrets" (they would mask everything). */
function worthRemembering(value: string): boolean {
  const trimmed = value.trim();
  return trimmed.length >= 4 && !/^(?:true|false|yes|no|none|noauth|basic|null|\d{1,5})$/i.test(trimmed) && trimmed !== redactionMarker;
}

/**
 * `Key = value` files (ctasd.conf & co.): the KB's secret keys and any key named like a secret,
 * commented-out lines included (an admin may have commented out a real password).
 */
export function redactConfText(text: string, origin: string): RedactionResult {
  let count = 0;
  const found: KnownSecret[] = [];
  const lines = text.split(/(\r?\n)/);
  for (let index = 0; index < lines.length; index += 2) {
    const line = lines[index]!;
    const match = /^(\s*(#\s*)?([A-Za-z0-9_.-]+)\s*=\s*)(.*?)(\s*)$/.exec(line);
    if (!match) continue;
    const [, prefix, comment, key, value, trailing] = match as unknown as [string, string, string | undefined, string, string, string];
    const wanted = confSecretKeys.some(name => name.toLowerCase() === key.toLowerCase()) || isSecretName(key);
    if (!wanted || value.length === 0 || value === redactionMarker) continue;
    lines[index] = `${prefix}${redactionMarker}${trailing}`;
    count++;
    // A commented-out KB placeholder (ProxyPassword = 1234) is redacted in place but not hunted for elsewhere.
    if (!comment && worthRemembering(value)) found.push({value, origin: `${origin} ${key}`});
  }
  return {text: lines.join(''), count, found};
}

/** Parts of a connection string named like a secret: "Password=…;", "pwd=…". */
function redactConnectionString(value: string, origin: string, found: KnownSecret[]): {value: string; count: number} {
  let count = 0;
  const replaced = value.replace(/(^|;)(\s*)([^=;]+?)(\s*=\s*)([^;]*)/g, (whole, separator: string, space: string, name: string, equals: string, part: string) => {
    if (!isSecretName(name) || part.length === 0 || part === redactionMarker) return whole;
    count++;
    if (worthRemembering(part)) found.push({value: part, origin: `${origin} ${name.trim()}`});
    return `${separator}${space}${name}${equals}${redactionMarker}`;
  });
  return {value: replaced, count};
}

/**
 * XML (.config): attributes named like a secret, `<add key="…Password" value="…"/>` settings,
 * elements named like a secret, and the secret parts of connection strings.
 */
export function redactXmlText(text: string, origin: string): RedactionResult {
  let count = 0;
  const found: KnownSecret[] = [];
  const remember = (value: string, name: string) => {
    count++;
    if (worthRemembering(decodeXmlEntities(value))) found.push({value: decodeXmlEntities(value), origin: `${origin} ${name}`});
    if (worthRemembering(value) && value !== decodeXmlEntities(value)) found.push({value, origin: `${origin} ${name}`});
  };
  let result = text.replace(/<([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)(\s*\/?>)/g, (_whole, tag: string, attributes: string, end: string) => {
    const pairs = [...attributes.matchAll(/([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)];
    const settingName = pairs.find(pair => /^(key|name)$/i.test(pair[1]!))?.[3] ?? pairs.find(pair => /^(key|name)$/i.test(pair[1]!))?.[4];
    const settingIsSecret = settingName !== undefined && isSecretName(settingName);
    const rewritten = attributes.replace(/([\w:.-]+)(\s*=\s*)("([^"]*)"|'([^']*)')/g, (pair, name: string, equals: string, quoted: string, double?: string, single?: string) => {
      const value = double ?? single ?? '';
      const quote = quoted[0]!;
      if (value.length === 0 || value === redactionMarker) return pair;
      if (isSecretName(name) || (settingIsSecret && /^value$/i.test(name))) {
        remember(value, settingIsSecret && /^value$/i.test(name) ? settingName! : name);
        return `${name}${equals}${quote}${redactionMarker}${quote}`;
      }
      if (/connectionstring/i.test(name) || /(?:^|;)\s*(?:password|pwd)\s*=/i.test(value)) {
        const redacted = redactConnectionString(value, `${origin} ${name}`, found);
        if (redacted.count === 0) return pair;
        count += redacted.count;
        return `${name}${equals}${quote}${redacted.value}${quote}`;
      }
      return pair;
    });
    return `<${tag}${rewritten}${end}`;
  });
  // <Password>value</Password>
  result = result.replace(/<([A-Za-z_][\w:.-]*)(\s[^>]*)?>([^<]+)<\/\1>/g, (whole, tag: string, attributes: string | undefined, value: string) => {
    if (!isSecretName(tag.split(':').pop()!) || value.trim().length === 0 || value === redactionMarker) return whole;
    remember(value.trim(), tag);
    return `<${tag}${attributes ?? ''}>${redactionMarker}</${tag}>`;
  });
  return {text: result, count, found};
}

function decodeXmlEntities(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Replaces every known secret value in a text (longest first) and counts the replacements. */
export function maskKnownValues(text: string, secrets: readonly KnownSecret[]): {text: string; count: number} {
  let count = 0;
  let masked = text;
  for (const secret of [...secrets].sort((a, b) => b.value.length - a.value.length)) {
    if (secret.value.length === 0) continue;
    const parts = masked.split(secret.value);
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

/** Redacts a whole (small) text file by key, in its own encoding (UTF-8, UTF-8 BOM, UTF-16 LE). */
export function redactFileBytes(bytes: Buffer, rule: RedactionRule, origin: string): {bytes: Buffer; count: number; found: KnownSecret[]} {
  if (rule === 'none') return {bytes, count: 0, found: []};
  const {text, encoding} = decodeText(bytes);
  const result = rule === 'conf' ? redactConfText(text, origin) : redactXmlText(text, origin);
  if (result.count === 0) return {bytes, count: 0, found: result.found};
  return {bytes: encodeText(result.text, encoding, hasUtf16Bom(bytes)), count: result.count, found: result.found};
}
