import {existsSync} from 'node:fs';
import {delimiter, dirname, join} from 'node:path';

export interface AzProgram {
  file: string;
  /** Arguments that come before the az arguments (the Python module on Windows). */
  prefixArgs: string[];
}

/**
 * On Windows `az` is az.cmd, a batch file: running it would go through cmd.exe and its quoting
 * rules. Instead run what az.cmd runs — the bundled python.exe with `-IBm azure.cli` — so every
 * value stays one argument. Elsewhere `az` is an ordinary executable.
 */
export function resolveAzProgram(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): AzProgram {
  if (platform !== 'win32') return {file: 'az', prefixArgs: []};
  const path = env.PATH ?? env.Path ?? '';
  for (const folder of path.split(delimiter).filter(Boolean)) {
    const exe = join(folder, 'az.exe');
    if (existsSync(exe)) return {file: exe, prefixArgs: []};
    if (existsSync(join(folder, 'az.cmd'))) {
      const python = join(dirname(folder), 'python.exe');
      if (existsSync(python)) return {file: python, prefixArgs: ['-IBm', 'azure.cli']};
    }
  }
  return {file: 'az', prefixArgs: []};
}
