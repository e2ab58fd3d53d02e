import {validateServer} from './validate.js';

/**
 * ctasd.conf's `Server_address` is a pattern (`resolver%d.<licence part>.ctmail.com`): ctasd fills
 * in the resolver number. Its middle part comes from the licence, so it is masked wherever a host
 * name is shown.
 */

/** Resolver numbers tried for a `%d` pattern (the first two resolvers). */
export const resolverNumbers = [1, 2] as const;

/** The host names a Server_address stands for: `%d` expanded to 1 and 2; only valid host names. */
export function resolverHosts(serverAddress: string): string[] {
  const pattern = serverAddress.trim();
  const hosts = pattern.includes('%d') ? resolverNumbers.map(number => pattern.replaceAll('%d', String(number))) : [pattern];
  return [...new Set(hosts)].filter(host => host.length > 0 && validateServer(host) === undefined);
}

/** The first Server_address value of a ctasd.conf (active lines only), if any. */
export function serverAddressOf(lines: readonly string[]): string | undefined {
  for (const line of lines) {
    const match = /^\s*Server_address\s*=\s*(\S+)\s*$/i.exec(line);
    if (match) return match[1];
  }
  return undefined;
}

const licenceMask = '***';

/**
 * A *.ctmail.com host as it may be shown: every label between a `resolverN` first label and
 * ctmail.com is masked (`resolver1.***.ctmail.com`); a first label that is not `resolver…` is
 * masked too. Other hosts are returned as they are.
 */
export function maskResolverHost(host: string): string {
  const match = /^(.+)\.(ctmail\.com\.?)$/i.exec(host);
  if (!match) return host;
  const [first, ...rest] = match[1]!.split('.');
  const shown = /^resolver(\d+|%d)?$/i.test(first!) ? [first!, ...(rest.length > 0 ? [licenceMask] : [])] : [licenceMask];
  return [...shown, match[2]!].join('.');
}

/** Masks every *.ctmail.com host name inside a text (messages that name their target). */
export function maskResolverHostsIn(text: string): string {
  return text.replace(/[a-z0-9%-]+(?:\.[a-z0-9%-]+)*\.ctmail\.com(?![a-z0-9-]|\.[a-z0-9])/gi, host => maskResolverHost(host));
}
