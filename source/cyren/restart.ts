import {restartAndReport, type RestartReport, type ServiceControl} from '../system/services.js';
import {cyrenFiles, type CyrenFileInfo} from './cyren-files.js';

export interface CyrenRestartReport {
  /** The file whose service this is. */
  file: CyrenFileInfo['name'];
  /** The display name looked for (as the knowledge base writes it). */
  displayName: string;
  /** undefined when no service with that display name exists. */
  service?: RestartReport;
  problem?: string;
  ok: boolean;
}

/**
 * Restarts the service of each changed file, found by display name at run time (the service names
 * are not documented). A missing service is reported, not fatal: the caller decides.
 */
export async function restartCyrenServices(
  control: ServiceControl,
  fileNames: readonly string[],
  options: {timeoutMs?: number; onStep?: (step: string) => void} = {},
): Promise<CyrenRestartReport[]> {
  const reports: CyrenRestartReport[] = [];
  for (const info of cyrenFiles.filter(file => fileNames.includes(file.name))) {
    options.onStep?.(`looking up "${info.serviceDisplayName}"`);
    let found;
    try {
      found = await control.findByDisplayName(info.serviceDisplayName);
    } catch (error) {
      reports.push({file: info.name, displayName: info.serviceDisplayName, ok: false, problem: (error as Error).message});
      continue;
    }
    if (found.length === 0) {
      reports.push({file: info.name, displayName: info.serviceDisplayName, ok: false, problem: `No service named "${info.serviceDisplayName}" was found; restart the CYREN ${info.role} service by hand.`});
      continue;
    }
    for (const service of found) {
      const report = await restartAndReport(control, service.name, {timeoutMs: options.timeoutMs, onStep: options.onStep});
      reports.push({file: info.name, displayName: info.serviceDisplayName, service: report, ok: report.ok, problem: report.problem});
    }
  }
  return reports;
}

export function formatRestartReport(report: CyrenRestartReport): string {
  if (report.service?.ok) return `restarted  ${report.service.displayName} (${report.service.name}), running${dependentsNote(report.service)}`;
  if (report.service) return `FAILED     ${report.service.displayName} (${report.service.name}): ${report.problem ?? report.service.finalStatus}${dependentsNote(report.service)}`;
  return `FAILED     ${report.displayName}: ${report.problem}`;
}

/** "; dependents started again: A, B" / "; dependents NOT running: C" — empty when nothing depended on it. */
export function dependentsNote(report: Pick<RestartReport, 'dependents'>): string {
  const again = report.dependents.filter(dependent => dependent.ok).map(dependent => dependent.displayName);
  const down = report.dependents.filter(dependent => !dependent.ok).map(dependent => `${dependent.displayName} (${dependent.problem ?? dependent.finalStatus})`);
  return `${again.length > 0 ? `; dependents started again: ${again.join(', ')}` : ''}${down.length > 0 ? `; dependents NOT running: ${down.join(', ')}` : ''}`;
}
