import {defaultServiceTimeoutMs, type ServiceControl, type ServiceInfo, type ServiceStatus, type WaitOptions} from './service-control.js';

/**
 * Restart one service and bring back what the restart took down: Stop-Service -Force also stops
 * the services that depend on it, and Start-Service on the target does not start them again.
 */

export interface DependentRestart {
  name: string;
  displayName: string;
  /** Running again after the restart. */
  ok: boolean;
  finalStatus: ServiceStatus | 'not-found';
  problem?: string;
}

export interface RestartReport {
  name: string;
  displayName: string;
  ok: boolean;
  /** Status after the restart attempt. */
  finalStatus: ServiceStatus | 'not-found';
  /** What went wrong, in plain words (undefined when ok). */
  problem?: string;
  /** Dependent services that were running before the stop, and whether they run again. */
  dependents: DependentRestart[];
  durationMs: number;
}

export type RestartOptions = WaitOptions & {onStep?: (step: string) => void};

/**
 * Stops (when running), starts and waits until running, then starts again each dependent that was
 * running before; never throws, reports instead. `ok` covers the dependents too.
 */
export async function restartAndReport(control: ServiceControl, name: string, options: RestartOptions = {}): Promise<RestartReport> {
  const started = Date.now();
  let dependents: DependentRestart[] = [];
  const finish = (report: Omit<RestartReport, 'durationMs' | 'dependents'>): RestartReport => ({...report, dependents, durationMs: Date.now() - started});
  let info: ServiceInfo | undefined;
  try {
    info = await control.findByName(name);
  } catch (error) {
    return finish({name, displayName: name, ok: false, finalStatus: 'unknown', problem: (error as Error).message});
  }
  if (!info) return finish({name, displayName: name, ok: false, finalStatus: 'not-found', problem: `There is no service named ${name}.`});
  const displayName = info.displayName;
  let runningDependents: ServiceInfo[] = [];
  try {
    if (info.status !== 'stopped') {
      runningDependents = await runningDependentsOf(control, name);
      // Reported even when the restart fails below: the admin learns what the stop took down.
      dependents = runningDependents.map(service => ({name: service.name, displayName: service.displayName, ok: false, finalStatus: 'unknown', problem: 'not started again yet'}));
      options.onStep?.(`stopping ${displayName}${runningDependents.length > 0 ? ` (and its dependents ${runningDependents.map(service => service.displayName).join(', ')})` : ''}`);
      await control.stop(name);
      const stopped = await control.waitForStatus(name, 'stopped', options);
      if (!stopped.reached) return finish({name, displayName, ok: false, finalStatus: stopped.info?.status ?? 'unknown', problem: stopped.why ? `${displayName} did not stop: ${stopped.why}.` : `${displayName} did not stop within ${seconds(options.timeoutMs)} s.`});
    }
    options.onStep?.(`starting ${displayName}`);
    await control.start(name);
    options.onStep?.(`waiting for ${displayName} to run`);
    const running = await control.waitForStatus(name, 'running', options);
    if (!running.reached) return finish({name, displayName, ok: false, finalStatus: running.info?.status ?? 'unknown', problem: notRunning(displayName, running, options)});
    dependents = await startDependents(control, runningDependents, options);
    const failed = dependents.filter(dependent => !dependent.ok);
    if (failed.length > 0) return finish({name, displayName, ok: false, finalStatus: 'running', problem: `${displayName} runs, but ${failed.map(dependent => dependent.displayName).join(', ')} did not start again.`});
    return finish({name, displayName, ok: true, finalStatus: 'running'});
  } catch (error) {
    let status: ServiceStatus | 'not-found' = 'unknown';
    try {
      status = (await control.findByName(name))?.status ?? 'not-found';
    } catch {
      /* keep unknown */
    }
    return finish({name, displayName, ok: false, finalStatus: status, problem: (error as Error).message});
  }
}

/** What really happened: a time-out waited for, or the reason the control gave at once. */
function notRunning(displayName: string, running: {info?: ServiceInfo; why?: string}, options: WaitOptions): string {
  if (running.why) return `${displayName} did not start: ${running.why}.`;
  return `${displayName} is not running after ${seconds(options.timeoutMs)} s (status: ${running.info?.status ?? 'unknown'}).`;
}

async function runningDependentsOf(control: ServiceControl, name: string): Promise<ServiceInfo[]> {
  const all = await control.dependents(name);
  return all.filter(service => service.status === 'running');
}

async function startDependents(control: ServiceControl, services: readonly ServiceInfo[], options: RestartOptions): Promise<DependentRestart[]> {
  const results: DependentRestart[] = [];
  for (const service of services) {
    options.onStep?.(`starting dependent ${service.displayName}`);
    try {
      await control.start(service.name);
      const running = await control.waitForStatus(service.name, 'running', options);
      results.push({
        name: service.name,
        displayName: service.displayName,
        ok: running.reached,
        finalStatus: running.info?.status ?? 'unknown',
        ...(running.reached ? {} : {problem: running.why ? `did not start: ${running.why}` : `not running after ${seconds(options.timeoutMs)} s`}),
      });
    } catch (error) {
      results.push({name: service.name, displayName: service.displayName, ok: false, finalStatus: 'unknown', problem: (error as Error).message});
    }
  }
  return results;
}

/** One line per dependent for reports: "started again  X (Y)" or "NOT RUNNING    X (Y): why". */
export function formatDependentRestarts(dependents: readonly DependentRestart[]): string[] {
  return dependents.map(dependent =>
    dependent.ok ? `  dependent started again: ${dependent.displayName} (${dependent.name})` : `  dependent NOT running:   ${dependent.displayName} (${dependent.name}): ${dependent.problem ?? dependent.finalStatus}`,
  );
}

const seconds = (timeoutMs = defaultServiceTimeoutMs) => Math.round(timeoutMs / 1000);
