import {readFileSync} from 'node:fs';
import {access, mkdir, rm, writeFile} from 'node:fs/promises';
import {constants} from 'node:fs';
import {isAbsolute, join, win32} from 'node:path';
import {randomBytes} from 'node:crypto';
import {settingsPath} from '../settings.js';
import {writeFileAtomic} from './atomic-write.js';

/** The default output folder: <state-dir>/output. */
export function defaultOutputFolder(stateDir: string): string {
  return join(stateDir, 'output');
}

/**
 * Where ZIPs, saved commands and scripts go: settings.json "output" (an absolute folder, changed in
 * Settings & about), else <state-dir>/output. Read when a file is written (rarely), so it is synchronous.
 */
export function outputFolder(stateDir: string): string {
  try {
    const settings = JSON.parse(readFileSync(settingsPath(stateDir), 'utf8')) as {output?: unknown};
    if (typeof settings.output === 'string' && checkOutputFolderText(settings.output) === undefined) return settings.output;
  } catch {
    /* no settings, or not readable: the default */
  }
  return defaultOutputFolder(stateDir);
}

/** Why a typed output folder is refused (one line), or undefined. */
export function checkOutputFolderText(text: string): string | undefined {
  const folder = text.trim();
  if (folder.length === 0) return 'Type a folder.';
  if (folder.length > 240) return 'At most 240 characters.';
  if (!isAbsolute(folder) && !win32.isAbsolute(folder)) return `Not a full path: ${folder} (e.g. C:\\Support or /var/tmp/nsp).`;
  if (/[\u0000-\u001f"<>|]/.test(folder)) return 'A folder name cannot contain control characters, ", <, > or |.';
  return undefined;
}

/** Creates the folder when needed and proves it is writable (a file is written and removed); throws why not. */
export async function ensureWritableFolder(folder: string): Promise<void> {
  await mkdir(folder, {recursive: true});
  await access(folder, constants.W_OK);
  const probe = join(folder, `.nsp-console-write-test-${randomBytes(4).toString('hex')}`);
  await writeFile(probe, '');
  await rm(probe, {force: true});
}

/** "20261203-0915" in UTC, for file names. */
export function fileStamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-').slice(0, 13);
}

/**
 * Saves text to copy (a command, a script) as <output>/<name>-<stamp>.<extension>: written to a
 * temporary file, fsynced and renamed, so the file is whole or absent. Windows line ends on Windows.
 * Returns the path.
 */
export async function saveToOutput(stateDir: string, name: string, extension: string, text: string, options: {now?: Date; platform?: NodeJS.Platform; bom?: boolean} = {}): Promise<string> {
  const folder = outputFolder(stateDir);
  await mkdir(folder, {recursive: true});
  const path = join(folder, `${name}-${fileStamp(options.now ?? new Date())}.${extension}`);
  const lineEnd = (options.platform ?? process.platform) === 'win32' ? '\r\n' : '\n';
  const body = `${text.replace(/\r\n/g, '\n').replace(/\n*$/, '\n').replace(/\n/g, lineEnd)}`;
  await writeFileAtomic(path, `${options.bom ? '\uFEFF' : ''}${body}`);
  return path;
}
