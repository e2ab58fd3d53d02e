// The Windows exe carries the built dist/ (and the demo sandbox) as SEA assets. Node 20 can import
// ES modules only from disk, so they are written once to a versioned folder and checked by hash on
// every start. Built-ins only: this runs inside the exe's CommonJS main.
import {createHash} from 'node:crypto';
import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {dirname, join} from 'node:path';

export const manifestAssetName = 'manifest.json';

export interface AppFile {
  /** Relative path with forward slashes; also the asset's name. */
  path: string;
  sha256: string;
  size: number;
}

export interface AppManifest {
  version: string;
  /** sha256 over every file's path and hash (the build computes it): a different build gets a different folder. */
  id: string;
  files: AppFile[];
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** %LOCALAPPDATA%\nsp-console\app (the console's state lives next to it in %LOCALAPPDATA%\nsp-console). */
export function appCacheRoot(env: NodeJS.ProcessEnv): string {
  const localAppData = env.LOCALAPPDATA && env.LOCALAPPDATA.length > 0 ? env.LOCALAPPDATA : join(env.USERPROFILE ?? homedir(), 'AppData', 'Local');
  return join(localAppData, 'nsp-console', 'app');
}

export function appFolder(cacheRoot: string, manifest: AppManifest): string {
  return join(cacheRoot, `${manifest.version}-${manifest.id.slice(0, 16)}`);
}

/** A relative asset path that cannot leave the folder (the manifest is ours, but a folder is a folder). */
function safeParts(path: string): string[] {
  const parts = path.split('/');
  if (parts.some(part => part === '' || part === '.' || part === '..' || /[\\:]/.test(part))) throw new Error(`bad asset path in the manifest: ${path}`);
  return parts;
}

function matches(target: string, file: AppFile): boolean {
  try {
    if (statSync(target).size !== file.size) return false;
    return sha256(readFileSync(target)) === file.sha256;
  } catch {
    return false;
  }
}

export interface ExtractResult {
  folder: string;
  /** Files written this time (0 when everything was already there and intact). */
  written: number;
}

/**
 * Makes sure every file of the manifest is in the folder with the right hash: writes missing or
 * changed ones (temp file + rename, so a second start at the same moment never sees half a file).
 */
export function ensureExtracted(folder: string, manifest: AppManifest, readAsset: (path: string) => Uint8Array): ExtractResult {
  let written = 0;
  for (const file of manifest.files) {
    const target = join(folder, ...safeParts(file.path));
    if (matches(target, file)) continue;
    const data = readAsset(file.path);
    if (sha256(data) !== file.sha256) throw new Error(`the exe is damaged: its copy of ${file.path} does not match its manifest`);
    mkdirSync(dirname(target), {recursive: true});
    const temporary = `${target}.${process.pid}.tmp`;
    try {
      writeFileSync(temporary, data);
      renameSync(temporary, target);
    } catch (error) {
      rmSync(temporary, {force: true});
      // Another start may have written it meanwhile.
      if (!matches(target, file)) throw error;
    }
    written++;
  }
  return {folder, written};
}

/** Removes the folders of other builds (best effort: one may still be in use by a running console). */
export function removeOtherVersions(cacheRoot: string, keep: string): string[] {
  if (!existsSync(cacheRoot)) return [];
  const removed: string[] = [];
  for (const entry of readdirSync(cacheRoot, {withFileTypes: true})) {
    const path = join(cacheRoot, entry.name);
    if (!entry.isDirectory() || path === keep) continue;
    try {
      rmSync(path, {recursive: true, force: true});
      removed.push(path);
    } catch {
      // in use or not ours to remove: leave it
    }
  }
  return removed;
}
