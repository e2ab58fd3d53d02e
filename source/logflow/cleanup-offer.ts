import {askYesNo, stdinIsTerminal} from '../commands/confirm.js';
import type {CommandIo} from '../commands/types.js';
import {windowFiles} from './collect.js';
import {deleteCreatedFiles, filesCreatedInWindow, verifiedInZip, type CreatedFile, type DeleteResult} from './cleanup.js';
import {formatSize} from './location-reach.js';
import type {FlowState} from './machine.js';

/** Lines listed at most before "… and N more". */
const listed = 20;

/** What may be offered for deletion after a finished run; undefined when nothing is to offer. */
export type CleanupOffer = {files: CreatedFile[]; total: number; problem?: undefined} | {problem: string; files?: undefined};

/**
 * The log files this run created whose bytes its ZIP really holds (read back), with their total
 * size; or why nothing is offered. Shared by "logflow run" and the console's step 8.
 */
export async function prepareCleanupOffer(state: FlowState): Promise<CleanupOffer | undefined> {
  if (state.phase !== 'finished' || !state.zipPath) return undefined;
  // A role still waiting to be turned off by hand may still write to its files: nothing offered.
  if (state.roles.some(role => role.logging !== 'off' && role.logging !== 'neverOn')) return undefined;
  const created = filesCreatedInWindow(state);
  if (created.length === 0) return undefined;
  const {verified, problem} = await verifiedInZip(state.zipPath, created, windowFiles(state, []));
  if (problem) return {problem: `The log files are kept: ${problem}.`};
  if (verified.length === 0) return undefined;
  return {files: verified, total: verified.reduce((sum, file) => sum + file.size, 0)};
}

export function filesWord(count: number): string {
  return `${count} log file${count === 1 ? '' : 's'}`;
}

/** The outcome of a deletion in one line (each kept file with its reason when there is room). */
export function cleanupResultLine(results: readonly DeleteResult[]): string {
  const deleted = results.filter(result => result.deleted).length;
  const kept = results.filter(result => !result.deleted);
  if (kept.length === 0) return `Deleted ${filesWord(deleted)}.`;
  const first = kept[0]!;
  return `Deleted ${deleted} of ${filesWord(results.length)}; kept ${first.path}: ${first.problem}${kept.length > 1 ? ` (and ${kept.length - 1} more)` : ''}.`;
}

/**
 * After "logflow run" wrote its ZIP: lists the log files the run created (with sizes) and deletes
 * them only when the admin answers y on a terminal. Without a terminal nothing is deleted.
 */
export async function offerCleanup(io: CommandIo, state: FlowState, say: (line: string) => void): Promise<void> {
  const offer = await prepareCleanupOffer(state);
  if (!offer) return;
  if (offer.problem !== undefined) {
    say(offer.problem);
    return;
  }
  const verified = offer.files;
  say(`This run created ${filesWord(verified.length)} (${formatSize(offer.total)}); the ZIP holds them (read back and checked):`);
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
