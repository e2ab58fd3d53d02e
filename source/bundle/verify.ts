import {createHash} from 'node:crypto';
import {openZip, readMember, type ZipMember} from '../archive/zip-read.js';
import {errorMessage, OperationalError} from '../errors.js';
import type {Manifest} from './types.js';

export interface EntryCheck {
  path: string;
  ok: boolean;
  problem?: string;
}

export interface VerifyReport {
  path: string;
  ok: boolean;
  manifest: Manifest;
  checks: EntryCheck[];
  /** Entries in the ZIP the manifest does not list (besides manifest.json). */
  unlisted: string[];
  /** Entry names no bundle may have: duplicates, "..", absolute paths, backslashes. */
  badNames: EntryCheck[];
}

/** manifest.json is read whole; a bundle's is far smaller than this. */
export const maxManifestBytes = 64 * 1024 * 1024;

function parseManifest(bytes: Buffer, zipPath: string): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new OperationalError(`${zipPath}: manifest.json is not valid JSON (${errorMessage(error)}).`);
  }
  const manifest = value as Manifest;
  if (!manifest || typeof manifest !== 'object' || !Array.isArray(manifest.entries) || !Array.isArray(manifest.skipped)) throw new OperationalError(`${zipPath}: manifest.json has no "entries"/"skipped" lists; is this a support bundle?`);
  for (const entry of manifest.entries) {
    if (typeof entry?.path !== 'string' || typeof entry.sha256 !== 'string' || typeof entry.size !== 'number') throw new OperationalError(`${zipPath}: manifest.json has an entry without path, size or sha256.`);
  }
  return manifest;
}

/** Why a stored name cannot be in a bundle (undefined when it can). */
export function entryNameProblem(name: string): string | undefined {
  if (name.includes('\\')) return 'backslash in the path';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'absolute path';
  if (name.split('/').includes('..')) return 'path goes up ("..")';
  return undefined;
}

function badNames(members: readonly ZipMember[]): EntryCheck[] {
  const problems: EntryCheck[] = [];
  const seen = new Set<string>();
  const reported = new Set<string>();
  for (const member of members) {
    const problem = entryNameProblem(member.name);
    if (problem) problems.push({path: member.name, ok: false, problem});
    // Windows folders are case-insensitive: "a.txt" and "A.TXT" would overwrite each other.
    const key = member.name.toLowerCase();
    if (seen.has(key) && !reported.has(key)) {
      problems.push({path: member.name, ok: false, problem: 'duplicate entry name'});
      reported.add(key);
    }
    seen.add(key);
  }
  return problems;
}

/**
 * Re-reads a bundle and checks every entry of its manifest: present once, declared size, SHA-256
 * and CRC-32 of the bytes; entries the manifest does not list and names no bundle may have are
 * problems too. Reading streams with bounded memory whatever the sizes declare.
 */
export async function verifyBundle(zipPath: string): Promise<VerifyReport> {
  const zip = await openZip(zipPath);
  try {
    const manifests = zip.members.filter(member => member.name === 'manifest.json');
    if (manifests.length === 0) throw new OperationalError(`${zipPath} has no manifest.json; it is not a support bundle made by nsp-console.`);
    const manifest = parseManifest(await readMember(zip, manifests[0]!, maxManifestBytes).catch((error: unknown) => {
      throw new OperationalError(`${zipPath}: manifest.json cannot be read (${errorMessage(error)}).`);
    }), zipPath);
    const checks: EntryCheck[] = [];
    const listed = new Set<string>();
    for (const entry of manifest.entries) {
      if (listed.has(entry.path)) {
        checks.push({path: entry.path, ok: false, problem: 'listed twice in the manifest'});
        continue;
      }
      listed.add(entry.path);
      const problem = entryNameProblem(entry.path);
      if (problem) {
        checks.push({path: entry.path, ok: false, problem: `manifest path: ${problem}`});
        continue;
      }
      const member = zip.members.find(candidate => candidate.name === entry.path);
      if (!member) {
        checks.push({path: entry.path, ok: false, problem: 'missing from the ZIP'});
        continue;
      }
      if (member.size !== entry.size) {
        checks.push({path: entry.path, ok: false, problem: `the ZIP declares ${member.size} bytes, the manifest ${entry.size}`});
        continue;
      }
      try {
        const hash = createHash('sha256');
        let size = 0;
        for await (const chunk of await zip.read(member)) {
          hash.update(chunk as Buffer);
          size += (chunk as Buffer).length;
        }
        const sha256 = hash.digest('hex');
        if (size !== entry.size) checks.push({path: entry.path, ok: false, problem: `size ${size}, manifest says ${entry.size}`});
        else if (sha256 !== entry.sha256.toLowerCase()) checks.push({path: entry.path, ok: false, problem: 'SHA-256 differs from the manifest'});
        else checks.push({path: entry.path, ok: true});
      } catch (error) {
        checks.push({path: entry.path, ok: false, problem: errorMessage(error)});
      }
    }
    const unlisted = [...new Set(zip.members.map(member => member.name))].filter(name => name !== 'manifest.json' && !name.endsWith('/') && !listed.has(name));
    const names = badNames(zip.members);
    const ok = checks.every(check => check.ok) && unlisted.length === 0 && names.length === 0;
    return {path: zipPath, ok, manifest, checks, unlisted, badNames: names};
  } finally {
    zip.close();
  }
}
