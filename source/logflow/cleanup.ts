import {lstat, unlink} from 'node:fs/promises';
import {join} from 'node:path';
import {openZip} from '../archive/zip-read.js';
import {errorMessage} from '../errors.js';
import type {FlowState} from './machine.js';

/**
 * Logs are never deleted automatically (the knowledge base's warning). After the run's ZIP is
 * written and verified, the console offers to delete the log files this run created in the window;
 * files that existed before the run are never touched.
 */

export interface CreatedFile {
  role: string;
  /** Full path of the log file. */
  path: string;
  /** Path below the role's location ('/' separated), as in the snapshots. */
  relative: string;
  /** Size at "off" (what the ZIP holds). */
  size: number;
}

/** Files present at "off" that were not there at "on": created by the run's window. */
export function filesCreatedInWindow(state: Pick<FlowState, 'roles' | 'onSnapshot' | 'offSnapshot'>): CreatedFile[] {
  return state.roles.flatMap(role => {
    const before = state.onSnapshot?.[role.name] ?? {};
    const after = state.offSnapshot?.[role.name] ?? {};
    return Object.entries(after)
      .filter(([relative]) => !Object.prototype.hasOwnProperty.call(before, relative))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([relative, size]) => ({role: role.name, path: join(role.location, ...relative.split('/')), relative, size}));
  });
}

/**
 * The files whose bytes the ZIP really holds: its central directory is read back and each created
 * file must be there under its manifest name with its full size. Anything else is not offered.
 */
export async function verifiedInZip(zipPath: string, created: readonly CreatedFile[], manifestFiles: readonly {source: string; zipName: string; size: number; excerpt: boolean}[]): Promise<{verified: CreatedFile[]; problem?: string}> {
  let zip;
  try {
    zip = await openZip(zipPath);
  } catch (error) {
    return {verified: [], problem: `the ZIP cannot be read back (${errorMessage(error)})`};
  }
  try {
    const members = new Map(zip.members.map(member => [member.name, member.size]));
    const verified = created.filter(file => {
      const entry = manifestFiles.find(candidate => candidate.source === file.path && !candidate.excerpt);
      return entry !== undefined && entry.size === file.size && members.get(entry.zipName) === file.size;
    });
    return {verified};
  } finally {
    zip.close();
  }
}

export interface DeleteResult {
  path: string;
  deleted: boolean;
  problem?: string;
}

/**
 * Deletes the given created files, each checked again right before: not in the "on" snapshot
 * (existed before the run: never), still a regular file, still the size the ZIP holds (a file
 * that grew has bytes the ZIP lacks: kept).
 */
export async function deleteCreatedFiles(files: readonly CreatedFile[], state: Pick<FlowState, 'onSnapshot'>): Promise<DeleteResult[]> {
  const results: DeleteResult[] = [];
  for (const file of files) {
    if (Object.prototype.hasOwnProperty.call(state.onSnapshot?.[file.role] ?? {}, file.relative)) {
      results.push({path: file.path, deleted: false, problem: 'existed before the run: never deleted'});
      continue;
    }
    try {
      const info = await lstat(file.path);
      if (!info.isFile()) results.push({path: file.path, deleted: false, problem: 'no longer a regular file'});
      else if (info.size !== file.size) results.push({path: file.path, deleted: false, problem: `changed since the ZIP was made (${info.size} bytes now, ${file.size} in the ZIP): kept`});
      else {
        await unlink(file.path);
        results.push({path: file.path, deleted: true});
      }
    } catch (error) {
      results.push({path: file.path, deleted: false, problem: errorMessage(error)});
    }
  }
  return results;
}
