import {lookup, resolveCname, Resolver} from 'node:dns/promises';
import {OperationalError} from '../../errors.js';
import {runCommand, type RunResult} from '../../system/exec.js';
import {resolveAzProgram} from './az-program.js';
import {listPublicIpsArgs, showPublicIpArgs, type AzureRdnsPlan} from './azure-command.js';
import {firstLines} from '../output.js';

export interface PublicIpFacts {
  ipAddress?: string;
  version?: string;
  domainNameLabel?: string;
  fqdn?: string;
  reverseFqdn?: string;
}

/** What Azure will do with the reverse FQDN, as far as the pre-check can tell. */
export interface AzureVerdict {
  decision: 'accepts' | 'refuses' | 'azure-decides';
  reason: string;
}

export interface AzurePrecheck {
  facts: PublicIpFacts;
  /** What was looked at, one line each (DNS answers, the subscription's public IPs). */
  checked: string[];
  verdict?: AzureVerdict;
  /** Reasons the update cannot work; the update is not attempted when there are any. */
  blockers: string[];
  /** Why Azure will refuse (the verdict's reason when it refuses); an update needs --force then. */
  warnings: string[];
  /** What was found, one line each. */
  notes: string[];
}

export interface AzureRunOutcome {
  ok: boolean;
  result: RunResult;
  /** The reverse FQDN Azure reports after the update. */
  reverseFqdnAfter?: string;
}

async function runAz(args: string[], context: {env: NodeJS.ProcessEnv; platform: NodeJS.Platform}): Promise<RunResult> {
  const program = resolveAzProgram(context.env, context.platform);
  return runCommand(program.file, [...program.prefixArgs, ...args], {timeoutMs: 180_000});
}

export function parsePublicIp(json: string): PublicIpFacts {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new OperationalError('az did not return JSON for the public IP; run the command yourself to see why.');
  }
  const object = (parsed ?? {}) as Record<string, unknown>;
  const dns = (object.dnsSettings ?? {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : undefined);
  return {
    ipAddress: text(object.ipAddress),
    version: text(object.publicIPAddressVersion) ?? text(object.publicIpAddressVersion),
    domainNameLabel: text(dns.domainNameLabel),
    fqdn: text(dns.fqdn),
    reverseFqdn: text(dns.reverseFqdn),
  };
}

/** The subscription's public IPs (address and Azure name), from `az network public-ip list`. */
export function parsePublicIpList(json: string): {name: string; ipAddress?: string; fqdn?: string}[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap(item => {
    const object = (item ?? {}) as Record<string, unknown>;
    const dns = (object.dnsSettings ?? {}) as Record<string, unknown>;
    const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : undefined);
    const name = text(object.name);
    return name ? [{name, ipAddress: text(object.ipAddress), fqdn: text(dns.fqdn)?.replace(/\.$/, '').toLowerCase()}] : [];
  });
}

/**
 * Looks at the public IP (read-only) and works out what Azure will decide about the reverse FQDN:
 * it accepts this IP's own Azure name, a name that resolves to this IP (A, or CNAME to its Azure
 * name), and a name that is or resolves to another public IP of the same subscription (listed
 * with `az network public-ip list` only when needed).
 */
export async function precheckAzure(plan: AzureRdnsPlan, context: {env: NodeJS.ProcessEnv; platform: NodeJS.Platform}, options: {dnsServer?: string} = {}): Promise<AzurePrecheck> {
  const result = await runAz(showPublicIpArgs(plan), context);
  if (result.exitCode !== 0) {
    throw new OperationalError(`az network public-ip show failed (exit ${result.exitCode ?? 'none'}): ${firstLines(result.stderr || result.stdout)}`);
  }
  const facts = parsePublicIp(result.stdout);
  const blockers: string[] = [];
  const warnings: string[] = [];
  const checked: string[] = [];
  const notes: string[] = [`Public IP ${plan.publicIpName}: ${facts.ipAddress ?? 'no address allocated'} (${facts.version ?? 'IPv4'})`];
  if (facts.fqdn) notes.push(`Azure DNS name: ${facts.fqdn}`);
  if (facts.reverseFqdn) notes.push(`Current reverse FQDN: ${facts.reverseFqdn}`);
  if (facts.version && facts.version.toLowerCase() !== 'ipv4') blockers.push('Azure sets reverse DNS for IPv4 public IPs only.');
  if (!facts.domainNameLabel && !plan.dnsName) blockers.push('This public IP has no DNS name label yet: give one (--dns-name / "DNS name label"), Azure needs it for the PTR record.');
  let verdict: AzureVerdict | undefined;
  if (facts.ipAddress) {
    verdict = await decide(plan, facts, context, options.dnsServer, checked);
    if (verdict.decision === 'refuses') warnings.push(verdict.reason);
  }
  return {facts, checked, verdict, blockers, warnings, notes};
}

const bare = (name: string) => name.replace(/\.$/, '').toLowerCase();

