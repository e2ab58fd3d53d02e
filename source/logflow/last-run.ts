import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {writeFileAtomic} from '../system/atomic-write.js';
import {logflowDir, readJournal, type Journal} from './journal.js';
import {isEnded, isLoggingMaybeOn} from './machine.js';

const byWords: Record<string, string> = {
  watchdog: 'by the watchdog',
  signal: 'by the console as it closed',
  command: 'by "logflow stop"',
  recovery: 'from the recovery screen',
  console: 'by the console',
};

function clock(iso: string | undefined): string {
  if (!iso) return '?';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '?' : `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/** "The last run was interrupted at 06:53 (terminal closed); logging was turned off by the watchdog at 06:58; no ZIP was made." */
export function describeInterruption(journal: Journal): string | undefined {
  if (!journal.interrupted) return undefined;
  const state = journal.state;
  const head = `The last troubleshooting-log run was interrupted at ${clock(journal.interrupted.at)} (${journal.interrupted.reason})`;
  if (isLoggingMaybeOn(state)) return `${head}; logging may still be ON: run "nsp-console logflow stop" or open "Troubleshooting logs".`;
  const offEntry = [...journal.history].reverse().find(entry => entry.event === 'ROLE_TURNED_OFF' || entry.event === 'ROLE_OFF_PENDING_MANUAL' || entry.to === 'stopped');
  const off = offEntry ? `logging was turned off ${byWords[offEntry.by] ?? `by ${offEntry.by}`} at ${clock(offEntry.at)}` : 'logging was never switched on';
  return `${head}; ${off}; ${state.phase === 'finished' && state.zipPath ? `the ZIP is ${state.zipPath}` : 'no ZIP was made'}.`;
}

function reportedPath(stateDir: string, runId: string): string {
  return join(logflowDir(stateDir), `reported-${runId}`);
}

/** Once per interrupted run: the line to show at the next start (interactive or a command), or undefined. */
export async function lastRunNotice(stateDir: string): Promise<string | undefined> {
  let journal: Journal | undefined;
  try {
    journal = await readJournal(stateDir);
  } catch {
    return undefined;
  }
  if (!journal?.interrupted) return undefined;
  const text = describeInterruption(journal);
  // While logging may still be on this is repeated every time; an ended run is told once.
  if (!text || (isEnded(journal.state) && !isLoggingMaybeOn(journal.state) && existsSync(reportedPath(stateDir, journal.state.runId)))) return undefined;
  if (isEnded(journal.state) && !isLoggingMaybeOn(journal.state)) {
    await writeFileAtomic(reportedPath(stateDir, journal.state.runId), `${new Date().toISOString()}\n`).catch(() => {});
  }
  return text;
}
