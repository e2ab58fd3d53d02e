import {isIP} from 'node:net';

/** Each returns a message for the admin, or undefined when the value is fine. */

export function validateServer(value: string): string | undefined {
  const host = value.trim();
  if (host.length === 0) return 'Enter the proxy server: an IP address or a fully qualified host name.';
  if (/\s/.test(host)) return 'A host name cannot contain spaces.';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) return 'Enter the host only, without a scheme such as http://.';
  if (host.startsWith('#')) return 'The host cannot start with "#" (the file would read it as a comment).';
  if (isIP(host) === 6) return undefined;
  if (host.includes(':')) return 'Enter the port in the port field, not after the host.';
  if (/^[\d.]+$/.test(host)) {
    return isIP(host) === 4 ? undefined : `${host} is not a valid IPv4 address (four numbers from 0 to 255, separated by dots).`;
  }
  if (/[^\x21-\x7e]/.test(host)) return 'Use the ASCII (punycode, xn--…) form of an international host name.';
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (name.length > 253) return 'A host name is at most 253 characters long.';
  for (const label of name.split('.')) {
    if (label.length === 0) return 'A host name cannot contain empty parts ("..").';
    if (label.length > 63) return `"${label.slice(0, 20)}…" is longer than 63 characters; each part of a host name is at most 63.`;
    if (!/^[a-z0-9-]+$/i.test(label)) return `"${label}" contains characters a host name cannot have (letters, digits and "-" only).`;
    if (label.startsWith('-') || label.endsWith('-')) return `"${label}": a part of a host name cannot start or end with "-".`;
  }
  return undefined;
}

export function parsePort(value: string): number | undefined {
  const text = value.trim();
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

export function validatePort(value: string): string | undefined {
  const text = value.trim();
  if (text.length === 0) return 'Enter the proxy port (1-65535).';
  if (!/^\d+$/.test(text)) return `"${text}" is not a port: enter a number from 1 to 65535.`;
  return parsePort(text) === undefined ? `${text} is out of range: a port is a number from 1 to 65535.` : undefined;
}

/** What a Key = value line cannot hold, whatever the field. */
function lineProblem(value: string, what: string): string | undefined {
  if (/[\r\n]/.test(value)) return `The ${what} cannot contain a line break (the file holds one value per line).`;
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(value)) return `The ${what} cannot contain control characters.`;
  if (value.startsWith('#')) return `The ${what} cannot start with "#" (the file would read the rest as a comment).`;
  if (value !== value.trim()) return `The ${what} cannot start or end with a space or tab (the file format drops them).`;
  if (/[\ud800-\udfff]/u.test(value.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))) return `The ${what} contains an invalid character.`;
  return undefined;
}

export function validateUserName(value: string): string | undefined {
  if (value.length === 0) return 'Enter the user name for the proxy (Basic authentication).';
  return lineProblem(value, 'user name');
}

export function validatePassword(value: string): string | undefined {
  if (value.length === 0) return 'Enter the password for the proxy (Basic authentication).';
  return lineProblem(value, 'password');
}

/** "host:port" or "[v6]:port" → parts, or a message. */
export function parseTarget(value: string): {host: string; port: number} | string {
  const text = value.trim();
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:\s]+):(\d+)$/.exec(text);
  if (!match) return `"${value}" is not host:port (e.g. resolver1.ctmail.com:443).`;
  const problem = validateServer(match[1]!);
  if (problem) return problem;
  const port = parsePort(match[2]!);
  if (port === undefined) return `${match[2]} is not a port from 1 to 65535.`;
  return {host: match[1]!, port};
}
