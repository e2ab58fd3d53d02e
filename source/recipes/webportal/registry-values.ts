import {runCommand} from '../../system/exec.js';

/**
 * The registry values the WebPortal integration articles need (KB926642, KB951016), read with
 * `reg query` and changed only with `reg add` after the admin confirmed.
 */
export type ValueId = 'backConnectionHostNames' | 'disableStrictNameChecking' | 'disableLoopbackCheck' | 'localAccountTokenFilterPolicy';

export interface RegistryValueSpec {
  id: ValueId;
  key: string;
  name: string;
  type: 'REG_MULTI_SZ' | 'REG_DWORD';
  article: 'KB926642' | 'KB951016';
  purpose: string;
}

export const registryValues: Record<ValueId, RegistryValueSpec> = {
  backConnectionHostNames: {
    id: 'backConnectionHostNames',
    key: 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa\\MSV1_0',
    name: 'BackConnectionHostNames',
    type: 'REG_MULTI_SZ',
    article: 'KB926642',
    purpose: 'method 1 (recommended): host names allowed for NTLM loopback',
  },
  disableStrictNameChecking: {
    id: 'disableStrictNameChecking',
    key: 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters',
    name: 'DisableStrictNameChecking',
    type: 'REG_DWORD',
    article: 'KB926642',
    purpose: 'method 1 with an alias name: the server answers to names other than its own',
  },
  disableLoopbackCheck: {
    id: 'disableLoopbackCheck',
    key: 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa',
    name: 'DisableLoopbackCheck',
    type: 'REG_DWORD',
    article: 'KB926642',
    purpose: 'method 2: test systems only, lowers security',
  },
  localAccountTokenFilterPolicy: {
    id: 'localAccountTokenFilterPolicy',
    key: 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System',
    name: 'LocalAccountTokenFilterPolicy',
    type: 'REG_DWORD',
    article: 'KB951016',
    purpose: 'remote UAC: full token for local administrators',
  },
};

export interface RegistryReading {
  id: ValueId;
  present: boolean;
  /** The type reg reports (may differ from the expected one). */
  type?: string;
  /** Strings for REG_MULTI_SZ, one item for others. */
  data?: string[];
  /** DWORD as a number. */
  number?: number;
  /** reg's error when the read failed for another reason than "not there". */
  error?: string;
}

/** `reg query <key> /v <name> /reg:64`: the 64-bit view, whatever the console's bitness. */
export function regQueryArgs(spec: RegistryValueSpec): string[] {
  return ['query', spec.key, '/v', spec.name, '/reg:64'];
}

export function regAddArgs(spec: RegistryValueSpec, data: string): string[] {
  return ['add', spec.key, '/v', spec.name, '/t', spec.type, '/d', data, '/f', '/reg:64'];
}

export function regDeleteArgs(spec: RegistryValueSpec): string[] {
  return ['delete', spec.key, '/v', spec.name, '/f', '/reg:64'];
}

/** Parses `reg query` output for one value (REG_MULTI_SZ items are shown separated by "\0"). */
export function parseRegQuery(spec: RegistryValueSpec, output: string): RegistryReading {
  for (const line of output.split(/\r?\n/)) {
    const match = /^\s+(.+?)\s+(REG_[A-Z_]+)(?:\s+(.*))?$/.exec(line);
    if (!match || match[1]!.trim().toLowerCase() !== spec.name.toLowerCase()) continue;
    const type = match[2]!;
    const raw = (match[3] ?? '').trim();
    if (type === 'REG_MULTI_SZ') return {id: spec.id, present: true, type, data: raw.length === 0 ? [] : raw.split('\\0').filter(item => item.length > 0)};
    if (type === 'REG_DWORD' || type === 'REG_QWORD') return {id: spec.id, present: true, type, data: [raw], number: Number.parseInt(raw, raw.startsWith('0x') ? 16 : 10)};
    return {id: spec.id, present: true, type, data: [raw]};
  }
  return {id: spec.id, present: false};
}

export async function readRegistryValue(spec: RegistryValueSpec): Promise<RegistryReading> {
  const result = await runCommand('reg', regQueryArgs(spec), {timeoutMs: 15_000});
  if (result.exitCode === 0) return parseRegQuery(spec, result.stdout);
  // reg exits 1 with "unable to find the specified registry key or value" when it is absent.
  const message = (result.stderr || result.stdout).trim();
  if (/unable to find|cannot find|nicht finden|nicht gefunden|introuvable/i.test(message) || message.length === 0) return {id: spec.id, present: false};
  return {id: spec.id, present: false, error: message.split(/\r?\n/)[0]};
}

export async function readAllRegistryValues(): Promise<Record<ValueId, RegistryReading>> {
  const readings = {} as Record<ValueId, RegistryReading>;
  // Sequential: the first one surfaces MissingProgramError before anything else runs.
  for (const spec of Object.values(registryValues)) readings[spec.id] = await readRegistryValue(spec);
  return readings;
}
