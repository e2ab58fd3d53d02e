import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {writeFileAtomic} from './atomic-write.js';
import {ServiceError, displayNamesMatch, type ServiceControl, type ServiceInfo, type ServiceStartType, type ServiceStatus} from './service-control.js';

/** Services as records in <root>/.services.json, for the demo and tests (no Windows needed). */

export const sandboxServicesFile = '.services.json';

export interface SandboxServiceRecord {
  displayName: string;
  status: ServiceStatus;
  startType?: ServiceStartType;
  /** Service names this one depends on: stopping one of them stops this one too (as Stop-Service -Force does). */
  dependsOn?: string[];
  /** Demo/test switch: the service never reaches "running" after a start. */
  failsToStart?: boolean;
  restarts?: number;
  lastChange?: string;
}

export interface SandboxServicesState {
  services: Record<string, SandboxServiceRecord>;
  /** What was done, oldest first (the demo shows it; tests read it). */
  log: {at: string; action: 'stop' | 'start'; name: string; result: string}[];
}

/** Invented service names (the real ones are not documented); display names as the knowledge base gives them. */
export function defaultSandboxServices(): Record<string, SandboxServiceRecord> {
  const running = (displayName: string): SandboxServiceRecord => ({displayName, status: 'running', startType: 'automatic'});
  return {
    NetatworkMailGatewayGatewayRole: running('NoSpamProxy - Gateway Role'),
    NetatworkMailGatewayIntranetRole: running('NoSpamProxy - Intranet Role'),
    NspSandboxCyren: running('NoSpamProxy \u2013 CYREN Service'),
    NspSandboxCyrenIpReputation: running('NoSpamProxy \u2013 CYREN IP Reputation Service'),
    NspSandboxCyrenUrlCategorization: running('NoSpamProxy \u2013 CYREN URL Categorization Service'),
  };
}

export class SandboxServiceControl implements ServiceControl {
  readonly kind = 'sandbox' as const;
  readonly file: string;

  constructor(root: string) {
    this.file = join(root, sandboxServicesFile);
  }

  async load(): Promise<SandboxServicesState> {
    try {
      const parsed = JSON.parse(await readFile(this.file, 'utf8')) as Partial<SandboxServicesState>;
      return {services: parsed.services ?? {}, log: parsed.log ?? []};
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {services: defaultSandboxServices(), log: []};
      throw new ServiceError(`${this.file} is not valid JSON (${(error as Error).message}); fix or delete it to reset the sandbox services.`);
    }
  }

  async save(state: SandboxServicesState): Promise<void> {
    await writeFileAtomic(this.file, `${JSON.stringify(state, null, 2)}\n`);
  }

  private static info(name: string, record: SandboxServiceRecord): ServiceInfo {
    return {name, displayName: record.displayName, status: record.status, ...(record.startType ? {startType: record.startType} : {})};
  }

  async findByDisplayName(displayName: string): Promise<ServiceInfo[]> {
    const {services} = await this.load();
    return Object.entries(services)
      .filter(([, record]) => displayNamesMatch(record.displayName, displayName))
      .map(([name, record]) => SandboxServiceControl.info(name, record));
  }

  async findByName(name: string): Promise<ServiceInfo | undefined> {
    const {services} = await this.load();
    const entry = Object.entries(services).find(([key]) => key.toLowerCase() === name.toLowerCase());
    return entry ? SandboxServiceControl.info(entry[0], entry[1]) : undefined;
  }

  async findByNamePrefix(prefix: string): Promise<ServiceInfo[]> {
    const {services} = await this.load();
    const lower = prefix.trim().toLowerCase();
    return Object.entries(services)
      .filter(([key]) => key.toLowerCase().startsWith(lower))
      .map(([key, record]) => SandboxServiceControl.info(key, record));
  }

  async dependents(name: string): Promise<ServiceInfo[]> {
    const {services} = await this.load();
    const key = Object.keys(services).find(candidate => candidate.toLowerCase() === name.toLowerCase());
    if (!key) throw new ServiceError(`Cannot find any service with service name '${name}'.`);
    return Object.entries(services)
      .filter(([, record]) => (record.dependsOn ?? []).some(dependency => dependency.toLowerCase() === key.toLowerCase()))
      .map(([dependent, record]) => SandboxServiceControl.info(dependent, record));
  }

  private async change(name: string, action: 'stop' | 'start'): Promise<void> {
    const state = await this.load();
    const key = Object.keys(state.services).find(candidate => candidate.toLowerCase() === name.toLowerCase());
    if (!key) throw new ServiceError(`Cannot ${action} ${name}: there is no such service.`);
    const at = new Date().toISOString();
    const set = (target: string, status: ServiceStatus) => {
      const record = state.services[target]!;
      record.status = status;
      record.lastChange = at;
      state.log.push({at, action, name: target, result: status});
    };
    if (action === 'stop') {
      // Stop-Service -Force: running dependents stop first.
      for (const [dependent, record] of Object.entries(state.services)) {
        if (record.status === 'running' && (record.dependsOn ?? []).some(dependency => dependency.toLowerCase() === key.toLowerCase())) set(dependent, 'stopped');
      }
      set(key, 'stopped');
    } else {
      const record = state.services[key]!;
      record.restarts = (record.restarts ?? 0) + 1;
      set(key, record.failsToStart ? 'stopped' : 'running');
    }
    await this.save(state);
  }

  stop(name: string): Promise<void> {
    return this.change(name, 'stop');
  }

  start(name: string): Promise<void> {
    return this.change(name, 'start');
  }

  /** Sandbox changes are immediate, so one look decides. */
  async waitForStatus(name: string, status: 'running' | 'stopped'): Promise<{reached: boolean; info?: ServiceInfo; why?: string}> {
    const {services} = await this.load();
    const entry = Object.entries(services).find(([key]) => key.toLowerCase() === name.toLowerCase());
    const info = entry ? SandboxServiceControl.info(entry[0], entry[1]) : undefined;
    const reached = info?.status === status;
    // Nothing is waited for here: say why at once instead of pretending a time-out.
    const why = reached ? undefined : entry?.[1].failsToStart && status === 'running' ? `it stopped right after the start (the demo marks it "failsToStart" in ${sandboxServicesFile})` : `its status is ${info?.status ?? 'unknown'}`;
    return {reached, info, ...(why ? {why} : {})};
  }
}
