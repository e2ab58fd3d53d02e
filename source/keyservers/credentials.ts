import {rememberSecret} from '../system/session-record.js';
import type {Directory} from './catalogue.js';

export type BindCredentials = {kind: 'anonymous'} | {kind: 'simple'; bindDn: string; password: string} | {kind: 'missing'; reason: string};

/** Passwords typed this session (never written anywhere unless the admin asks to store them). */
const sessionCredentials = new Map<string, {bindDn: string; password: string}>();

export function setSessionCredentials(id: string, bindDn: string, password: string): void {
  rememberSecret(password);
  sessionCredentials.set(id, {bindDn, password});
}

export function clearSessionCredentials(id?: string): void {
  if (id === undefined) sessionCredentials.clear();
  else sessionCredentials.delete(id);
}

/** NSP_CONSOLE_KEYSERVER_PASSWORD_<ID>, the id upper-cased with every other character as "_". */
export function passwordVariable(id: string): string {
  return `NSP_CONSOLE_KEYSERVER_PASSWORD_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * Which bind to use: a stored password, this session's typed one, or the environment variable;
 * anonymous when no bind DN is configured and none is required.
 */
export function resolveCredentials(directory: Directory, env: NodeJS.ProcessEnv = process.env): BindCredentials {
  const typed = sessionCredentials.get(directory.id);
  if (typed) return {kind: 'simple', ...typed};
  const bindDn = directory.bindDn;
  if (bindDn === null) {
    return directory.credentialsRequired
      ? {kind: 'missing', reason: `needs credentials: a bind DN and password from the directory's operator (give them in the console with "c", or store the bind DN in settings and set ${passwordVariable(directory.id)})`}
      : {kind: 'anonymous'};
  }
  const fromEnv = env[passwordVariable(directory.id)];
  const password = directory.password ?? (fromEnv && fromEnv.length > 0 ? fromEnv : null);
  if (password === null) return {kind: 'missing', reason: `needs credentials: the password for ${bindDn} is not stored (type it in the console or set ${passwordVariable(directory.id)})`};
  rememberSecret(password);
  return {kind: 'simple', bindDn, password};
}
