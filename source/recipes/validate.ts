import {domainToASCII} from 'node:url';

/** Shared input checks for the recipes: each returns an error message, or undefined when valid. */

const controlCharacters = /[\u0000-\u001f\u007f]/;

/** A DNS host name such as mail.example.com (IDN converted to punycode); returns it lower-case without the final dot. */
export function normalizeHostName(input: string): {value?: string; error?: string} {
  const trimmed = input.trim();
  if (trimmed.length === 0) return {error: 'enter a host name such as mail.example.com'};
  if (controlCharacters.test(trimmed) || /\s/.test(trimmed)) return {error: 'a host name cannot contain spaces, line breaks or control characters'};
  const withoutDot = trimmed.endsWith('.') ? trimmed.slice(0, -1) : trimmed;
  const ascii = /^[\x20-\x7e]*$/.test(withoutDot) ? withoutDot.toLowerCase() : domainToASCII(withoutDot);
  if (!ascii) return {error: `"${trimmed}" is not a valid host name`};
  const labels = ascii.split('.');
  if (labels.length < 2) return {error: `"${trimmed}" is not a fully qualified name (expected e.g. mail.example.com)`};
  if (ascii.length > 253) return {error: 'a host name has at most 253 characters'};
  for (const label of labels) {
    if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(label)) {
      return {error: `"${label}" is not a valid DNS label (letters, digits and inner hyphens, 1-63 characters)`};
    }
  }
  if (/^[0-9]+$/.test(labels.at(-1)!)) return {error: `"${trimmed}" looks like an IP address; a host name is needed`};
  return {value: ascii};
}

/** A single-label host name (NetBIOS/computer name) or a fully qualified one, lower-cased. */
export function normalizeAnyHostName(input: string): {value?: string; error?: string} {
  const trimmed = input.trim();
  if (/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(trimmed) && !/^[0-9]+$/.test(trimmed)) return {value: trimmed.toLowerCase()};
  return normalizeHostName(trimmed);
}

export function hasControlCharacters(value: string): boolean {
  return controlCharacters.test(value);
}
