import {stat} from 'node:fs/promises';
import {UsageError} from '../errors.js';
import {listLogflowRuns, runsDir, type LogflowRun} from '../logflow/runs.js';

/** The log flow owns its run records (source/logflow/runs.ts); the bundle only picks one and checks its ZIP. */
export type {LogflowRun};

/** 'latest' or a run id; a clear usage error when it does not exist. */
export async function pickRun(stateDir: string, choice: string): Promise<LogflowRun> {
  const runs = await listLogflowRuns(stateDir);
  if (runs.length === 0) throw new UsageError(`No troubleshooting-log run found in ${runsDir(stateDir)}; run "nsp-console logflow run" first or leave out --logs.`);
  if (choice === 'latest') return runs[0]!;
  const run = runs.find(candidate => candidate.id === choice);
  if (!run) throw new UsageError(`No troubleshooting-log run "${choice}". Known runs: ${runs.slice(0, 5).map(candidate => candidate.id).join(', ')}${runs.length > 5 ? ', ...' : ''}.`);
  return run;
}

export async function runZipExists(run: LogflowRun): Promise<boolean> {
  return stat(run.zipPath).then(info => info.isFile(), () => false);
}
