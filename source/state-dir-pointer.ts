import {mkdir, readFile} from 'node:fs/promises';
import {basename, dirname, isAbsolute, join} from 'node:path';
import {writeFileAtomic} from './system/atomic-write.js';

/**
 * The file that names the state dir chosen in Settings: next to the default state dir, never inside a
 * state dir (the console reads it before it knows which state dir to use, and it must survive a switch).
 * E.g. %LOCALAPPDATA%\nsp-console.state-dir, ~/.local/state/nsp-console.state-dir.
 */
export function stateDirPointerPath(defaultDir: string): string {
  return join(dirname(defaultDir), `${basename(defaultDir)}.state-dir`);
}

/** What the pointer says: the folder it names, or why it is not used (it exists but holds no full path). */
export interface PointerReading {
  folder?: string;
  problem?: string;
}

/** The state dir the pointer names; a pointer that is there but unusable is reported, never silently skipped. */
export async function readStateDirPointer(pointer: string): Promise<PointerReading> {
  let text: string;
  try {
    text = await readFile(pointer, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    return {problem: `${pointer} (the state dir chosen in Settings) cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); using the default state dir.`};
  }
  const folder = text.replace(/^\uFEFF/, '').trim();
  if (folder.length > 0 && isAbsolute(folder)) return {folder};
  return {problem: `${pointer} (the state dir chosen in Settings) ${folder.length === 0 ? 'is empty' : 'does not hold a full path'}; using the default state dir. Choose it again in Settings.`};
}

/** Names the state dir for the next start (temp+rename: a half-written pointer is never read). */
export async function writeStateDirPointer(pointer: string, folder: string): Promise<void> {
  await mkdir(dirname(pointer), {recursive: true});
  await writeFileAtomic(pointer, `${folder}\n`);
}
