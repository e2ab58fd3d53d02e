/**
 * RFC 4515 value escaping: the five characters that change a filter's meaning become \XX.
 * Other characters, including non-ASCII UTF-8, are legal as they are (and ldapts would mangle
 * escaped multi-byte sequences), so they stay.
 */
export function escapeFilterValue(text: string): string {
  return text.replace(/[\\*()\u0000]/g, char => `\\${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Puts the escaped address wherever the template says %e. */
export function expandFilter(template: string, address: string): string {
  const escaped = escapeFilterValue(address);
  return template.replace(/%e/g, () => escaped);
}

/** undefined when the template is usable, otherwise why not. */
export function checkFilterTemplate(template: string): string | undefined {
  if (!template.includes('%e')) return 'the filter must contain %e where the address goes, e.g. (mail=%e).';
  if (!template.startsWith('(') || !template.endsWith(')')) return 'the filter must be enclosed in parentheses, e.g. (mail=%e).';
  let depth = 0;
  for (let index = 0; index < template.length; index++) {
    if (depth === 0 && index > 0) return 'the filter must be one expression, e.g. (|(mail=%e)(rfc822Mailbox=%e)).';
    const char = template[index];
    if (char === '\\') index++;
    else if (char === '(') depth++;
    else if (char === ')' && --depth < 0) return 'the filter has a ")" without its "(".';
  }
  return depth === 0 ? undefined : 'the filter has a "(" without its ")".';
}

const atext = "[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]";
const dotAtom = new RegExp(`^${atext}+(\\.${atext}+)*$`, 'u');
const quotedLocal = /^"([^"\\\r\n]|\\[^\r\n])*"$/u;
const domainLabel = /^[\p{L}\p{N}]([\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

/**
 * A plain ASCII address the full check below accepts too (a subset of it: dot-atom name, two or
 * more labels of letters, digits and inner hyphens). Bulk files hold thousands; the Unicode checks
 * run only for the rest.
 */
const plainAsciiAddress = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** undefined for a usable e-mail address, otherwise a plain explanation. */
export function checkEmailAddress(address: string): string | undefined {
  if (address.length <= 254 && address.indexOf('@') <= 64 && plainAsciiAddress.test(address)) return undefined;
  return checkAnyEmailAddress(address);
}

/** The whole check (Unicode names and domains, quoted names), with the reason for a refusal. */
export function checkAnyEmailAddress(address: string): string | undefined {
  if (address.length === 0) return 'Type an e-mail address, e.g. alice@example.com.';
  if (/\s/.test(address.replace(/^"[^"]*"/, ''))) return `"${address}" contains a space; an e-mail address has none (outside quotes).`;
  if (address.length > 254) return 'An e-mail address has at most 254 characters.';
  const at = address.lastIndexOf('@');
  if (at < 1) return `"${address}" is not an e-mail address: it needs a name, "@" and a domain, e.g. alice@example.com.`;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.length > 64) return 'The part before "@" has at most 64 characters.';
  if (!dotAtom.test(local) && !quotedLocal.test(local)) return `"${local}" is not a valid name before "@" (allowed: letters, digits and !#$%&'*+/=?^_\`{|}~- , dots between them, or a "quoted" name).`;
  const labels = domain.split('.');
  if (labels.length < 2 || labels.some(label => !domainLabel.test(label))) return `"${domain}" is not a valid domain, e.g. example.com.`;
  return undefined;
}
