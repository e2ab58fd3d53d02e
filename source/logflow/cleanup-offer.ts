import {askYesNo, stdinIsTerminal} from '../commands/confirm.js';
import type {CommandIo} from '../commands/types.js';
import {windowFiles} from './collect.js';
import {deleteCreatedFiles, filesCreatedInWindow, verifiedInZip} from './cleanup.js';
import {formatSize} from './location-reach.js';
import type {FlowState} from './machine.js';

/** Lines listed at most before "… and N more". */
const listed = 20;

/**
 * After "logflow run" wrote its ZIP: lists the log files the run created (with sizes) and deletes
 * them only when the admin answers y on a terminal. Without a terminal nothing is deleted.
 */
export async function offerCleanup(io: CommandIo, state: FlowState, say: (line: string) => void): Promise<void> {
  if (!state.zipPath) return;
  const created = filesCreatedInWindow(state);
  if (created.length === 0) return;
  const {verified, problem} = await verifiedInZip(state.zipPath, created, windowFiles(state, []));
  if (problem) {
    say(`The log files are kept: ${problem}.`);
    return;
  }
  if (verified.length === 0) return;
  const total = verified.reduce((sum, file) => sum + file.size, 0);
  say(`This run created ${verified.length} log file${verified.length === 1 ? '' : 's'} (${formatSize(total)}); the ZIP holds them (read back and checked):`);
  for (const file of verified.slice(0, listed)) say(`  ${formatSize(file.size).padStart(8)}  ${file.path}`);
  if (verified.length > listed) say(`  ... and ${verified.length - listed} more`);
  say('Files that existed before the run are never deleted.');
  if (!stdinIsTerminal(io)) {
    say('Kept (delete them on a terminal: the question needs y).');
    return;
  }
  if (!(await askYesNo(io, `Delete these ${verified.length} file${verified.length === 1 ? '' : 's'}?`, io.stdout))) {
    say('Kept.');
    return;
  }
  const results = await deleteCreatedFiles(verified, state);
  const deleted = results.filter(result => result.deleted).length;
  say(`Deleted ${deleted} of ${results.length}.`);
  for (const result of results.filter(entry => !entry.deleted)) say(`  kept ${result.path}: ${result.problem}`);
}
