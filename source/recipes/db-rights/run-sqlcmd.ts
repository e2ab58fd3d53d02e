import {readFile, mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {runCommand, type RunResult} from '../../system/exec.js';
import {parseXml} from '../xml/well-formed.js';
import {buildRightsScript, buildVerificationScript, databaseRoles, parseVersionOutput, parseVerification, validateInstance, versionQuery, type DatabaseRole, type Verification} from './tsql.js';

/**
 * Tried in order when the role's configuration names no instance: NoSpamProxy installs its own
 * named instance "NoSpamProxy" (public NoSpamProxy report scripts default to it), else the default
 * instance.
 */
export const defaultInstances = ['(local)\\NoSpamProxy', '(local)'] as const;
export const fallbackInstance = defaultInstances[0];

export interface InstanceProbe {
  instance: string;
  /** sqlcmd connected and answered. */
  answered: boolean;
  version?: {text: string; major: number};
  problem?: string;
}

/** Asks the instance for its version with Windows authentication (a constant query, short login time-out). */
export async function probeInstance(instance: string, timeoutMs = 30_000): Promise<InstanceProbe> {
  const problem = validateInstance(instance);
  if (problem) throw new RangeError(problem);
  const result = await runCommand('sqlcmd', ['-S', instance, '-E', '-b', '-x', '-l', '5', '-h', '-1', '-W', '-Q', versionQuery], {timeoutMs});
  if (result.timedOut) return {instance, answered: false, problem: 'no answer in time'};
  if (result.exitCode !== 0) return {instance, answered: false, problem: (result.stderr || result.stdout).trim().split(/\r?\n/)[0] || `sqlcmd exit ${result.exitCode}`};
  return {instance, answered: true, version: parseVersionOutput(result.stdout)};
}

/** The first candidate that answers, with what was tried before it; undefined chosen when none answers. */
export async function chooseInstance(candidates: readonly string[]): Promise<{chosen?: InstanceProbe; tried: InstanceProbe[]}> {
  const tried: InstanceProbe[] = [];
  for (const instance of candidates) {
    const probe = await probeInstance(instance);
    tried.push(probe);
    if (probe.answered) return {chosen: probe, tried};
  }
  return {tried};
}

/** One line for the admin: which instance is used and why, which version, which statements. */
export function describeChoice(choice: {chosen?: InstanceProbe; tried: InstanceProbe[]}, reason: string): string[] {
  const lines = choice.tried.filter(probe => !probe.answered).map(probe => `${probe.instance} did not answer (${probe.problem}).`);
  if (!choice.chosen) return [...lines, `No SQL Server instance answered (${choice.tried.map(probe => probe.instance).join(', ')}); give --instance.`];
  const {instance, version} = choice.chosen;
  lines.push(`Using ${instance} (${reason}).`);
  if (version) lines.push(`SQL Server version ${version.text}: ${version.major >= 11 ? 'ALTER SERVER ROLE / ALTER ROLE (2012 or later)' : 'sp_addsrvrolemember / sp_addrolemember (older than 2012)'}.`);
  else lines.push('The SQL Server version was not reported: the script lets the server decide (ALTER ... ADD MEMBER from 2012, sp_addsrvrolemember before).');
  return lines;
}

/**
 * The SQL Server instance the role's own configuration points at (Data Source / server attribute),
 * so the admin does not have to know it; undefined when the file is absent or says nothing usable.
 */
export async function instanceFromConfig(root: string, role: DatabaseRole): Promise<string | undefined> {
  const file = databaseRoles[role].configFile;
  if (!file) return undefined;
  let text: string;
  try {
    text = await readFile(join(root, ...file.split('/')), 'utf8');
  } catch {
    return undefined;
  }
  let elements;
  try {
    elements = parseXml(text).elements;
  } catch {
    return undefined;
  }
  for (const element of elements) {
    for (const attribute of element.attributes) {
      let candidate: string | undefined;
      if (attribute.name === 'connectionString') candidate = /(?:^|;)\s*(?:Data Source|Server|Address|Addr)\s*=\s*([^;]+)/i.exec(attribute.value)?.[1]?.trim();
      else if (attribute.name === 'server') candidate = attribute.value.trim();
      if (candidate && validateInstance(candidate) === undefined) return candidate;
    }
  }
  return undefined;
}

/** sqlcmd arguments: Windows authentication, stop on error, no $(variable) substitution, UTF-8 script. */
export function sqlcmdArgs(instance: string, scriptPath: string): string[] {
  return ['-S', instance, '-E', '-b', '-x', '-I', '-l', '15', '-f', '65001', '-d', 'master', '-h', '-1', '-W', '-i', scriptPath];
}

export interface SqlRunOutcome {
  scriptPath: string;
  result: RunResult;
  ok: boolean;
}

/** Scripts are kept in <state-dir>/recipes/ (they hold no secrets) so the admin can see what ran. */
export async function writeScript(stateDir: string, name: string, script: string): Promise<string> {
  const folder = join(stateDir, 'recipes');
  await mkdir(folder, {recursive: true});
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  const path = join(folder, `${name}-${stamp}.sql`);
  await writeFile(path, `\uFEFF${script}`, 'utf8');
  return path;
}

export async function runRightsScript(stateDir: string, instance: string, login: string, role: DatabaseRole, sqlMajorVersion?: number): Promise<SqlRunOutcome> {
  const problem = validateInstance(instance);
  if (problem) throw new RangeError(problem);
  const scriptPath = await writeScript(stateDir, `db-rights-${role}`, buildRightsScript(login, role, sqlMajorVersion));
  const result = await runCommand('sqlcmd', sqlcmdArgs(instance, scriptPath), {timeoutMs: 120_000});
  return {scriptPath, result, ok: result.exitCode === 0};
}

export async function runVerification(stateDir: string, instance: string, login: string, role: DatabaseRole): Promise<SqlRunOutcome & {verification: Verification}> {
  const scriptPath = await writeScript(stateDir, `db-rights-verify-${role}`, buildVerificationScript(login, role));
  const result = await runCommand('sqlcmd', sqlcmdArgs(instance, scriptPath), {timeoutMs: 60_000});
  const verification = parseVerification(result.stdout);
  return {scriptPath, result, verification, ok: result.exitCode === 0 && verification.sysadmin && verification.dbOwner};
}
