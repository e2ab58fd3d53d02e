import {stat} from 'node:fs/promises';
import {errorMessage} from '../errors.js';
import {snapshotLocation, totalBytes} from './snapshot.js';

/**
 * Where a role's logs are, as seen from the server the console runs on: a local folder, or a UNC
 * path (\\gw2\d$\NSP-Logs) when the role runs on another server (DMZ, several roles). A share that
 * cannot be reached is "unreachable", never "nothing written".
 */

/** Above this total a log location gets a warning (logs are never deleted automatically). */
export const logLocationWarnBytes = 5 * 1024 ** 3;

export function isUncPath(location: string): boolean {
  return /^(\\\\|\/\/)[^\\/]+[\\/][^\\/]+/.test(location.trim());
}

/** \\server\share\… → server (for the guidance). */
export function uncServer(location: string): string | undefined {
  return /^(?:\\\\|\/\/)([^\\/]+)/.exec(location.trim())?.[1];
}

export type LocationMeasure =
  | {state: 'reachable'; files: number; bytes: number}
  | {state: 'missing'}
  | {state: 'unreachable'; reason: string};

/** Total size of a location within a deadline (an unreachable share can hang for many seconds). */
export async function measureLocation(location: string, timeoutMs = 5_000): Promise<LocationMeasure> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<LocationMeasure>(resolve => {
    timer = setTimeout(() => resolve({state: 'unreachable', reason: `no answer within ${Math.round(timeoutMs / 100) / 10} s`}), timeoutMs);
  });
  const measure = (async (): Promise<LocationMeasure> => {
    try {
      const info = await stat(location);
      if (!info.isDirectory()) return {state: 'unreachable', reason: 'it is a file, not a folder'};
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && !isUncPath(location)) return {state: 'missing'};
      return {state: 'unreachable', reason: code === 'ENOENT' ? 'the share or folder was not found' : errorMessage(error)};
    }
    const sizes = await snapshotLocation(location);
    return {state: 'reachable', files: Object.keys(sizes).length, bytes: totalBytes(sizes)};
  })().catch((error: unknown): LocationMeasure => ({state: 'unreachable', reason: errorMessage(error)}));
  try {
    return await Promise.race([measure, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** What to do when a role's location cannot be reached from here. */
export function unreachableGuidance(location: string): string[] {
  const server = uncServer(location);
  if (!server) return [`Check that ${location} exists and this account may read it.`];
  return [
    `${location} is on ${server}: share the log folder there (or use its administrative share, e.g. \\\\${server}\\d$),`,
    `give the account running nsp-console read and write access, and check that this server reaches ${server} on port 445 (SMB).`,
    `Test it here with: dir "${location}"`,
  ];
}

/** A warning when a location holds more than the threshold, else undefined. */
export function sizeWarning(bytes: number, threshold = logLocationWarnBytes): string | undefined {
  if (bytes <= threshold) return undefined;
  return `holds ${formatSize(bytes)}, more than ${formatSize(threshold)}: logs are never deleted automatically; delete old ones after support has them.`;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 ? Math.round(value) : Math.round(value * 10) / 10} ${units[unit]}`;
}
