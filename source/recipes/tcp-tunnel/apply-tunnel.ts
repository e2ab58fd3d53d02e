import {errorMessage} from '../../errors.js';
import type {ServiceControl} from '../../system/services.js';
import {onShutdown} from '../../system/shutdown.js';
import {saveTextFileSafely} from '../../system/file-backups.js';
import {dataRootLockPath, withLock} from '../../system/writer-lock.js';
import {dirname} from 'node:path';
import {planFromDocument, readTunnelFile, sameChange, type TunnelPlan} from './tunnel-file.js';
import type {TunnelState} from './tunnel-edit.js';

export const gatewayServiceName = 'NetatworkMailGatewayGatewayRole';

export type StepName = 'stop' | 'edit' | 'start' | 'verify';
export type StepStatus = 'running' | 'done' | 'failed' | 'skipped';

export interface StepEvent {
  step: StepName;
  status: StepStatus;
  message: string;
}

export interface TunnelApplyOptions {
  services: ServiceControl;
  /** False = --no-restart: edit only (the admin stops and starts the service). */
  restart: boolean;
  serviceName?: string;
  timeoutMs?: number;
  onStep?: (event: StepEvent) => void;
  /**
   * The data root's writer lock is taken for the whole stop-edit-start-verify sequence (default:
   * the lock of the data root holding Configuration/Gateway Role.config). 'held': the caller
   * already holds it (the command holds it from reading the file on).
   */
  lock?: 'held' | {path?: string; onWait?: (line: string) => void};
}

export interface TunnelApplyResult {
  /** Everything worked and the value is what was wanted after the (re)start. */
  ok: boolean;
  written: boolean;
  backupPath?: string;
  /** The state read back at the end. */
  finalState?: TunnelState;
  steps: StepEvent[];
  /** Why it is not ok, in plain words. */
  problems: string[];
}

/**
 * The knowledge-base sequence: stop the gateway role, edit the file at one spot (backup, atomic,
 * refused when it changed), start the service, re-read and check the value survived start-up.
 * A service this stopped is started again whatever happens (also on Ctrl-C / SIGTERM).
 */
export async function applyTunnelChange(plan: TunnelPlan, options: TunnelApplyOptions): Promise<TunnelApplyResult> {
  if (options.lock === 'held') return applyHoldingLock(plan, options);
  const path = options.lock?.path ?? dataRootLockPath(dirname(dirname(plan.path)));
  const onWait = options.lock?.onWait ?? ((line: string) => options.onStep?.({step: 'stop', status: 'running', message: line}));
  return withLock({path, purpose: `recipe tcp-tunnel ${plan.mode}`, onWait}, () => applyHoldingLock(plan, options));
}

