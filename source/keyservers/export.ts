import {mkdir, readFile} from 'node:fs/promises';
import {join, resolve} from 'node:path';
import {OperationalError} from '../errors.js';
import {writeFileAtomic} from '../system/atomic-write.js';
import {toPem, type FoundCertificate} from './certificate.js';

export interface ExportedFiles {
  pem: string;
  der: string;
}

/** "alice_example.com-1a2b3c4d5e6f": the first e-mail (or CN) plus the fingerprint, so names never clash. */
export function exportBaseName(found: FoundCertificate): string {
  const cn = /CN=([^,]+)/.exec(found.details.subject)?.[1];
  const label = (found.details.emails[0] ?? cn ?? 'certificate').replace(/@/g, '_').replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  return `${label}-${found.details.sha256.slice(0, 12)}`;
}

/** Writes <name>.pem and <name>.cer (DER). An existing file with the same bytes is fine; different bytes are never overwritten. */
export async function exportCertificate(found: FoundCertificate, folder: string): Promise<ExportedFiles> {
  const target = resolve(folder);
  try {
    await mkdir(target, {recursive: true});
  } catch (error) {
    throw new OperationalError(`Cannot create the export folder ${target}: ${(error as Error).message}`);
  }
  const base = join(target, exportBaseName(found));
  const files = {pem: `${base}.pem`, der: `${base}.cer`};
  await writeOnce(files.pem, Buffer.from(toPem(found.der)));
  await writeOnce(files.der, found.der);
  return files;
}

async function writeOnce(path: string, data: Buffer): Promise<void> {
  let existing: Buffer | undefined;
  try {
    existing = await readFile(path);
  } catch {
    existing = undefined;
  }
  if (existing) {
    if (existing.equals(data)) return;
    throw new OperationalError(`${path} exists with other content; not overwritten. Move it away or export elsewhere.`);
  }
  try {
    await writeFileAtomic(path, data);
  } catch (error) {
    throw new OperationalError(`Cannot write ${path}: ${(error as Error).message}`);
  }
}
