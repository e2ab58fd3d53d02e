import {join} from 'node:path';
import type {ConsoleContext} from '../context.js';
import {UsageError} from '../errors.js';
import {loadSettings, updateSettings} from '../settings.js';
import type {RoleDefinition} from './types.js';

export const placeholders = ['{role}', '{location}', '{protocols}'] as const;

/** The default role when settings.json has no "roles": named after this server's gateway role. */
export function defaultRoles(context: Pick<ConsoleContext, 'root' | 'isDemo' | 'hostName'>): RoleDefinition[] {
  if (context.isDemo) {
    const tool = join(context.root, 'Tools', 'sim-gateway.mjs');
    const pidFile = join(context.root, 'Tools', 'sim-gateway.pid');
    return [
      {
        name: 'Demo gateway',
        driver: 'script',
        location: join(context.root, 'Logs'),
        enable: [process.execPath, tool, 'on', '--role', '{role}', '--location', '{location}', '--protocols', '{protocols}', '--pid-file', pidFile],
        disable: [process.execPath, tool, 'off', '--pid-file', pidFile],
      },
    ];
  }
  return [{name: `Gateway Role ${context.hostName}`, driver: 'guided', location: join(context.root, 'Logs')}];
}

/** Checks one entry of "roles"; every problem is named with the role's position. */
export function validateRole(value: unknown, index: number): RoleDefinition {
  const where = `settings "roles"[${index}]`;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`${where} must be an object with name, driver and location.`);
  const raw = value as Record<string, unknown>;
  if (typeof raw.name !== 'string' || raw.name.trim() === '') throw new UsageError(`${where}: "name" must be a non-empty text.`);
  if (raw.driver !== 'guided' && raw.driver !== 'script') throw new UsageError(`${where} (${raw.name}): "driver" must be "guided" or "script".`);
  if (typeof raw.location !== 'string' || raw.location.trim() === '') throw new UsageError(`${where} (${raw.name}): "location" must be the log folder.`);
  const role: RoleDefinition = {name: raw.name.trim(), driver: raw.driver, location: raw.location};
  for (const key of ['enable', 'disable'] as const) {
    const command = raw[key];
    if (command === undefined) continue;
    if (!Array.isArray(command) || command.length === 0 || !command.every(part => typeof part === 'string') || (command[0] as string).trim() === '') {
      throw new UsageError(`${where} (${role.name}): "${key}" must be a non-empty array of strings (program first, no shell).`);
    }
    role[key] = command as string[];
  }
  if (role.driver === 'script' && (!role.enable || !role.disable)) {
    throw new UsageError(`${where} (${role.name}): a "script" role needs both "enable" and "disable" commands.`);
  }
  return role;
}

export function validateRoles(value: unknown): RoleDefinition[] {
  if (!Array.isArray(value)) throw new UsageError('settings "roles" must be an array of roles.');
  const roles = value.map((entry, index) => validateRole(entry, index));
  const seen = new Set<string>();
  for (const role of roles) {
    const key = role.name.toLowerCase();
    if (seen.has(key)) throw new UsageError(`settings "roles": the name "${role.name}" is used twice.`);
    seen.add(key);
  }
  return roles;
}

/** The configured roles, or the default when none are configured. */
export async function loadRoles(context: Pick<ConsoleContext, 'root' | 'isDemo' | 'hostName' | 'stateDir'>): Promise<{roles: RoleDefinition[]; isDefault: boolean}> {
  const settings = await loadSettings(context.stateDir);
  if (settings.roles === undefined || (Array.isArray(settings.roles) && settings.roles.length === 0)) return {roles: defaultRoles(context), isDefault: true};
  return {roles: validateRoles(settings.roles), isDefault: false};
}

export async function saveRoles(stateDir: string, roles: RoleDefinition[]): Promise<void> {
  validateRoles(roles);
  await updateSettings(stateDir, settings => ({...settings, roles}));
}

/** Finds roles by name (case-insensitive); unknown names are a usage error listing the known ones. */
export function pickRoles(roles: RoleDefinition[], names: string[]): RoleDefinition[] {
  const picked = names.map(name => {
    const found = roles.find(role => role.name.toLowerCase() === name.trim().toLowerCase());
    if (!found) throw new UsageError(`Unknown role "${name}". Known roles: ${roles.map(role => `"${role.name}"`).join(', ')} (settings.json "roles").`);
    return found;
  });
  // Naming a role twice means once.
  return picked.filter((role, index) => picked.indexOf(role) === index);
}

/** Replaces {role} {location} {protocols} in every argument (no shell: each stays one argument). */
export function expandCommand(command: readonly string[], values: {role: string; location: string; protocols: readonly string[]}): string[] {
  return command.map(part => part.split('{role}').join(values.role).split('{location}').join(values.location).split('{protocols}').join(values.protocols.join(',')));
}
