import type {RunResult} from './exec.js';
import {
  ServiceError,
  defaultServiceTimeoutMs,
  displayNameWildcard,
  displayNameWildcardRegExp,
  namePrefixWildcard,
  type ServiceControl,
  type ServiceInfo,
  type ServiceStartType,
  type ServiceStatus,
  type WaitOptions,
} from './service-control.js';

/**
 * Windows services through PowerShell (Get-Service, Stop-Service, Start-Service). The scripts are
 * constants; every value (names, time-outs) reaches PowerShell through environment variables, so
 * nothing typed can become script code. Kept apart so another way of running them (sc.exe) only
 * replaces this file.
 */

const powershellStatuses: Record<string, ServiceStatus> = {
  running: 'running',
  stopped: 'stopped',
  startpending: 'start-pending',
  stoppending: 'stop-pending',
  continuepending: 'continue-pending',
  pausepending: 'pause-pending',
  paused: 'paused',
};

const powershellStartTypes: Record<string, ServiceStartType> = {
  automatic: 'automatic',
  manual: 'manual',
  disabled: 'disabled',
  boot: 'boot',
  system: 'system',
};

const scriptPrologue = `$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
try { [Console]::OutputEncoding = [System.Text.Encoding]::UTF8 } catch {}
function Out-Services($list) {
  $rows = @($list | ForEach-Object { [pscustomobject]@{ Name = $_.Name; DisplayName = $_.DisplayName; Status = [string]$_.Status; StartType = [string]$_.StartType } })
  ConvertTo-Json -InputObject $rows -Compress
}
`;

export const powershellScripts = {
  findByDisplayName: `${scriptPrologue}Out-Services (Get-Service -DisplayName $env:NSP_SERVICE_DISPLAY_PATTERN -ErrorAction SilentlyContinue)`,
  findByName: `${scriptPrologue}Out-Services (Get-Service -Name $env:NSP_SERVICE_NAME -ErrorAction SilentlyContinue)`,
  findByNamePrefix: `${scriptPrologue}Out-Services (Get-Service -Name $env:NSP_SERVICE_NAME_PATTERN -ErrorAction SilentlyContinue)`,
  dependents: `${scriptPrologue}try { Out-Services (Get-Service -Name $env:NSP_SERVICE_NAME -ErrorAction Stop).DependentServices } catch { [Console]::Error.WriteLine($_.Exception.Message); exit 1 }`,
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
  constructor(
    private readonly programs: readonly string[] = ['powershell.exe', 'pwsh'],
    /** Deadline of one query (lookups); actions and waits have their own. */
    private readonly queryTimeoutMs = defaultServiceTimeoutMs,
  ) {}

  private async run(script: string, env: Record<string, string>, timeoutMs = this.queryTimeoutMs): Promise<RunResult> {
    const args = ['-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', encodePowerShell(script)];
    // exec (and execa behind it) loads when a service is first asked about, not at start-up: every context has a control.
    const {MissingProgramError, runCommand} = await import('./exec.js');
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

  async findByNamePrefix(prefix: string): Promise<ServiceInfo[]> {
    const found = await this.query(powershellScripts.findByNamePrefix, {NSP_SERVICE_NAME_PATTERN: namePrefixWildcard(prefix)});
    return found.filter(service => service.name.toLowerCase().startsWith(prefix.trim().toLowerCase()));
  }

  dependents(name: string): Promise<ServiceInfo[]> {
    return this.query(powershellScripts.dependents, {NSP_SERVICE_NAME: name});
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
    const timeoutMs = options.timeoutMs ?? defaultServiceTimeoutMs;
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
    const {Name, DisplayName, Status, StartType} = (row ?? {}) as {Name?: unknown; DisplayName?: unknown; Status?: unknown; StartType?: unknown};
    if (typeof Name !== 'string') return [];
    const status = powershellStatuses[String(Status ?? '').toLowerCase()] ?? 'unknown';
    const startType = powershellStartTypes[String(StartType ?? '').toLowerCase()];
    return [{name: Name, displayName: typeof DisplayName === 'string' ? DisplayName : Name, status, ...(startType ? {startType} : {})}];
  });
}
