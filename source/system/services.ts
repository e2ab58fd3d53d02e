import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import type {ConsoleContext} from '../context.js';
import {OperationalError} from '../errors.js';
import {writeFileAtomic} from './atomic-write.js';
import {MissingProgramError, runCommand, type RunResult} from './exec.js';

/**
 * Windows service control behind one small interface: PowerShell on a real server, a JSON file in
 * the sandbox for the demo and tests. Used by the CYREN proxy editor, the recipes and the logs.
 */

export type ServiceStatus = 'running' | 'stopped' | 'start-pending' | 'stop-pending' | 'continue-pending' | 'pause-pending' | 'paused' | 'unknown';

export interface ServiceInfo {
  /** The service (short) name, e.g. NetatworkMailGatewayGatewayRole. */
  name: string;
  displayName: string;
  status: ServiceStatus;
}

export interface WaitOptions {
  /** Give up after this long (default 60 s). */
  timeoutMs?: number;
}

export interface ServiceControl {
  readonly kind: 'windows' | 'sandbox';
  /** Services whose display name matches, case-insensitive, any dash (en dash, hyphen, …) matching any other. */
  findByDisplayName(displayName: string): Promise<ServiceInfo[]>;
  /** The service with this service name, or undefined when there is none. */
  findByName(name: string): Promise<ServiceInfo | undefined>;
  stop(name: string): Promise<void>;
  start(name: string): Promise<void>;
  /** Resolves with the final state; `reached` is false when the time-out passed first. */
  waitForStatus(name: string, status: 'running' | 'stopped', options?: WaitOptions): Promise<{reached: boolean; info?: ServiceInfo}>;
}

export class ServiceError extends OperationalError {
  override name = 'ServiceError';
}

const dashes = /[\u002D\u2010\u2011\u2012\u2013\u2014\u2015\u2212]/g;

/** Display names compared the way an admin reads them: case, dash kind and repeated spaces ignored. */
export function normalizeDisplayName(name: string): string {
  return name.replace(dashes, '-').replace(/\s+/g, ' ').trim().toLowerCase();
}

export function displayNamesMatch(a: string, b: string): boolean {
  return normalizeDisplayName(a) === normalizeDisplayName(b);
}

