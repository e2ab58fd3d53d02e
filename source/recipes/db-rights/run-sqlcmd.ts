import {readFile, mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {runCommand, type RunResult} from '../../system/exec.js';
import {parseXml} from '../xml/well-formed.js';
import {buildRightsScript, buildVerificationScript, databaseRoles, parseVerification, validateInstance, type DatabaseRole, type Verification} from './tsql.js';

export const fallbackInstance = '(local)';

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

export async function runRightsScript(stateDir: string, instance: string, login: string, role: DatabaseRole): Promise<SqlRunOutcome> {
  const problem = validateInstance(instance);
  if (problem) throw new RangeError(problem);
  const scriptPath = await writeScript(stateDir, `db-rights-${role}`, buildRightsScript(login, role));
  const result = await runCommand('sqlcmd', sqlcmdArgs(instance, scriptPath), {timeoutMs: 120_000});
  return {scriptPath, result, ok: result.exitCode === 0};
}

export async function runVerification(stateDir: string, instance: string, login: string, role: DatabaseRole): Promise<SqlRunOutcome & {verification: Verification}> {
  const scriptPath = await writeScript(stateDir, `db-rights-verify-${role}`, buildVerificationScript(login, role));
  const result = await runCommand('sqlcmd', sqlcmdArgs(instance, scriptPath), {timeoutMs: 60_000});
  const verification = parseVerification(result.stdout);
  return {scriptPath, result, verification, ok: result.exitCode === 0 && verification.sysadmin && verification.dbOwner};
}
