import {execFile} from 'node:child_process';
import {existsSync, readdirSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {exePath} from '../../scripts/build-exe.mjs';
import {projectRoot} from './tmux.js';

function newest(folder: string): number {
  let latest = 0;
  for (const entry of readdirSync(folder, {withFileTypes: true})) {
    const path = join(folder, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** dist/nsp-console.exe, built once (npm test's pretest builds it; here only when a source is newer). */
export async function ensureExeBuilt(): Promise<string> {
  const sources = Math.max(...['source', 'components', 'bin', 'examples'].map(folder => newest(join(projectRoot, folder))), statSync(join(projectRoot, 'scripts', 'build-exe.mjs')).mtimeMs);
  if (!existsSync(exePath) || statSync(exePath).mtimeMs < sources) {
    await promisify(execFile)(process.execPath, [join(projectRoot, 'scripts', 'build-exe.mjs')], {cwd: projectRoot, timeout: 600_000});
  }
  return exePath;
}