async function applyHoldingLock(plan: TunnelPlan, options: TunnelApplyOptions): Promise<TunnelApplyResult> {
  const serviceName = options.serviceName ?? gatewayServiceName;
  const steps: StepEvent[] = [];
  const problems: string[] = [];
  const report = (step: StepName, status: StepStatus, message: string) => {
    const event = {step, status, message};
    steps.push(event);
    options.onStep?.(event);
  };
  const wanted = plan.mode === 'enable';
  let written = false;
  let backupPath: string | undefined;
  let stoppedByUs = false;
  let startedAgain = false;
  const startAgain = async () => {
    if (!stoppedByUs || startedAgain) return;
    startedAgain = true;
    await options.services.start(serviceName);
  };
  const removeShutdownHandler = onShutdown(() => startAgain());

  try {
    let current = plan;
    if (options.restart && plan.edit.changed) {
      const info = await options.services.findByName(serviceName);
      if (!info) {
        report('stop', 'failed', `There is no service ${serviceName} on this computer.`);
        problems.push(`The gateway role service ${serviceName} was not found; nothing was changed. Use --no-restart to edit the file only.`);
        return {ok: false, written, steps, problems};
      }
      if (info.status === 'stopped') report('stop', 'skipped', `${info.displayName} is already stopped.`);
      else {
        report('stop', 'running', `Stopping ${info.displayName}...`);
        await options.services.stop(serviceName);
        stoppedByUs = true;
        const stopped = await options.services.waitForStatus(serviceName, 'stopped', {timeoutMs: options.timeoutMs});
        if (!stopped.reached) {
          // The control's own reason when it has one (the demo knows at once), else the status seen.
          report('stop', 'failed', `${info.displayName} did not stop: ${stopped.why ?? `status ${stopped.info?.status ?? 'unknown'}`}.`);
          problems.push('The service did not stop, so the file was not edited.');
          return {ok: false, written, steps, problems};
        }
        report('stop', 'done', `${info.displayName} stopped.`);
      }
      // The file is edited as it is now that the service is stopped; the change must be the one confirmed.
      const fresh = planFromDocument(plan.mode, plan.path, (await readTunnelFile(plan.path)).document);
      if (!sameChange(plan, fresh)) {
        report('edit', 'failed', 'The file changed while the service stopped; nothing was written.');
        problems.push('Gateway Role.config changed after it was shown to you, so it was not edited. Review the change again.');
        if (stoppedByUs) {
          await startAgain();
          report('start', 'done', `Started ${serviceName} again; nothing was changed.`);
        }
        return {ok: false, written, steps, problems};
      }
      current = fresh;
    } else if (!options.restart) {
      const running = await options.services.findByName(serviceName).then(
        info => info !== undefined && info.status !== 'stopped',
        () => false,
      );
      report(
        'stop',
        'skipped',
        running
          ? `Not stopping ${serviceName} (--no-restart), but it is RUNNING: it may overwrite the edit. It must be stopped while the file is edited (fine if this is a copy of the data folder).`
          : `Not stopping ${serviceName} (--no-restart): it must be stopped while the file is edited.`,
      );
    } else {
      report('stop', 'skipped', 'Nothing to change, so the service is left alone.');
    }

    if (current.edit.changed) {
      report('edit', 'running', current.edit.summary);
      const saved = await saveTextFileSafely(current.path, current.next);
      written = saved.written;
      backupPath = saved.backupPath;
      report('edit', 'done', `${current.edit.summary}${backupPath ? ` Backup: ${backupPath}` : ''}`);
    } else {
      report('edit', 'skipped', current.edit.summary);
    }

    if (stoppedByUs || (options.restart && current.edit.changed)) {
      report('start', 'running', `Starting ${serviceName}...`);
      startedAgain = true;
      await options.services.start(serviceName);
      const running = await options.services.waitForStatus(serviceName, 'running', {timeoutMs: options.timeoutMs});
      if (running.reached) report('start', 'done', `${running.info?.displayName ?? serviceName} is running.`);
      else {
        report('start', 'failed', running.why ? `${serviceName} did not start: ${running.why}.` : `${serviceName} is not running (status ${running.info?.status ?? 'unknown'}).`);
        problems.push(`${serviceName} did not start. Check the Windows event log "Net at Work Mail Gateway"${backupPath ? `; the previous file is in ${backupPath}` : ''}.`);
      }
    } else if (!options.restart) {
      report('start', 'skipped', 'Start the gateway role service yourself, then run "recipe tcp-tunnel status" to check the value was kept.');
    } else {
      report('start', 'skipped', 'The service was not stopped, so it is not started.');
    }

    const finalState = (await readTunnelFile(plan.path)).state;
    if (finalState.enabled === wanted) {
      report('verify', 'done', `Re-read the file: isProxyTunnelEnabled is ${wanted ? 'true' : 'not true'}${options.restart && current.edit.changed ? ' after start-up' : ''}.`);
    } else {
      report('verify', 'failed', `Re-read the file: the tunnel is ${finalState.enabled ? 'enabled' : 'not enabled'}; the change was not kept.`);
      problems.push(`The value was not retained${options.restart ? ' after the service started (NoSpamProxy rewrote the file)' : ''}.${backupPath ? ` The previous file is in ${backupPath}.` : ''}`);
    }
    return {ok: problems.length === 0, written, backupPath, finalState, steps, problems};
  } catch (error) {
    problems.push(errorMessage(error));
    const last = steps.at(-1);
    if (last && last.status === 'running') report(last.step, 'failed', errorMessage(error));
    if (stoppedByUs && !startedAgain) {
      try {
        await startAgain();
        report('start', 'done', `Started ${serviceName} again (it was running before).`);
      } catch (startError) {
        report('start', 'failed', `Could not start ${serviceName} again: ${errorMessage(startError)}`);
        problems.push(`${serviceName} is STOPPED: start it yourself (services.msc or Start-Service ${serviceName}).`);
      }
    }
    return {ok: false, written, backupPath, steps, problems};
  } finally {
    removeShutdownHandler();
  }
}
