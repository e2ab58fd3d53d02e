import {readFile} from 'node:fs/promises';
import {dirname, resolve} from 'node:path';
import {OperationalError, UsageError} from '../errors.js';
import {loadSettings, settingsPath, updateSettings, type Settings} from '../settings.js';
import {mergeCatalogue, type CatalogueEntry, type Directory} from './catalogue.js';
import {parseDirectoryList, DirectoryListError} from './directory-schema.js';

/** settings.json key holding the custom directories (same schema as a --keyservers file). */
export const settingsKey = 'keyservers';

export async function loadCustomDirectories(stateDir: string): Promise<Directory[]> {
  return parseStoredDirectories(await loadSettings(stateDir), stateDir);
}

function parseStoredDirectories(settings: Settings, stateDir: string): Directory[] {
  const raw = settings[settingsKey];
  if (raw === undefined) return [];
  try {
    return parseDirectoryList(raw, `${settingsPath(stateDir)} "${settingsKey}"`, stateDir);
  } catch (error) {
    if (error instanceof DirectoryListError) throw new OperationalError(`${error.message} Fix or remove it in that file.`);
    throw error;
  }
}

/** The catalogue of one run: a --keyservers file replaces everything; otherwise built-ins plus settings. */
export async function loadCatalogue(stateDir: string, keyserversFile?: string): Promise<CatalogueEntry[]> {
  if (keyserversFile !== undefined) return (await readDirectoryFile(keyserversFile)).map(directory => ({...directory, source: 'file' as const}));
  return mergeCatalogue(await loadCustomDirectories(stateDir));
}

export async function readDirectoryFile(file: string): Promise<Directory[]> {
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read the key-server file ${path}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    const directories = parseDirectoryList(data, path, dirname(path));
    if (directories.length === 0) throw new UsageError(`${path} lists no directories.`);
    return directories;
  } catch (error) {
    if (error instanceof DirectoryListError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * Adds or replaces (same id) a custom directory. The password is written only when the admin asked
 * to store it; otherwise an already stored one is dropped too, so "don't store" means what it says.
 */
export async function saveCustomDirectory(stateDir: string, directory: Directory, options: {storePassword: boolean; previousId?: string}): Promise<void> {
  const stored: Directory = {...directory, password: options.storePassword ? directory.password : null};
  await changeCustomDirectories(stateDir, current => {
    const replaced = options.previousId ?? directory.id;
    if (directory.id !== replaced && current.some(item => item.id === directory.id)) throw new UsageError(`A directory with the id "${directory.id}" exists already.`);
    return current.some(item => item.id === replaced) ? current.map(item => (item.id === replaced ? stored : item)) : [...current, stored];
  });
}

export async function removeCustomDirectory(stateDir: string, id: string): Promise<boolean> {
  let removed = false;
  await changeCustomDirectories(stateDir, current => {
    removed = current.some(item => item.id === id);
    return removed ? current.filter(item => item.id !== id) : undefined;
  });
  return removed;
}

/**
 * Changes the list as it is in settings.json at this moment (under the settings lock), so two
 * consoles adding directories at once keep both. `change` returns undefined for "no change".
 */
async function changeCustomDirectories(stateDir: string, change: (current: Directory[]) => Directory[] | undefined): Promise<void> {
  await updateSettings(stateDir, settings => {
    const directories = change(parseStoredDirectories(settings, stateDir));
    if (directories === undefined) return settings;
    // Validate what we write with the same rules we read with: a broken settings file is never produced.
    parseDirectoryList(JSON.parse(JSON.stringify(directories.map(toSettingsObject))), 'new settings', stateDir);
    const next = {...settings};
    if (directories.length === 0) delete next[settingsKey];
    else next[settingsKey] = directories.map(toSettingsObject);
    return next;
  });
}

/** The documented field order; optional fields only when set. */
function toSettingsObject(directory: Directory): Record<string, unknown> {
  const object: Record<string, unknown> = {
    id: directory.id,
    name: directory.name,
    url: directory.url,
    startTls: directory.startTls,
    bindDn: directory.bindDn,
    password: directory.password,
    baseDn: directory.baseDn,
    filter: directory.filter,
    attributes: directory.attributes,
  };
  if (directory.caFile) object.caFile = directory.caFile;
  if (directory.credentialsRequired !== undefined) object.credentialsRequired = directory.credentialsRequired;
  if (directory.bindDnHint) object.bindDnHint = directory.bindDnHint;
  return object;
}

/** Resolves --server ids against the catalogue; unknown ids are a usage error naming the known ones. */
export function chooseDirectories(catalogue: CatalogueEntry[], ids: readonly string[]): CatalogueEntry[] {
  if (ids.length === 0) return catalogue;
  const unknown = ids.filter(id => !catalogue.some(directory => directory.id === id));
  if (unknown.length > 0) throw new UsageError(`Unknown directory id${unknown.length > 1 ? 's' : ''} ${unknown.map(id => `"${id}"`).join(', ')}. Known: ${catalogue.map(directory => directory.id).join(', ')}.`);
  return catalogue.filter(directory => ids.includes(directory.id));
}
