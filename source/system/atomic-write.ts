import {randomBytes} from 'node:crypto';
import {link, open, realpath, rename, rm} from 'node:fs/promises';
import {basename, dirname, join} from 'node:path';

/**
 * Where a write to `path` must land: a symbolic link is followed to its target, so the link stays a
 * link and the target is edited (never "replace the link by a regular file").
 */
export async function resolveWriteTarget(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return path;
    throw error;
  }
}

function temporaryNameFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

async function writeTemporary(path: string, data: string | Uint8Array, mode: number): Promise<string> {
  const temporary = temporaryNameFor(path);
  const handle = await open(temporary, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, {force: true});
    throw error;
  }
  await handle.close();
  return temporary;
}

/**
 * Writes a file so that readers see either the old or the new content, never a half-written one:
 * a temporary file in the same folder (same volume, so rename is atomic), fsync, then rename.
 * A symbolic link at `path` is followed: its target is replaced, the link stays.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode?: number): Promise<void> {
  const target = await resolveWriteTarget(path);
  const temporary = await writeTemporary(target, data, mode ?? 0o644);
  try {
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, {force: true});
    throw error;
  }
}

/**
 * Creates `path` with `data` only when no file has that name yet: returns false (and writes nothing)
 * when one exists. Complete or absent, never half-written: a temporary file is hard-linked to the
 * final name (link fails when the name exists). File systems without hard links get an exclusive
 * create instead.
 */
export async function writeFileExclusive(path: string, data: string | Uint8Array, mode = 0o644): Promise<boolean> {
  const temporary = await writeTemporary(path, data, mode);
  try {
    await link(temporary, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS' && code !== 'EINVAL') throw error;
    return createExclusiveDirectly(path, data, mode);
  } finally {
    await rm(temporary, {force: true});
  }
}

async function createExclusiveDirectly(path: string, data: string | Uint8Array, mode: number): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx', mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

/**
 * Moves a finished temporary file to a final name that must not exist yet (two writers choosing
 * the same output name never overwrite each other): false when the name is taken.
 */
export async function renameExclusive(temporary: string, finalPath: string): Promise<boolean> {
  try {
    await link(temporary, finalPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS' && code !== 'EINVAL') throw error;
    // No hard links: reserve the name exclusively, then rename over our own reservation.
    try {
      await (await open(finalPath, 'wx')).close();
    } catch (inner) {
      if ((inner as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw inner;
    }
    await rename(temporary, finalPath);
    return true;
  }
  await rm(temporary, {force: true});
  return true;
}
