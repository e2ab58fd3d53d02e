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

/** The state dir the pointer names, or undefined when there is none (or it does not hold a full path). */
export async function readStateDirPointer(pointer: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(pointer, 'utf8');
  } catch {
    return undefined;
  }
  const folder = text.replace(/^\uFEFF/, '').trim();
  return folder.length > 0 && isAbsolute(folder) ? folder : undefined;
}

/** Names the state dir for the next start (temp+rename: a half-written pointer is never read). */
export async function writeStateDirPointer(pointer: string, folder: string): Promise<void> {
  await mkdir(dirname(pointer), {recursive: true});
  await writeFileAtomic(pointer, `${folder}\n`);
}
