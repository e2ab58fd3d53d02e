import {mkdir} from 'node:fs/promises';
import {join} from 'node:path';
import {writeFileAtomic} from './atomic-write.js';

/** <state-dir>/output: ZIPs, saved commands and scripts. */
export function outputFolder(stateDir: string): string {
  return join(stateDir, 'output');
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
