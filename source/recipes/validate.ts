import {isIP} from 'node:net';
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

/** "1.1.1.1", "127.0.0.1:5353", "[::1]:53": a DNS server to ask instead of the system resolver. */
export function validateDnsServer(value: string): string | undefined {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([0-9.]+))(?::([0-9]{1,5}))?$/.exec(value) ?? (isIP(value) === 6 ? ['', value, undefined, undefined] : null);
  const address = match?.[1] ?? match?.[2];
  if (!match || !address || isIP(address) === 0 || (match[3] !== undefined && (Number(match[3]) < 1 || Number(match[3]) > 65535))) {
    return 'give a DNS server as an IP address, optionally with :port (e.g. 1.1.1.1 or 127.0.0.1:5353)';
  }
  return undefined;
}
