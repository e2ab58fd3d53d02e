/**
 * Every secret value this session knows: typed into a password field, or learned from a
 * configuration file the console read (proxy password, licence key, connection-string passwords).
 * Nothing the console prints, records or zips may contain one; this is where they are masked.
 */

export interface KnownSecret {
  value: string;
  /** Where it came from, shown instead of the value ("ctasd.conf License_key_code"). */
  origin: string;
}

const secrets = new Map<string, KnownSecret>();
const typed = new Set<string>();

/** Shorter values are redacted by key only: hunting "123" everywhere would mask half of every log. */
export const minimumHuntedLength = 4;

/** Values that are certainly not secrets and must not be hunted (they would mask everything). */
export function worthHunting(value: string): boolean {
  const trimmed = value.trim();
  return trimmed.length >= minimumHuntedLength && !/^(?:true|false|yes|no|none|noauth|basic|null|\d{1,5}|\*+|\*\*\*REDACTED\*\*\*)$/i.test(trimmed);
}

/** A value the admin typed into a password field: masked whatever its length. */
export function rememberTypedSecret(value: string): void {
  if (value.length === 0) return;
  typed.add(value);
  if (!secrets.has(value)) secrets.set(value, {value, origin: 'a password typed in this session'});
}

/** A value learned from a file; trivial values (see worthHunting) are ignored. */
export function learnSecret(value: string, origin: string): void {
  if (!worthHunting(value) || secrets.has(value)) return;
  secrets.set(value, {value, origin});
  const trimmed = value.trim();
  if (trimmed !== value && worthHunting(trimmed) && !secrets.has(trimmed)) secrets.set(trimmed, {value: trimmed, origin});
}

export function knownSecrets(): readonly KnownSecret[] {
  return [...secrets.values()];
}

export function typedSecrets(): readonly string[] {
  return [...typed];
}

/** Tests: start a fresh session. */
export function forgetSecrets(): void {
  secrets.clear();
  typed.clear();
}

function xmlForms(value: string): string[] {
  const amp = value.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return [amp, amp.replace(/>/g, '&gt;'), amp.replace(/"/g, '&quot;'), amp.replace(/'/g, '&apos;'), amp.replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')];
}

/**
 * The spellings a value takes in the text around it: as is, XML-escaped, JSON-escaped,
 * percent-encoded (URLs), with quotes doubled (connection strings, CSV). Longest first.
 */
export function secretForms(value: string): string[] {
  const forms = new Set<string>([value, ...xmlForms(value), JSON.stringify(value).slice(1, -1), encodeURIComponent(value), value.replace(/'/g, "''"), value.replace(/"/g, '""')]);
  return [...forms].filter(form => form.length > 0).sort((a, b) => b.length - a.length);
}

const urlUserinfo = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@'"<>]+@/gi;
/** What must follow a "://" for urlUserinfo to match there (sticky: tested at one position). */
const userinfoAfterSeparator = /[^\s/@'"<>]+@/y;

/**
 * True when some "://" in the text is followed by userinfo and "@", which every match of
 * urlUserinfo needs. Masked output passes megabytes of lines that name URLs without userinfo
 * (--json key-server results): a native search per "://" rules them out far sooner than the
 * regex, which tries its scheme part at every word boundary.
 */
function mayHaveUrlUserinfo(text: string): boolean {
  for (let separator = text.indexOf('://'); separator >= 0; separator = text.indexOf('://', separator + 3)) {
    userinfoAfterSeparator.lastIndex = separator + 3;
    if (userinfoAfterSeparator.test(text)) return true;
  }
  return false;
}

/** `scheme://user:password@host` -> `scheme://***@host`: URLs are never printed with their userinfo. */
export function stripUrlUserinfo(text: string): string {
  return mayHaveUrlUserinfo(text) ? text.replace(urlUserinfo, '$1***@') : text;
}

/** Masks every known secret (in all its spellings) and the userinfo of every URL. */
export function maskText(text: string, marker = '***', values: readonly string[] = knownSecrets().map(secret => secret.value)): string {
  let masked = stripUrlUserinfo(text);
  const forms = values.flatMap(value => secretForms(value)).sort((a, b) => b.length - a.length);
  for (const form of forms) if (masked.includes(form)) masked = masked.split(form).join(marker);
  return masked;
}

/** The first known secret a text contains (in any spelling), for the final checks. */
export function findKnownSecret(text: string, list: readonly KnownSecret[] = knownSecrets()): KnownSecret | undefined {
  return list.find(secret => secretForms(secret.value).some(form => text.includes(form)));
}

/** Every string inside a JSON-like value masked (for --json output and the manifest). */
export function maskDeep<T>(value: T, marker = '***'): T {
  if (typeof value === 'string') return maskText(value, marker) as T;
  if (Array.isArray(value)) return value.map(item => maskDeep(item, marker)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskDeep(item, marker)])) as T;
  }
  return value;
}
