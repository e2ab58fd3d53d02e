import {regAddArgs, regDeleteArgs, registryValues, type RegistryReading, type ValueId} from './registry-values.js';

export type Scenario = 'same-system' | 'outside-domain';

export const scenarioLabels: Record<Scenario, string> = {
  'same-system': 'WebPortal on the same system as the gateway and/or intranet role (KB926642)',
  'outside-domain': 'WebPortal in the DMZ / on a computer outside the domain (KB951016)',
};

export function parseScenarios(value: string): Scenario[] {
  const scenarios = new Set<Scenario>();
  for (const part of value.split(',').map(item => item.trim()).filter(Boolean)) {
    if (part === 'same-system' || part === 'outside-domain') scenarios.add(part);
    else if (part === 'both') {
      scenarios.add('same-system');
      scenarios.add('outside-domain');
    } else throw new RangeError(`unknown scenario "${part}": use same-system, outside-domain or both`);
  }
  if (scenarios.size === 0) throw new RangeError('choose a scenario: same-system, outside-domain or both');
  return [...scenarios];
}

export type FindingStatus = 'ok' | 'warning' | 'missing' | 'unknown';

export interface Finding {
  article: 'KB926642' | 'KB951016';
  status: FindingStatus;
  message: string;
}

export interface FixStep {
  description: string;
  /** `reg` arguments. */
  args: string[];
}

export interface Assessment {
  scenarios: Scenario[];
  findings: Finding[];
  /** The recommended changes, in order (empty when nothing is missing). */
  fixes: FixStep[];
  restartRequired: boolean;
}

/**
 * Host names that are aliases: not this computer's name nor its FQDN (first label differs). Without
 * a computer name every host name counts as one.
 */
export function aliasNames(hostNames: readonly string[], computerName?: string): string[] {
  const own = computerName?.split('.')[0]?.toLowerCase();
  return hostNames.filter(host => !own || host.split('.')[0]!.toLowerCase() !== own);
}

/** Compares what is in the registry with what the chosen scenarios need. */
export function assess(scenarios: readonly Scenario[], readings: Record<ValueId, RegistryReading>, hostNames: readonly string[], computerName?: string): Assessment {
  const findings: Finding[] = [];
  const fixes: FixStep[] = [];
  for (const reading of Object.values(readings)) {
    if (reading.error) findings.push({article: registryValues[reading.id].article, status: 'unknown', message: `${registryValues[reading.id].name} could not be read: ${reading.error}`});
  }
  if (scenarios.includes('same-system')) {
    const names = readings.backConnectionHostNames;
    const loopback = readings.disableLoopbackCheck;
    const spec = registryValues.backConnectionHostNames;
    const wrongType = names.present && names.type !== 'REG_MULTI_SZ';
    const existing = names.present && !wrongType ? (names.data ?? []) : [];
    const missingNames = hostNames.filter(host => !existing.some(item => item.toLowerCase() === host.toLowerCase()));
    if (names.present && !wrongType && missingNames.length === 0 && existing.length > 0) {
      findings.push({article: 'KB926642', status: 'ok', message: `Method 1 in place: BackConnectionHostNames = ${existing.join(', ')}.`});
    } else if (loopback.present && loopback.number === 1) {
      findings.push({article: 'KB926642', status: 'warning', message: 'Method 2 in place: DisableLoopbackCheck = 1. Only for test systems (it lowers security); method 1 is recommended.'});
    } else {
      const what = wrongType
        ? `BackConnectionHostNames exists as ${names.type}; it must be a multi-string (REG_MULTI_SZ)`
        : names.present
          ? `BackConnectionHostNames lacks ${missingNames.join(', ')}`
          : 'BackConnectionHostNames is not set (and DisableLoopbackCheck is not 1)';
      findings.push({article: 'KB926642', status: 'missing', message: `${what}.`});
      if (wrongType) fixes.push({description: `Delete the ${names.type} value BackConnectionHostNames (the article says to delete a wrongly typed one first)`, args: regDeleteArgs(spec)});
      const merged = [...existing, ...missingNames];
      if (merged.length > 0) fixes.push({description: `Set BackConnectionHostNames (REG_MULTI_SZ) = ${merged.join(', ')}`, args: regAddArgs(spec, merged.join('\\0'))});
    }
    strictNameChecking(readings.disableStrictNameChecking, aliasNames(hostNames, computerName), findings, fixes);
  }
  if (scenarios.includes('outside-domain')) {
    const policy = readings.localAccountTokenFilterPolicy;
    if (policy.present && policy.number === 1) {
      findings.push({article: 'KB951016', status: 'ok', message: 'LocalAccountTokenFilterPolicy = 1.'});
    } else {
      findings.push({article: 'KB951016', status: 'missing', message: policy.present ? `LocalAccountTokenFilterPolicy = ${policy.data?.[0] ?? '?'}; it must be 1.` : 'LocalAccountTokenFilterPolicy is not set; it must be 1.'});
      fixes.push({description: 'Set LocalAccountTokenFilterPolicy (REG_DWORD) = 1', args: regAddArgs(registryValues.localAccountTokenFilterPolicy, '1')});
    }
  }
  return {scenarios: [...scenarios], findings, fixes, restartRequired: fixes.length > 0};
}

/** KB926642 method 1 with an alias (CNAME) name also needs DisableStrictNameChecking = 1. */
function strictNameChecking(reading: RegistryReading, aliases: readonly string[], findings: Finding[], fixes: FixStep[]): void {
  const spec = registryValues.disableStrictNameChecking;
  const on = reading.present && reading.number === 1;
  if (aliases.length === 0) {
    findings.push({article: 'KB926642', status: 'ok', message: `DisableStrictNameChecking ${on ? '= 1' : 'is not 1'}: not needed, no alias name among the host names (only this computer's own name).`});
    return;
  }
  const which = `alias name${aliases.length > 1 ? 's' : ''} ${aliases.join(', ')}`;
  if (on) {
    findings.push({article: 'KB926642', status: 'ok', message: `DisableStrictNameChecking = 1 (needed for the ${which}).`});
    return;
  }
  findings.push({article: 'KB926642', status: 'missing', message: `DisableStrictNameChecking is ${reading.present ? (reading.data?.[0] ?? '?') : 'not set'}; it must be 1 for the ${which} (${spec.key}).`});
  fixes.push({description: 'Set DisableStrictNameChecking (REG_DWORD) = 1', args: regAddArgs(spec, '1')});
}

export const restartNote = 'Restart the computer for the changes to take effect (the articles require it).';
