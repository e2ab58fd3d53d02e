import {execFileSync} from 'node:child_process';
import {existsSync, statSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import {projectRoot} from './tmux.js';

function newestSource(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, {withFileTypes: true})) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** End-to-end tests run the built bundle; rebuild when a source is newer than it (npm test builds first anyway). */
export function ensureBuilt(): void {
  const bundle = join(projectRoot, 'dist', 'cli.js');
  const sourcesChanged = !existsSync(bundle) || Math.max(newestSource(join(projectRoot, 'source')), newestSource(join(projectRoot, 'components'))) > statSync(bundle).mtimeMs;
  if (sourcesChanged) execFileSync(process.execPath, [join(projectRoot, 'scripts', 'build.mjs')], {cwd: projectRoot, stdio: 'inherit'});
}
