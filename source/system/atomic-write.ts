import {randomBytes} from 'node:crypto';
import {open, rename, rm} from 'node:fs/promises';
import {basename, dirname, join} from 'node:path';

/**
 * Writes a file so that readers see either the old or the new content, never a half-written one:
 * a temporary file in the same folder (same volume, so rename is atomic), fsync, then rename.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode?: number): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', mode ?? 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, {force: true});
    throw error;
  }
  await handle.close();
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, {force: true});
    throw error;
  }
}
