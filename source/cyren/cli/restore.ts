import type {ConsoleContext} from '../../context.js';
import {ExitCode, UsageError} from '../../errors.js';
import {writeJson} from '../../commands/parse.js';
import {confirmOrRefuse} from '../../commands/confirm.js';
import type {CommandIo} from '../../commands/types.js';
import {loadCyrenSettings} from '../cyren-settings.js';
import {listBackupSets, restoreBackupSet} from '../proxy-files.js';
import {formatRestartReport, restartCyrenServices} from '../restart.js';
import {canAsk, holdDataRoot, out, serviceTimeout, type Values} from './shared.js';

/** proxy restore: list the backup sets, or put one back and restart its services. */
export async function restore(context: ConsoleContext, io: CommandIo, values: Values): Promise<number> {
  if (!values.latest && values.stamp === undefined) return list(context, io, values);
  return holdDataRoot(context, io, 'proxy restore', () => restoreHoldingLock(context, io, values));
}

async function list(context: ConsoleContext, io: CommandIo, values: Values): Promise<number> {
  const sets = await listBackupSets(context.root);
  if (values.json) writeJson(io.stdout, sets.map(set => ({stamp: set.stamp, takenAt: set.takenAt.toISOString(), files: set.backups.map(entry => ({file: entry.original, backup: entry.path, size: entry.size}))})));
  else if (sets.length === 0) out(io, 'There are no backups of the CYREN files yet.');
  else {
    out(io, 'Backups (newest first; each is the content before a change):');
    for (const set of sets) out(io, `  ${set.stamp}  ${set.backups.map(entry => entry.original.split(/[\\/]/).pop()).join(', ')}`);
    out(io, 'Restore one with: nsp-console proxy restore --stamp <stamp> [--yes]   (or --latest)');
  }
  return sets.length === 0 ? ExitCode.nothingFound : ExitCode.ok;
}

async function restoreHoldingLock(context: ConsoleContext, io: CommandIo, values: Values): Promise<number> {
  const sets = await listBackupSets(context.root);
  const chosen = values.latest ? sets[0] : typeof values.stamp === 'string' ? sets.find(set => set.stamp === values.stamp) : undefined;
  if (!chosen) throw new UsageError(sets.length === 0 ? 'There are no backups to restore.' : `No backup set "${values.stamp}". Run "nsp-console proxy restore" to list them.`);
  out(io, `Restoring the backups of ${chosen.stamp}: ${chosen.backups.map(entry => entry.original).join(', ')}`);
  const refusal = 'Nothing was restored: there is no terminal to confirm on. Add --yes.';
  if (!(await confirmOrRefuse(io, 'Restore these files (the current ones are backed up first)?', {yes: values.yes === true, canAsk: canAsk(io), refusal}))) {
    out(io, 'Nothing was restored.');
    return ExitCode.usage;
  }
  const restored = await restoreBackupSet(chosen);
  for (const file of restored) out(io, `restored   ${file.file}${file.safetyBackup ? `  (previous content: ${file.safetyBackup})` : '  (already identical)'}`);
  if (values['no-restart']) {
    out(io, 'Services not restarted (--no-restart).');
    return ExitCode.ok;
  }
  const settings = await loadCyrenSettings(context.stateDir);
  const names = chosen.backups.map(entry => entry.original.split(/[\\/]/).pop()!);
  const reports = await restartCyrenServices(context.services, names, {timeoutMs: serviceTimeout(values, settings.serviceTimeoutSeconds)});
  for (const report of reports) out(io, formatRestartReport(report));
  return reports.every(report => report.ok) ? ExitCode.ok : ExitCode.operational;
}