async function decide(plan: AzureRdnsPlan, facts: PublicIpFacts, context: {env: NodeJS.ProcessEnv; platform: NodeJS.Platform}, dnsServer: string | undefined, checked: string[]): Promise<AzureVerdict> {
  const name = bare(plan.reverseFqdn);
  const ownName = (plan.dnsName ? undefined : facts.fqdn) && bare(facts.fqdn!);
  if (ownName && name === ownName) return {decision: 'accepts', reason: `${name} is this IP's own Azure name.`};
  const {addresses, cnames} = await resolveName(name, dnsServer);
  checked.push(`DNS${dnsServer ? ` (server ${dnsServer})` : ''}: ${name} -> ${[...cnames.map(cname => `CNAME ${bare(cname)}`), ...addresses.map(address => `A ${address}`)].join(', ') || 'no A or CNAME record'}`);
  if (addresses.includes(facts.ipAddress!) || (ownName && cnames.some(cname => bare(cname) === ownName))) return {decision: 'accepts', reason: `${name} resolves to this IP (${facts.ipAddress}): Azure's rule is met.`};
  if (addresses.length === 0 && cnames.length === 0) return {decision: 'refuses', reason: `${name} has no A or CNAME record: Azure will refuse until it resolves to ${facts.ipAddress} (or to another public IP of this subscription).`};
  // Another public IP of the same subscription is fine too: look them up.
  const listed = await runAz(listPublicIpsArgs(), context).catch((error: Error) => ({exitCode: null, stdout: '', stderr: error.message, timedOut: false}) as Pick<RunResult, 'exitCode' | 'stdout' | 'stderr' | 'timedOut'>);
  const elsewhere = `${addresses.length > 0 ? addresses.join(', ') : cnames.map(bare).join(', ')}`;
  if (listed.exitCode !== 0) {
    return {decision: 'azure-decides', reason: `${name} resolves to ${elsewhere}, not to this IP; Azure accepts it only if that is another public IP of the same subscription, which could not be checked (az network public-ip list: ${firstLines(listed.stderr || listed.stdout) || 'failed'}).`};
  }
  const ips = parsePublicIpList(listed.stdout);
  checked.push(`Public IPs in this subscription (az network public-ip list): ${ips.length}`);
  const sibling = ips.find(ip => (ip.ipAddress && addresses.includes(ip.ipAddress)) || (ip.fqdn && (ip.fqdn === name || cnames.some(cname => bare(cname) === ip.fqdn))));
  if (sibling) return {decision: 'accepts', reason: `${name} resolves to the public IP ${sibling.name} (${sibling.ipAddress ?? sibling.fqdn}) of the same subscription: Azure accepts that.`};
  return {decision: 'refuses', reason: `${name} does not resolve to ${facts.ipAddress} (it resolves to ${elsewhere}), nor to any of the ${ips.length} public IPs of this subscription: Azure will refuse until the A or CNAME record exists.`};
}

const decisionText: Record<AzureVerdict['decision'], string> = {accepts: 'Azure will accept it', refuses: 'Azure will refuse it', 'azure-decides': 'Azure decides when it is set'};

/** The pre-check for the admin: what was found, what was checked, what Azure will decide, what blocks. */
export function precheckLines(precheck: AzurePrecheck): string[] {
  return [
    ...precheck.notes,
    ...precheck.checked.map(line => `Checked: ${line}`),
    ...(precheck.verdict ? [`${decisionText[precheck.verdict.decision]}: ${precheck.verdict.reason}`] : []),
    ...precheck.blockers.map(blocker => `Cannot update: ${blocker}`),
  ];
}

/** Runs the update; the result says whether Azure now reports the reverse FQDN. */
export async function runAzureUpdate(plan: AzureRdnsPlan, context: {env: NodeJS.ProcessEnv; platform: NodeJS.Platform}): Promise<AzureRunOutcome> {
  const result = await runAz([...plan.args, '--output', 'json'], context);
  if (result.exitCode !== 0) return {ok: false, result};
  let reverseFqdnAfter: string | undefined;
  try {
    reverseFqdnAfter = parsePublicIp(result.stdout).reverseFqdn;
  } catch {
    reverseFqdnAfter = undefined;
  }
  const ok = reverseFqdnAfter === undefined || reverseFqdnAfter.replace(/\.$/, '').toLowerCase() === plan.reverseFqdn.slice(0, -1);
  return {ok, result, reverseFqdnAfter};
}

/**
 * A and CNAME answers for the name. The system resolver by default; a given server shows the public
 * view when the local DNS is split-horizon (Azure checks public DNS).
 */
async function resolveName(name: string, dnsServer: string | undefined): Promise<{addresses: string[]; cnames: string[]}> {
  if (dnsServer) {
    const resolver = new Resolver({timeout: 3000, tries: 2});
    resolver.setServers([dnsServer]);
    const [addresses, cnames] = await Promise.all([resolver.resolve4(name).catch(() => [] as string[]), resolver.resolveCname(name).catch(() => [] as string[])]);
    return {addresses, cnames};
  }
  const addresses = await lookup(name, {all: true, family: 4}).then(
    found => found.map(entry => entry.address),
    () => [] as string[],
  );
  const cnames = await resolveCname(name).catch(() => [] as string[]);
  return {addresses, cnames};
}
