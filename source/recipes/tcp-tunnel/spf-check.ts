import {resolveTxt, Resolver} from 'node:dns/promises';
import {normalizeHostName} from '../validate.js';
import {tunnelHost} from './checklist.js';

/** What the SPF record of a sending domain says about the TCP proxy (a read-only DNS look-up). */
export interface SpfCheck {
  domain: string;
  /** The v=spf1 record(s) found (more than one is itself an SPF error). */
  records: string[];
  /** The record names a:proxy.nospamproxy.de (or +a:/~a:… with that host). */
  includesTunnel: boolean;
  /** include:/redirect= targets: the mechanism may be in one of them (not followed). */
  delegates: string[];
  message: string;
}

export async function checkSpf(domainInput: string, options: {dnsServer?: string} = {}): Promise<SpfCheck> {
  const {value: domain, error} = normalizeHostName(domainInput);
  if (!domain) throw new RangeError(error ?? 'not a domain name');
  let answers: string[][];
  let missingDomain = false;
  try {
    if (options.dnsServer) {
      const resolver = new Resolver({timeout: 3000, tries: 2});
      resolver.setServers([options.dnsServer]);
      answers = await resolver.resolveTxt(domain);
    } else answers = await resolveTxt(domain);
  } catch (lookupError) {
    const code = (lookupError as NodeJS.ErrnoException).code;
    if (code === 'ENODATA' || code === 'ENOTFOUND') {
      answers = [];
      // ENOTFOUND is NXDOMAIN: the name itself does not exist (a typo?), which is not "no SPF record".
      missingDomain = code === 'ENOTFOUND';
    }
    else throw new Error(`The TXT records of ${domain} could not be read (${code ?? (lookupError as Error).message}).`);
  }
  const records = answers.map(parts => parts.join('')).filter(record => /^v=spf1(\s|$)/i.test(record.trim()));
  const terms = records.flatMap(record => record.trim().split(/\s+/).slice(1));
  const includesTunnel = terms.some(term => new RegExp(`^[+~?]?a:${tunnelHost.replace(/\./g, '\\.')}\\.?(/\\d+)?$`, 'i').test(term));
  const delegates = terms.flatMap(term => /^[+~?-]?include:(.+)$/i.exec(term)?.[1] ?? /^redirect=(.+)$/i.exec(term)?.[1] ?? []);
  let message: string;
  if (missingDomain) message = `${domain} does not exist in DNS (NXDOMAIN): check the spelling of the domain${options.dnsServer ? ` and the DNS server ${options.dnsServer}` : ''}.`;
  else if (records.length === 0) message = `${domain} has no SPF record (TXT "v=spf1 ..."): add one that contains a:${tunnelHost}.`;
  else if (records.length > 1) message = `${domain} has ${records.length} SPF records; receivers treat that as an error. Merge them into one that contains a:${tunnelHost}.`;
  else if (includesTunnel) message = `The SPF record of ${domain} contains a:${tunnelHost}.`;
  else message = `The SPF record of ${domain} lacks a:${tunnelHost}${delegates.length > 0 ? ` (unless it is in ${delegates.join(', ')}, not checked)` : ''}.`;
  return {domain, records, includesTunnel: includesTunnel && records.length === 1, delegates, message};
}
