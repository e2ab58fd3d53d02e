import {existsSync} from 'node:fs';
import {join} from 'node:path';
import type {ConsoleContext} from './context.js';

/** The files the header reports, relative to the data root. */
export const knownDataFiles = ['CYREN/ctasd.conf', 'CYREN/ctipd.conf', 'CYREN/ctwsd.conf', 'Configuration/Gateway Role.config', 'Configuration/Intranet Role.config'] as const;

export interface DataFilePresence {
  path: (typeof knownDataFiles)[number];
  exists: boolean;
}

export function detectDataFiles(root: string): DataFilePresence[] {
  return knownDataFiles.map(path => ({path, exists: existsSync(join(root, ...path.split('/')))}));
}

export const versionRegistryKey = 'HKLM\\SOFTWARE\\NoSpamProxy\\Components';
export const versionRegistryValue = 'Intranet Role';

/** Pulls the data of a value out of `reg query` output ("    Intranet Role    REG_SZ    14.0.5.39"). */
export function parseRegQueryValue(output: string, valueName: string): string | undefined {
  for (const line of output.split(/\r?\n/)) {
    const match = /^\s+(.+?)\s{2,}(REG_[A-Z_]+)\s{2,}(.*)$/.exec(line) ?? /^\s+(.+?)\s+(REG_[A-Z_]+)\s+(.*)$/.exec(line);
    if (match && match[1]!.trim().toLowerCase() === valueName.toLowerCase()) return match[3]!.trim();
  }
  return undefined;
}

/** The NoSpamProxy version from the registry on Windows; "unknown" elsewhere or when it cannot be read. */
export async function detectNspVersion(context: Pick<ConsoleContext, 'platform'>): Promise<string> {
  if (context.platform !== 'win32') return 'unknown';
  try {
    // execa is loaded only here, off the start-up path: the header shows the version when it arrives.
    const {runCommand} = await import('./system/exec.js');
    const result = await runCommand('reg', ['query', versionRegistryKey, '/v', versionRegistryValue], {timeoutMs: 10_000});
    if (result.exitCode !== 0) return 'unknown';
    return parseRegQueryValue(result.stdout, versionRegistryValue) ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export interface EnvironmentReport {
  root: string;
  isDemo: boolean;
  stateDir: string;
  hostName: string;
  nspVersion: string;
  files: DataFilePresence[];
}

export async function describeEnvironment(context: ConsoleContext): Promise<EnvironmentReport> {
  return {
    root: context.root,
    isDemo: context.isDemo,
    stateDir: context.stateDir,
    hostName: context.hostName,
    nspVersion: await detectNspVersion(context),
    files: detectDataFiles(context.root),
  };
}
