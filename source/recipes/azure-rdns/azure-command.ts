import {hasControlCharacters, normalizeHostName} from '../validate.js';

/**
 * The correct Azure CLI call for a reverse DNS (PTR) record of a public IP; the knowledge base's
 * own command is garbled. Microsoft's syntax: `az network public-ip update --resource-group <rg>
 * --name <ip> --reverse-fqdn <fqdn.> [--dns-name <label>]`.
 */
export interface AzureRdnsInput {
  resourceGroup: string;
  publicIpName: string;
  reverseFqdn: string;
  /** Only when the public IP has no DNS name label yet. */
  dnsName?: string;
}

export interface AzureRdnsPlan {
  resourceGroup: string;
  publicIpName: string;
  /** Lower-case, punycode, ending with a dot (Azure wants FQDNs terminated by a dot). */
  reverseFqdn: string;
  dnsName?: string;
  /** The argv for `az` (each value one item; never run through a shell). */
  args: string[];
  /** The same command for copying into Cloud Shell (bash or PowerShell). */
  display: string;
}

export type FieldErrors = Partial<Record<keyof AzureRdnsInput, string>>;

/** Resource group names: 1-90 letters, digits, underscores, hyphens, periods, parentheses; no trailing period. */
export function validateResourceGroup(value: string): string | undefined {
  if (value.length === 0) return 'enter the resource group of the public IP';
  if (hasControlCharacters(value)) return 'line breaks and control characters are not allowed';
  if (value.length > 90) return 'a resource group name has at most 90 characters';
  if (!/^[\p{L}\p{N}_().-]+$/u.test(value)) return 'a resource group name may contain only letters, digits, _ - . ( )';
  if (value.endsWith('.')) return 'a resource group name cannot end with a period';
  return undefined;
}

/** Public IP resource names: 1-80 characters, letters/digits/_/./-, starting alphanumeric, ending alphanumeric or _. */
export function validatePublicIpName(value: string): string | undefined {
  if (value.length === 0) return 'enter the name of the public IP address resource';
  if (hasControlCharacters(value)) return 'line breaks and control characters are not allowed';
  if (value.length > 80) return 'a public IP name has at most 80 characters';
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$/.test(value)) return 'a public IP name may contain letters, digits, _ . - (start with a letter or digit, end with a letter, digit or _)';
  return undefined;
}

export function validateReverseFqdn(value: string): string | undefined {
  return normalizeHostName(value).error;
}

/** DNS name label of a public IP: 3-63 lower-case letters, digits, hyphens; starts with a letter. */
export function validateDnsName(value: string): string | undefined {
  if (value.length === 0) return undefined;
  if (!/^[a-z][a-z0-9-]{1,61}[a-z0-9]$/.test(value)) return 'a DNS name label has 3-63 lower-case letters, digits or hyphens, starts with a letter and ends with a letter or digit';
  return undefined;
}

export function validateAzureInput(input: AzureRdnsInput): FieldErrors {
  const errors: FieldErrors = {};
  const resourceGroup = validateResourceGroup(input.resourceGroup);
  if (resourceGroup) errors.resourceGroup = resourceGroup;
  const publicIpName = validatePublicIpName(input.publicIpName);
  if (publicIpName) errors.publicIpName = publicIpName;
  const reverseFqdn = validateReverseFqdn(input.reverseFqdn);
  if (reverseFqdn) errors.reverseFqdn = reverseFqdn;
  const dnsName = validateDnsName(input.dnsName ?? '');
  if (dnsName) errors.dnsName = dnsName;
  return errors;
}

/** Builds the command; throws RangeError listing every invalid field. */
export function buildAzureRdnsPlan(input: AzureRdnsInput): AzureRdnsPlan {
  const errors = validateAzureInput(input);
  const problems = Object.entries(errors).map(([field, message]) => `${fieldLabels[field as keyof AzureRdnsInput]}: ${message}`);
  if (problems.length > 0) throw new RangeError(problems.join('; '));
  const reverseFqdn = `${normalizeHostName(input.reverseFqdn).value!}.`;
  const dnsName = input.dnsName && input.dnsName.length > 0 ? input.dnsName : undefined;
  const args = ['network', 'public-ip', 'update', '--resource-group', input.resourceGroup, '--name', input.publicIpName, '--reverse-fqdn', reverseFqdn];
  if (dnsName) args.push('--dns-name', dnsName);
  return {resourceGroup: input.resourceGroup, publicIpName: input.publicIpName, reverseFqdn, dnsName, args, display: ['az', ...args].map(quoteForDisplay).join(' ')};
}

/** The read-only look at the IP before changing it: address, version and current DNS settings. */
export function showPublicIpArgs(plan: Pick<AzureRdnsPlan, 'resourceGroup' | 'publicIpName'>): string[] {
  return ['network', 'public-ip', 'show', '--resource-group', plan.resourceGroup, '--name', plan.publicIpName, '--output', 'json'];
}

/** Every public IP of the subscription (read-only): Azure also accepts a name of, or pointing at, another one of them. */
export function listPublicIpsArgs(): string[] {
  return ['network', 'public-ip', 'list', '--output', 'json'];
}

export const fieldLabels: Record<keyof AzureRdnsInput, string> = {
  resourceGroup: 'Resource group',
  publicIpName: 'Public IP name',
  reverseFqdn: 'Reverse FQDN',
  dnsName: 'DNS name label',
};

/** Single quotes work in bash and PowerShell (Cloud Shell); validated values never contain one. */
export function quoteForDisplay(value: string): string {
  if (/^[A-Za-z0-9_./:=@-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, "''")}'`;
}

export const azureRuleExplanation = [
  "Azure's rule: the reverse FQDN must be this IP's Azure name, or resolve to this IP",
  '(A record, or CNAME to its <label>.<region>.cloudapp.azure.com name), or be or',
  'resolve to another public IP of the same subscription. Create the DNS record first.',
  'IPv4 only; one PTR record per public IP; checked only when it is set.',
];
