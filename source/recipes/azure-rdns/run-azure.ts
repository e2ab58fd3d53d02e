import {lookup, resolveCname, Resolver} from 'node:dns/promises';
import {OperationalError} from '../../errors.js';
import {runCommand, type RunResult} from '../../system/exec.js';
import {resolveAzProgram} from './az-program.js';
import {showPublicIpArgs, type AzureRdnsPlan} from './azure-command.js';
import {firstLines} from '../output.js';

export interface PublicIpFacts {
  ipAddress?: string;
  version?: string;
  domainNameLabel?: string;
  fqdn?: string;
  reverseFqdn?: string;
}

export interface AzurePrecheck {
  facts: PublicIpFacts;
  /** Reasons the update cannot work; the update is not attempted when there are any. */
  blockers: string[];
  /** Things that will probably make Azure refuse (e.g. the name does not resolve to the IP yet). */
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

/** Looks at the public IP (read-only) and checks Azure's rule before changing anything. */
export async function precheckAzure(plan: AzureRdnsPlan, context: {env: NodeJS.ProcessEnv; platform: NodeJS.Platform}, options: {dnsServer?: string} = {}): Promise<AzurePrecheck> {
  const result = await runAz(showPublicIpArgs(plan), context);
  if (result.exitCode !== 0) {
    throw new OperationalError(`az network public-ip show failed (exit ${result.exitCode ?? 'none'}): ${firstLines(result.stderr || result.stdout)}`);
  }
  const facts = parsePublicIp(result.stdout);
  const blockers: string[] = [];
  const warnings: string[] = [];
  const notes: string[] = [`Public IP ${plan.publicIpName}: ${facts.ipAddress ?? 'no address allocated'} (${facts.version ?? 'IPv4'})`];
  if (facts.fqdn) notes.push(`Azure DNS name: ${facts.fqdn}`);
  if (facts.reverseFqdn) notes.push(`Current reverse FQDN: ${facts.reverseFqdn}`);
  if (facts.version && facts.version.toLowerCase() !== 'ipv4') blockers.push('Azure sets reverse DNS for IPv4 public IPs only.');
  if (!facts.domainNameLabel && !plan.dnsName) blockers.push('This public IP has no DNS name label yet: give one (--dns-name / "DNS name label"), Azure needs it for the PTR record.');
  if (facts.ipAddress) {
    const name = plan.reverseFqdn.slice(0, -1);
    const {addresses, cnames} = await resolveName(name, options.dnsServer);
    const ownName = (plan.dnsName ? undefined : facts.fqdn)?.replace(/\.$/, '').toLowerCase();
    if (addresses.includes(facts.ipAddress) || (ownName && (name === ownName || cnames.some(cname => cname.replace(/\.$/, '').toLowerCase() === ownName)))) {
      notes.push(`${name} resolves to this IP: Azure's rule is met.`);
    } else {
      warnings.push(`${name} does not resolve to ${facts.ipAddress}${addresses.length > 0 ? ` (it resolves to ${addresses.join(', ')})` : ''}: Azure will refuse until the A or CNAME record exists.`);
    }
  }
  return {facts, blockers, warnings, notes};
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
