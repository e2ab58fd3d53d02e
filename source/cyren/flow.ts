import type {ConsoleContext} from '../context.js';
import {dataRootLockPath, withLock} from '../system/writer-lock.js';
import {loadCyrenSettings} from './cyren-settings.js';
import {describeProbe, planProbes, probesPassed, runProbes, type ProbeResult, type ProxyEndpoint} from './proxy-probes.js';
import {restoreBackupSet, saveProxyPlan, undoSavedFiles, type BackupSet, type CyrenFiles, type ProxyPlan, type SavedFile} from './proxy-files.js';
import {dependentsNote, restartCyrenServices, type CyrenRestartReport} from './restart.js';

/** One line of progress for the screen: write, restart, check. */
export interface ProgressStep {
  id: string;
  label: string;
  state: 'running' | 'ok' | 'failed' | 'skipped';
  detail?: string;
}

export type OnProgress = (step: ProgressStep) => void;

export interface ApplyOutcome {
  saved: SavedFile[];
  restarts: CyrenRestartReport[];
  restartFailed: boolean;
}

/**
 * Runs `work` as the only writer of the data root. While another console holds the lock, a
 * progress line names it ("waiting for 4711 (CORP\\alice, since 06:13): proxy set"); after the
 * wait a LockBusyError says nothing was written. The files were read before (for the preview):
 * saving compares their bytes with what was read, so a change made meanwhile is refused.
 */
export async function asOnlyWriter<T>(context: ConsoleContext, purpose: string, onProgress: OnProgress, work: () => Promise<T>): Promise<T> {
  let waited = false;
  const result = await withLock({path: dataRootLockPath(context.root), purpose, onWait: line => ((waited = true), onProgress({id: 'lock', label: line, state: 'running'}))}, work).catch(error => {
    if (waited) onProgress({id: 'lock', label: 'another console is still writing', state: 'failed', detail: (error as Error).message});
    throw error;
  });
  if (waited) onProgress({id: 'lock', label: 'the other console is done', state: 'ok'});
  return result;
}

/** Writes the plan and restarts the services of the written files, reporting each step. */
export async function applyPlanWithRestart(context: ConsoleContext, plan: ProxyPlan, onProgress: OnProgress, options: {restart?: boolean} = {}): Promise<ApplyOutcome> {
  return asOnlyWriter(context, `proxy ${plan.change.kind} (console screen)`, onProgress, () => applyHoldingLock(context, plan, onProgress, options));
}

async function applyHoldingLock(context: ConsoleContext, plan: ProxyPlan, onProgress: OnProgress, options: {restart?: boolean}): Promise<ApplyOutcome> {
  const settings = await loadCyrenSettings(context.stateDir);
  onProgress({id: 'write', label: `write ${plan.files.map(file => file.file.info.name).join(', ')}`, state: 'running'});
  let saved: SavedFile[];
  try {
    saved = await saveProxyPlan(plan);
  } catch (error) {
    onProgress({id: 'write', label: 'write the files', state: 'failed', detail: (error as Error).message});
    throw error;
  }
  onProgress({id: 'write', label: `write ${saved.map(file => file.file.name).join(', ')}`, state: 'ok', detail: 'backups next to the files (.nspbak)'});
  if (options.restart === false) return {saved, restarts: [], restartFailed: false};
  const restarts = await restartServicesWithProgress(context, saved.map(file => file.file.name), onProgress, (settings.serviceTimeoutSeconds ?? 60) * 1000);
  return {saved, restarts, restartFailed: restarts.some(report => !report.ok)};
}

export async function restartServicesWithProgress(context: ConsoleContext, fileNames: string[], onProgress: OnProgress, timeoutMs: number): Promise<CyrenRestartReport[]> {
  const control = context.services;
  const reports: CyrenRestartReport[] = [];
  for (const name of fileNames) {
    const id = `restart-${name}`;
    onProgress({id, label: `restart the service of ${name}`, state: 'running'});
    const [report] = await restartCyrenServices(control, [name], {timeoutMs, onStep: step => onProgress({id, label: `restart: ${step}`, state: 'running'})});
    if (report) {
      reports.push(report);
      onProgress({id, label: `restart ${report.service?.displayName ?? report.displayName}`, state: report.ok ? 'ok' : 'failed', detail: report.ok ? `running${report.service ? dependentsNote(report.service) : ''}` : report.problem});
    }
  }
  return reports;
}

/**
 * Puts the files of this save back from their backups and restarts their services again; a file
 * someone changed after this save is left alone (and said so).
 */
export async function rollBack(context: ConsoleContext, saved: SavedFile[], onProgress: OnProgress): Promise<CyrenRestartReport[]> {
  return asOnlyWriter(context, 'proxy roll-back (console screen)', onProgress, async () => {
    const label = `restore ${saved.map(file => file.file.name).join(', ')} from the backups`;
    onProgress({id: 'rollback', label, state: 'running'});
    const undone = await undoSavedFiles(saved);
    const skipped = undone.filter(result => !result.restored).map(result => result.path);
    onProgress({id: 'rollback', label, state: skipped.length > 0 ? 'failed' : 'ok', detail: skipped.length > 0 ? `changed by someone else since, left as is: ${skipped.join(', ')}` : undefined});
    const settings = await loadCyrenSettings(context.stateDir);
    const names = saved.filter(file => undone.some(result => result.restored && result.path === file.path)).map(file => file.file.name);
    return restartServicesWithProgress(context, names, onProgress, (settings.serviceTimeoutSeconds ?? 60) * 1000);
  });
}

/** Restores a backup set (the current files backed up first) and restarts their services. */
export async function restoreSetWithProgress(context: ConsoleContext, set: BackupSet, onProgress: OnProgress): Promise<CyrenRestartReport[]> {
  return asOnlyWriter(context, 'proxy restore (console screen)', onProgress, async () => {
    const names = set.backups.map(entry => entry.original.split(/[\\/]/).pop()!);
    onProgress({id: 'restore', label: `restore ${names.join(', ')}`, state: 'running'});
    await restoreBackupSet(set);
    onProgress({id: 'restore', label: `restore ${names.join(', ')}`, state: 'ok', detail: 'the replaced content was backed up too'});
    const settings = await loadCyrenSettings(context.stateDir);
    return restartServicesWithProgress(context, names, onProgress, (settings.serviceTimeoutSeconds ?? 60) * 1000);
  });
}

/** Tests the proxy the way the services use it (see proxy-probes.ts), one progress line per request. */
export async function checkWithProgress(
  context: ConsoleContext,
  proxy: ProxyEndpoint,
  files: CyrenFiles | undefined,
  onProgress: OnProgress,
): Promise<{passed: boolean; results: ProbeResult[]}> {
  const settings = await loadCyrenSettings(context.stateDir);
  const plan = planProbes(settings, files);
  const label = (index: number) => `check: ${describeProbe(plan.probes[index]!)} via ${proxy.server}:${proxy.port}`;
  plan.probes.forEach((_, index) => onProgress({id: `check-${index}`, label: label(index), state: 'running'}));
  const results = await runProbes(proxy, plan, 10_000, (index, result) => onProgress({id: `check-${index}`, label: label(index), state: result.outcome === 'connected' ? 'ok' : 'failed', detail: result.message}));
  return {passed: probesPassed(results), results};
}
