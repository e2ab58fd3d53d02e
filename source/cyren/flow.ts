import type {ConsoleContext} from '../context.js';
import {serviceControlFor} from '../system/services.js';
import {restoreBackup} from '../system/file-backups.js';
import {loadCyrenSettings, defaultTarget} from './cyren-settings.js';
import {checkProxy, type ProxyCheckResult} from './proxy-check.js';
import {saveProxyPlan, type CyrenFiles, type ProxyPlan, type SavedFile} from './proxy-files.js';
import {restartCyrenServices, type CyrenRestartReport} from './restart.js';

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

/** Writes the plan and restarts the services of the written files, reporting each step. */
export async function applyPlanWithRestart(context: ConsoleContext, plan: ProxyPlan, onProgress: OnProgress, options: {restart?: boolean} = {}): Promise<ApplyOutcome> {
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
  const control = serviceControlFor(context);
  const reports: CyrenRestartReport[] = [];
  for (const name of fileNames) {
    const id = `restart-${name}`;
    onProgress({id, label: `restart the service of ${name}`, state: 'running'});
    const [report] = await restartCyrenServices(control, [name], {timeoutMs, onStep: step => onProgress({id, label: `restart: ${step}`, state: 'running'})});
    if (report) {
      reports.push(report);
      onProgress({id, label: `restart ${report.service?.displayName ?? report.displayName}`, state: report.ok ? 'ok' : 'failed', detail: report.ok ? 'running' : report.problem});
    }
  }
  return reports;
}

/** Puts the files of this save back from their backups and restarts their services again. */
export async function rollBack(context: ConsoleContext, saved: SavedFile[], onProgress: OnProgress): Promise<CyrenRestartReport[]> {
  onProgress({id: 'rollback', label: `restore ${saved.map(file => file.file.name).join(', ')} from the backups`, state: 'running'});
  for (const file of saved) await restoreBackup(file.path, file.backupPath);
  onProgress({id: 'rollback', label: `restore ${saved.map(file => file.file.name).join(', ')} from the backups`, state: 'ok'});
  const settings = await loadCyrenSettings(context.stateDir);
  return restartServicesWithProgress(context, saved.map(file => file.file.name), onProgress, (settings.serviceTimeoutSeconds ?? 60) * 1000);
}

export async function checkWithProgress(
  context: ConsoleContext,
  proxy: {server: string; port: number; user?: string; password?: string},
  files: CyrenFiles | undefined,
  onProgress: OnProgress,
): Promise<ProxyCheckResult> {
  const settings = await loadCyrenSettings(context.stateDir);
  const target = defaultTarget(settings, files);
  onProgress({id: 'check', label: `check: CONNECT ${target.host}:${target.port} via ${proxy.server}:${proxy.port}`, state: 'running'});
  const credentials = proxy.user !== undefined && proxy.password !== undefined ? {user: proxy.user, password: proxy.password} : undefined;
  const result = await checkProxy({proxyHost: proxy.server, proxyPort: proxy.port, target, credentials, timeoutMs: 10_000});
  onProgress({id: 'check', label: `check: CONNECT ${target.host}:${target.port} via ${proxy.server}:${proxy.port}`, state: result.outcome === 'connected' ? 'ok' : 'failed', detail: result.message});
  return result;
}
