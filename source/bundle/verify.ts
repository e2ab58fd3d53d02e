import {createHash} from 'node:crypto';
import {errorMessage, OperationalError} from '../errors.js';
import type {Manifest} from './types.js';
import {openZipMember, readZipDirectory, readZipMember} from './zip-reader.js';

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
}

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

/** Re-reads a bundle and checks every entry of its manifest: present, size, SHA-256 (and each CRC-32). */
export async function verifyBundle(zipPath: string): Promise<VerifyReport> {
  const members = await readZipDirectory(zipPath);
  const manifestMember = members.find(member => member.name === 'manifest.json');
  if (!manifestMember) throw new OperationalError(`${zipPath} has no manifest.json; it is not a support bundle made by nsp-console.`);
  const manifest = parseManifest(await readZipMember(zipPath, manifestMember), zipPath);
  const checks: EntryCheck[] = [];
  for (const entry of manifest.entries) {
    const member = members.find(candidate => candidate.name === entry.path);
    if (!member) {
      checks.push({path: entry.path, ok: false, problem: 'missing from the ZIP'});
      continue;
    }
    try {
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of await openZipMember(zipPath, member)) {
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
  const listed = new Set(manifest.entries.map(entry => entry.path));
  const unlisted = members.map(member => member.name).filter(name => name !== 'manifest.json' && !name.endsWith('/') && !listed.has(name));
  return {path: zipPath, ok: checks.every(check => check.ok) && unlisted.length === 0, manifest, checks, unlisted};
}
