import {OperationalError} from '../errors.js';

/**
 * The one interface every screen and command uses to see and control Windows services. Two
 * implementations: windows-services.ts (PowerShell on a real server) and sandbox-services.ts (a JSON
 * file for the demo and tests). Restarting with dependents is in service-restart.ts.
 */

export type ServiceStatus = 'running' | 'stopped' | 'start-pending' | 'stop-pending' | 'continue-pending' | 'pause-pending' | 'paused' | 'unknown';

/** How Windows starts the service (Get-Service's StartType); undefined when it was not asked for or is unknown. */
export type ServiceStartType = 'automatic' | 'manual' | 'disabled' | 'boot' | 'system';

export interface ServiceInfo {
  /** The service (short) name, e.g. NetatworkMailGatewayGatewayRole. */
  name: string;
  displayName: string;
  status: ServiceStatus;
  startType?: ServiceStartType;
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
  /** Services whose service name starts with this text (case-insensitive), e.g. NetatworkMailGateway. */
  findByNamePrefix(prefix: string): Promise<ServiceInfo[]>;
  /** The services that depend on this one (Stop-Service -Force stops them too). */
  dependents(name: string): Promise<ServiceInfo[]>;
  stop(name: string): Promise<void>;
  start(name: string): Promise<void>;
  /**
   * Resolves with the final state; `reached` is false when the time-out passed first, or when the
   * control knows at once that the status will not come (then `why` says so).
   */
  waitForStatus(name: string, status: 'running' | 'stopped', options?: WaitOptions): Promise<{reached: boolean; info?: ServiceInfo; why?: string}>;
}

export class ServiceError extends OperationalError {
  override name = 'ServiceError';
}

export const defaultServiceTimeoutMs = 60_000;

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

/** A Get-Service -Name wildcard for "starts with": the prefix literal (wildcard characters escaped), then *. */
export function namePrefixWildcard(prefix: string): string {
  return `${prefix.trim().replace(/[`*?[\]]/g, char => `\`${char}`)}*`;
}
