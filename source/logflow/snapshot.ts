import {readdir, stat} from 'node:fs/promises';
import {join, relative, sep} from 'node:path';
import type {LocationSnapshot, RoleDefinition, Snapshot} from './types.js';

/** Sizes of every regular file below a log location (relative paths with '/'). Missing location: {}. */
export async function snapshotLocation(location: string): Promise<LocationSnapshot> {
  const sizes: LocationSnapshot = {};
  const walk = async (folder: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(folder, {withFileTypes: true});
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      throw error;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory() && depth < 8) await walk(path, depth + 1);
      else if (entry.isFile()) {
        try {
          sizes[relative(location, path).split(sep).join('/')] = (await stat(path)).size;
        } catch {
          // Removed between readdir and stat: not part of this snapshot.
        }
      }
    }
  };
  await walk(location, 0);
  return sizes;
}

export async function snapshotRoles(roles: readonly Pick<RoleDefinition, 'name' | 'location'>[]): Promise<Snapshot> {
  const snapshot: Snapshot = {};
  for (const role of roles) snapshot[role.name] = await snapshotLocation(role.location);
  return snapshot;
}

export function totalBytes(location: LocationSnapshot | undefined): number {
  return Object.values(location ?? {}).reduce((sum, size) => sum + size, 0);
}

/** Bytes added between two snapshots of one location (new files count whole; shrunk files count their new size). */
export function bytesWritten(before: LocationSnapshot | undefined, after: LocationSnapshot | undefined): number {
  let written = 0;
  for (const [path, size] of Object.entries(after ?? {})) {
    const old = before?.[path];
    if (old === undefined || size < old) written += size;
    else written += size - old;
  }
  return written;
}

/** Roles whose files changed between two snapshots. */
export function growingRoles(before: Snapshot, after: Snapshot): string[] {
  return Object.keys(after).filter(role => bytesWritten(before[role], after[role]) > 0);
}
