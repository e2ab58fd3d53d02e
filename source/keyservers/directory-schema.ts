import {existsSync} from 'node:fs';
import {isAbsolute, resolve} from 'node:path';
import {learnSecret, stripUrlUserinfo} from '../system/secret-registry.js';
import type {Directory} from './catalogue.js';
import {checkFilterTemplate} from './filter.js';

/** Every field a directory object may have; anything else is probably a typo ("baseDN"). */
const knownKeys = new Set(['id', 'name', 'url', 'startTls', 'bindDn', 'password', 'baseDn', 'filter', 'attributes', 'caFile', 'credentialsRequired', 'bindDnHint']);

export class DirectoryListError extends Error {
  override name = 'DirectoryListError';
}

/**
 * Validates a JSON array of directory objects (the --keyservers file, settings "keyservers").
 * Defaults: startTls false, bindDn/password/baseDn null, filter "(mail=%e)", attributes ["userCertificate;binary"].
 * `where` names the source in messages; relative caFile paths resolve against `baseFolder`.
 */
export function parseDirectoryList(data: unknown, where: string, baseFolder?: string): Directory[] {
  if (!Array.isArray(data)) throw new DirectoryListError(`${where}: expected a JSON array of directories, e.g. [{"id": "dtrust", "name": "D-TRUST", "url": "ldap://directory.d-trust.net:389", "baseDn": "c=de"}].`);
  const seen = new Set<string>();
  return data.map((item, index) => {
    const directory = parseDirectory(item, `${where}, entry ${index + 1}`, baseFolder);
    if (seen.has(directory.id)) throw new DirectoryListError(`${where}, entry ${index + 1}: the id "${directory.id}" is used twice; ids must be unique.`);
    seen.add(directory.id);
    return directory;
  });
}

export function parseDirectory(item: unknown, where: string, baseFolder?: string): Directory {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new DirectoryListError(`${where}: expected an object.`);
  const record = item as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!knownKeys.has(key)) throw new DirectoryListError(`${where}: unknown field "${key}" (known: ${[...knownKeys].join(', ')}).`);
  }
  const fail = (message: string): never => {
    throw new DirectoryListError(`${where}: ${message}`);
  };
  const id = record.id;
  if (typeof id !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(id)) fail('"id" must be letters, digits, ".", "_" or "-" (at most 64), e.g. "dtrust".');
  const name = record.name;
  if (typeof name !== 'string' || name.trim().length === 0) fail('"name" must be a non-empty text.');
  const url = record.url;
  const urlProblem = typeof url === 'string' ? checkDirectoryUrl(url) : '"url" is missing.';
  if (urlProblem) fail(urlProblem);
  const startTls = optionalBoolean(record.startTls, 'startTls', fail) ?? false;
  if (startTls && (url as string).toLowerCase().startsWith('ldaps:')) fail('"startTls" cannot be combined with an ldaps:// URL (that is already TLS).');
  const bindDn = optionalText(record.bindDn, 'bindDn', fail);
  // An empty password would make an "unauthenticated" bind that many servers accept as anonymous.
  const password = optionalText(record.password, 'password', fail, true);
  if (password === '') fail('"password" must not be empty; use null to be asked for it.');
  if (password !== null && bindDn === null) fail('a "password" needs a "bindDn".');
  // A stored password is a secret of this session: masked wherever it would be printed or zipped.
  if (password) learnSecret(password, `directories file "password" of ${typeof record.id === 'string' ? record.id : 'a directory'}`);
  const baseDn = optionalText(record.baseDn, 'baseDn', fail);
  const filter = record.filter === undefined ? '(mail=%e)' : record.filter;
  if (typeof filter !== 'string') fail('"filter" must be a text such as "(mail=%e)".');
  const filterProblem = checkFilterTemplate(filter as string);
  if (filterProblem) fail(`"filter": ${filterProblem}`);
  const attributes = record.attributes === undefined ? ['userCertificate;binary'] : record.attributes;
  if (!Array.isArray(attributes) || attributes.length === 0 || attributes.some(attribute => typeof attribute !== 'string' || !/^[A-Za-z][A-Za-z0-9-]*(;[A-Za-z0-9-]+)*$/.test(attribute))) {
    fail('"attributes" must be a non-empty list of attribute names such as ["userCertificate;binary"].');
  }
  let caFile = optionalText(record.caFile, 'caFile', fail);
  if (caFile !== null) {
    if (!isAbsolute(caFile) && baseFolder) caFile = resolve(baseFolder, caFile);
    if (!existsSync(caFile)) fail(`"caFile" ${caFile} does not exist.`);
  }
  const credentialsRequired = optionalBoolean(record.credentialsRequired, 'credentialsRequired', fail);
  const bindDnHint = optionalText(record.bindDnHint, 'bindDnHint', fail);
  const directory: Directory = {
    id: id as string,
    name: (name as string).trim(),
    url: url as string,
    startTls,
    bindDn,
    password,
    baseDn,
    filter: filter as string,
    attributes: attributes as string[],
  };
  if (caFile !== null) directory.caFile = caFile;
  if (credentialsRequired !== undefined) directory.credentialsRequired = credentialsRequired;
  if (bindDnHint !== null) directory.bindDnHint = bindDnHint;
  return directory;
}

/** undefined when fine, otherwise why not. */
export function checkDirectoryUrl(url: string): string | undefined {
  // Messages show the URL without user and password.
  const shown = stripUrlUserinfo(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${shown}" is not a URL; use ldap://host:389 or ldaps://host:636.`;
  }
  if (parsed.protocol !== 'ldap:' && parsed.protocol !== 'ldaps:') return `"${shown}" must start with ldap:// or ldaps://.`;
  if (parsed.hostname.length === 0) return `"${shown}" has no host name.`;
  if ((parsed.pathname !== '' && parsed.pathname !== '/') || parsed.search !== '' || parsed.hash !== '' || parsed.username !== '' || parsed.password !== '') {
    return `"${shown}" must be only scheme, host and port (no user or password: use "bindDn" and "password"); put the base DN in "baseDn".`;
  }
  return undefined;
}

function optionalText(raw: unknown, key: string, fail: (message: string) => never, allowEmpty = false): string | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'string') fail(`"${key}" must be a text or null.`);
  if (!allowEmpty && (raw as string).trim().length === 0) fail(`"${key}" must not be empty; use null instead.`);
  return allowEmpty ? (raw as string) : (raw as string).trim();
}

function optionalBoolean(raw: unknown, key: string, fail: (message: string) => never): boolean | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'boolean') fail(`"${key}" must be true or false.`);
  return raw as boolean;
}