/** A Get-Service -DisplayName wildcard: literal text, each dash a one-character wildcard. */
export function displayNameWildcard(displayName: string): string {
  return displayName
    .trim()
    .replace(/[`*?[\]]/g, char => `\`${char}`)
    .replace(dashes, '?');
}

/** The same rule as the wildcard, in-process: literal text, case-insensitive, a dash matches any one character. */
export function displayNameWildcardRegExp(displayName: string): RegExp {
  const pattern = [...displayName.trim()].map(char => (/[\u002D\u2010-\u2015\u2212]/.test(char) ? '.' : char.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'))).join('');
  return new RegExp(`^${pattern}$`, 'iu');
}

// ---------------------------------------------------------------------------------------------
// Restart and report

export interface RestartReport {
  name: string;
  displayName: string;
  ok: boolean;
  /** Status after the restart attempt. */
  finalStatus: ServiceStatus | 'not-found';
  /** What went wrong, in plain words (undefined when ok). */
  problem?: string;
  durationMs: number;
}

/** Stops (when running), starts and waits until running; never throws, reports instead. */
export async function restartAndReport(control: ServiceControl, name: string, options: WaitOptions & {onStep?: (step: string) => void} = {}): Promise<RestartReport> {
  const started = Date.now();
  const finish = (report: Omit<RestartReport, 'durationMs'>): RestartReport => ({...report, durationMs: Date.now() - started});
  let info: ServiceInfo | undefined;
  try {
    info = await control.findByName(name);
  } catch (error) {
    return finish({name, displayName: name, ok: false, finalStatus: 'unknown', problem: (error as Error).message});
  }
  if (!info) return finish({name, displayName: name, ok: false, finalStatus: 'not-found', problem: `There is no service named ${name}.`});
  const displayName = info.displayName;
  try {
    if (info.status !== 'stopped') {
      options.onStep?.(`stopping ${displayName}`);
      await control.stop(name);
      const stopped = await control.waitForStatus(name, 'stopped', options);
      if (!stopped.reached) return finish({name, displayName, ok: false, finalStatus: stopped.info?.status ?? 'unknown', problem: `${displayName} did not stop within ${seconds(options.timeoutMs)} s.`});
    }
    options.onStep?.(`starting ${displayName}`);
    await control.start(name);
    options.onStep?.(`waiting for ${displayName} to run`);
    const running = await control.waitForStatus(name, 'running', options);
    if (!running.reached) return finish({name, displayName, ok: false, finalStatus: running.info?.status ?? 'unknown', problem: `${displayName} is not running after ${seconds(options.timeoutMs)} s (status: ${running.info?.status ?? 'unknown'}).`});
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

const seconds = (timeoutMs = defaultTimeoutMs) => Math.round(timeoutMs / 1000);
const defaultTimeoutMs = 60_000;

// ---------------------------------------------------------------------------------------------
// Windows: PowerShell through runCommand. The scripts are constants; every value (names, time-outs)
// reaches PowerShell through environment variables, so nothing typed can become script code.

const powershellStatuses: Record<string, ServiceStatus> = {
  running: 'running',
  stopped: 'stopped',
  startpending: 'start-pending',
  stoppending: 'stop-pending',
  continuepending: 'continue-pending',
  pausepending: 'pause-pending',
  paused: 'paused',
};

const scriptPrologue = `$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
try { [Console]::OutputEncoding = [System.Text.Encoding]::UTF8 } catch {}
function Out-Services($list) {
  $rows = @($list | ForEach-Object { [pscustomobject]@{ Name = $_.Name; DisplayName = $_.DisplayName; Status = [string]$_.Status } })
  ConvertTo-Json -InputObject $rows -Compress
}
`;

export const powershellScripts = {
  findByDisplayName: `${scriptPrologue}Out-Services (Get-Service -DisplayName $env:NSP_SERVICE_DISPLAY_PATTERN -ErrorAction SilentlyContinue)`,
  findByName: `${scriptPrologue}Out-Services (Get-Service -Name $env:NSP_SERVICE_NAME -ErrorAction SilentlyContinue)`,
  stop: `${scriptPrologue}try { Stop-Service -Name $env:NSP_SERVICE_NAME -Force -ErrorAction Stop } catch { [Console]::Error.WriteLine($_.Exception.Message); exit 1 }`,
  start: `${scriptPrologue}try { Start-Service -Name $env:NSP_SERVICE_NAME -ErrorAction Stop } catch { [Console]::Error.WriteLine($_.Exception.Message); exit 1 }`,
  waitForStatus: `${scriptPrologue}try {
  $service = Get-Service -Name $env:NSP_SERVICE_NAME -ErrorAction Stop
  try { $service.WaitForStatus($env:NSP_SERVICE_STATUS, [TimeSpan]::FromMilliseconds([double]$env:NSP_SERVICE_TIMEOUT_MS)) } catch {}
  $service.Refresh()
  Out-Services $service
} catch { [Console]::Error.WriteLine($_.Exception.Message); exit 1 }`,
} as const;

/** The base64 UTF-16LE form PowerShell's -EncodedCommand takes (no quoting problems at all). */
export function encodePowerShell(script: string): string {
  return Buffer.from(script, 'utf16le').toString('base64');
}

export class WindowsServiceControl implements ServiceControl {
  readonly kind = 'windows' as const;
  private program: string | undefined;

  /** programs: tried in order until one exists (Windows PowerShell 5.1 is on every server; pwsh is the fallback). */
  constructor(private readonly programs: readonly string[] = ['powershell.exe', 'pwsh']) {}

  private async run(script: string, env: Record<string, string>, timeoutMs = 60_000): Promise<RunResult> {
    const args = ['-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', encodePowerShell(script)];
    const candidates = this.program ? [this.program] : this.programs;
    for (const program of candidates) {
      try {
        const result = await runCommand(program, args, {env, timeoutMs});
        this.program = program;
        return result;
      } catch (error) {
        if (!(error instanceof MissingProgramError)) throw error;
      }
    }
    throw new ServiceError(`Neither ${this.programs.join(' nor ')} was found; Windows services cannot be controlled without PowerShell.`);
  }

  private async query(script: string, env: Record<string, string>, timeoutMs?: number): Promise<ServiceInfo[]> {
    const result = await this.run(script, env, timeoutMs);
    if (result.timedOut) throw new ServiceError('PowerShell did not answer in time.');
    if (result.exitCode !== 0) throw new ServiceError(firstLine(result.stderr) ?? `PowerShell failed (exit code ${result.exitCode}).`);
    return parseServiceJson(result.stdout);
  }

  async findByDisplayName(displayName: string): Promise<ServiceInfo[]> {
    const found = await this.query(powershellScripts.findByDisplayName, {NSP_SERVICE_DISPLAY_PATTERN: displayNameWildcard(displayName)});
    // Get-Service matched the wildcard; checking again in-process keeps the rule in one place
    // (a dash may arrive garbled through a console code page, so a dash matches any one character).
    return found.filter(service => displayNameWildcardRegExp(displayName).test(service.displayName.trim()));
  }

  async findByName(name: string): Promise<ServiceInfo | undefined> {
    const found = await this.query(powershellScripts.findByName, {NSP_SERVICE_NAME: name});
    return found.find(service => service.name.toLowerCase() === name.toLowerCase()) ?? found[0];
  }

  private async act(script: string, name: string, verb: string): Promise<void> {
    const result = await this.run(script, {NSP_SERVICE_NAME: name}, 120_000);
    if (result.timedOut) throw new ServiceError(`${verb} ${name}: PowerShell did not finish in time.`);
    if (result.exitCode !== 0) throw new ServiceError(`${verb} ${name} failed: ${firstLine(result.stderr) ?? `exit code ${result.exitCode}`}`);
  }

  stop(name: string): Promise<void> {
    return this.act(powershellScripts.stop, name, 'Stopping');
  }

  start(name: string): Promise<void> {
    return this.act(powershellScripts.start, name, 'Starting');
  }

  async waitForStatus(name: string, status: 'running' | 'stopped', options: WaitOptions = {}): Promise<{reached: boolean; info?: ServiceInfo}> {
    const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    const env = {NSP_SERVICE_NAME: name, NSP_SERVICE_STATUS: status === 'running' ? 'Running' : 'Stopped', NSP_SERVICE_TIMEOUT_MS: String(timeoutMs)};
    const [info] = await this.query(powershellScripts.waitForStatus, env, timeoutMs + 30_000);
    return {reached: info?.status === status, info};
  }
}

function firstLine(text: string): string | undefined {
  return text.split(/\r?\n/).map(line => line.trim()).find(line => line.length > 0);
}

/** Parses the JSON the scripts print: an array (or, from older PowerShell, one object or nothing). */
export function parseServiceJson(stdout: string): ServiceInfo[] {
  const text = stdout.trim();
  if (text.length === 0) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ServiceError(`PowerShell printed something that is not the expected service list: ${text.slice(0, 120)}`);
  }
  const rows = Array.isArray(parsed) ? parsed : parsed && typeof parsed === 'object' ? [parsed] : [];
  return rows.flatMap(row => {
    const {Name, DisplayName, Status} = (row ?? {}) as {Name?: unknown; DisplayName?: unknown; Status?: unknown};
    if (typeof Name !== 'string') return [];
    const status = powershellStatuses[String(Status ?? '').toLowerCase()] ?? 'unknown';
    return [{name: Name, displayName: typeof DisplayName === 'string' ? DisplayName : Name, status}];
  });
}

// ---------------------------------------------------------------------------------------------
// Sandbox: services as records in <root>/.services.json, for the demo and tests.

export const sandboxServicesFile = '.services.json';

export interface SandboxServiceRecord {
  displayName: string;
  status: ServiceStatus;
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
  const running = (displayName: string): SandboxServiceRecord => ({displayName, status: 'running'});
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
    return {name, displayName: record.displayName, status: record.status};
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

  private async change(name: string, action: 'stop' | 'start'): Promise<void> {
    const state = await this.load();
    const key = Object.keys(state.services).find(candidate => candidate.toLowerCase() === name.toLowerCase());
    if (!key) throw new ServiceError(`Cannot ${action} ${name}: there is no such service.`);
    const record = state.services[key]!;
    const at = new Date().toISOString();
    if (action === 'stop') record.status = 'stopped';
    else {
      record.status = record.failsToStart ? 'stopped' : 'running';
      record.restarts = (record.restarts ?? 0) + 1;
    }
    record.lastChange = at;
    state.log.push({at, action, name: key, result: record.status});
    await this.save(state);
  }

  stop(name: string): Promise<void> {
    return this.change(name, 'stop');
  }

  start(name: string): Promise<void> {
    return this.change(name, 'start');
  }

  /** Sandbox changes are immediate, so one look decides. */
  async waitForStatus(name: string, status: 'running' | 'stopped'): Promise<{reached: boolean; info?: ServiceInfo}> {
    const info = await this.findByName(name);
    return {reached: info?.status === status, info};
  }
}

/** Windows services on a real Windows installation; the sandbox file everywhere else (demo, tests, --root on Linux). */
export function serviceControlFor(context: Pick<ConsoleContext, 'platform' | 'isDemo' | 'root'>): ServiceControl {
  return context.platform === 'win32' && !context.isDemo ? new WindowsServiceControl() : new SandboxServiceControl(context.root);
}
