import {readdir, stat} from 'node:fs/promises';
import {dirname, join, parse, resolve} from 'node:path';

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
  entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'folder' ? -1 : b.kind === 'folder' ? 1 : 0));
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
