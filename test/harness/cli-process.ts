import {spawn} from 'node:child_process';
import {join} from 'node:path';
import {ensureBuilt} from './build.js';
import {projectRoot} from './tmux.js';

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The built CLI as a real process (stdin closed, not a terminal); killed when it outlives `timeoutMs`. */
export function runBuiltCli(args: string[], options: {env?: NodeJS.ProcessEnv; timeoutMs?: number} = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(projectRoot, 'bin', 'nsp-console.js'), ...args], {env: {...process.env, NO_COLOR: '1', ...options.env}, stdio: ['ignore', 'pipe', 'pipe']});
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => (stdout += chunk));
    child.stderr.on('data', chunk => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.once('error', reject);
    child.once('close', code => {
      clearTimeout(timer);
      resolve({code, stdout, stderr});
    });
  });
}

export {ensureBuilt};

/** Runs `work` over `items` with at most `limit` at a time (the machine has few cores). */
export async function inBatches<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({length: Math.min(limit, items.length)}, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!, index);
      }
    }),
  );
  return results;
}
