import {readdir, stat} from 'node:fs/promises';
import {homedir} from 'node:os';
import {dirname, join, parse, resolve} from 'node:path';
import {loadSettings, updateSettings} from '../settings.js';

export interface FolderEntry {
  name: string;
  path: string;
  kind: 'folder' | 'file' | 'other';
  size: number;
}

/** One folder for the file picker: ".." first, folders, then files (optionally only some extensions). */
export async function listFolder(folder: string, extensions?: readonly string[]): Promise<FolderEntry[]> {
  const names = await readdir(folder);
  const entries: FolderEntry[] = [];
  for (const name of names) {
    const path = join(folder, name);
    const info = await stat(path).catch(() => undefined);
    const kind = info?.isDirectory() ? 'folder' : info?.isFile() ? 'file' : 'other';
    if (kind === 'file' && extensions && !extensions.some(extension => name.toLowerCase().endsWith(extension))) continue;
    entries.push({name, path, kind, size: info?.size ?? 0});
  }
  entries.sort((a, b) => (a.kind === b.kind ? naturalCompare(a.name, b.name) : a.kind === 'folder' ? -1 : b.kind === 'folder' ? 1 : 0));
  const parent = dirname(folder);
  if (parent !== folder || parse(folder).root !== folder) entries.unshift({name: '..', path: parent, kind: 'folder', size: 0});
  return parent === folder ? entries.filter(entry => entry.name !== '..') : entries;
}

/** What a path typed into the file picker is (undefined: it does not exist or cannot be read). */
export async function typedPath(path: string, base: string): Promise<{path: string; kind: FolderEntry['kind']} | undefined> {
  const full = resolve(base, path.trim().replace(/^"(.*)"$/, '$1'));
  const info = await stat(full).catch(() => undefined);
  if (!info) return undefined;
  return {path: full, kind: info.isDirectory() ? 'folder' : info.isFile() ? 'file' : 'other'};
}

/** Natural order, as Explorer sorts: "log2" before "log10", case does not matter. */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, undefined, {numeric: true, sensitivity: 'base'}) || (a < b ? -1 : a > b ? 1 : 0);
}

async function isFolder(path: string | undefined): Promise<boolean> {
  if (!path) return false;
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/** The user's documents folder (Windows: %USERPROFILE%\Documents), or the home folder without one. */
export async function documentsFolder(home = homedir()): Promise<string> {
  const documents = join(home, 'Documents');
  return (await isFolder(documents)) ? documents : home;
}

/** settings.json "filePicker": {"lastFolder": ...}, the folder the last pick was made in. */
export async function lastPickerFolder(stateDir: string): Promise<string | undefined> {
  const settings = await loadSettings(stateDir).catch(() => undefined);
  const picker = settings?.filePicker as {lastFolder?: unknown} | undefined;
  const last = typeof picker?.lastFolder === 'string' ? picker.lastFolder : undefined;
  return (await isFolder(last)) ? last : undefined;
}

/** Where the picker opens: the last folder used (when it still exists), else the user's documents. */
export async function pickerStartFolder(stateDir: string | undefined, home = homedir()): Promise<string> {
  return (stateDir ? await lastPickerFolder(stateDir) : undefined) ?? (await documentsFolder(home));
}

export async function rememberPickerFolder(stateDir: string, folder: string): Promise<void> {
  await updateSettings(stateDir, settings => ({...settings, filePicker: {...(settings.filePicker as object | undefined), lastFolder: folder}}));
}
