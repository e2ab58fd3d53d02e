import {spawn} from 'node:child_process';
import {closeSync, mkdirSync, openSync} from 'node:fs';
import {dirname} from 'node:path';

/**
 * Starts a process that outlives this one (its own session, no shared stdio), writing stdout and
 * stderr to logPath. Returns its pid, or undefined when it could not be started.
 */
export function spawnDetached(file: string, args: readonly string[], logPath: string, env?: NodeJS.ProcessEnv): number | undefined {
  mkdirSync(dirname(logPath), {recursive: true});
  const log = openSync(logPath, 'a');
  try {
    const child = spawn(file, args, {detached: true, stdio: ['ignore', log, log], env: env ?? process.env, windowsHide: true});
    child.on('error', () => {});
    child.unref();
    return child.pid;
  } finally {
    closeSync(log);
  }
}
