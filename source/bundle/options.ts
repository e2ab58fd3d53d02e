import {maxDurationMs, parseDuration} from '../commands/parse.js';
import {UsageError} from '../errors.js';
import {loadSettings} from '../settings.js';
import {defaultLimits, type BundleLimits} from './types.js';

/** "512K", "100MB", "2GB", "1.5G", or plain bytes. */
export function parseSize(text: string, option: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|k|kb|m|mb|g|gb|t|tb)?\s*$/i.exec(text);
  if (!match) throw new UsageError(`${option} ${text}: not a size; use e.g. 100MB, 2GB or 512K.`);
  const factor = {b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4}[(match[2] ?? 'b').toLowerCase() as 'b'];
  const value = Math.floor(Number(match[1]) * factor);
  if (value < 1024) throw new UsageError(`${option} ${text}: at least 1K.`);
  return value;
}

/**
 * A point in time: "now", a duration back from now ("24h", "90m", "1h30m"), or a date/time
 * ("2026-11-27 08:00" local, "2026-11-27T08:00:00Z").
 */
export function parseTime(text: string, option: string, now: Date): Date {
  const trimmed = text.trim();
  if (trimmed === 'now') return now;
  if (/^\d+(?:\.\d+)?(?:ms|s|m|h)(?:\d+(?:\.\d+)?(?:ms|s|m|h))*$/.test(trimmed)) return new Date(now.getTime() - parseDuration(trimmed, option));
  if (/^\d+d$/.test(trimmed)) {
    const back = Number(trimmed.slice(0, -1)) * 86_400_000;
    if (back > maxDurationMs) throw new UsageError(`${option} ${text}: too far back; at most ${Math.floor(maxDurationMs / 86_400_000)}d.`);
    return new Date(now.getTime() - back);
  }
  if (/^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(trimmed)) {
    const date = new Date(trimmed.includes(' ') ? trimmed.replace(' ', 'T') : /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? `${trimmed}T00:00` : trimmed);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new UsageError(`${option} ${text}: not a time; use e.g. "2026-11-27 08:00", 2026-11-27T08:00:00Z, 24h (24 hours ago), 2d or now.`);
}

/** Caps from settings.json ("bundle": {"maxFileBytes", "maxTotalBytes"}), then the flags. */
export async function resolveLimits(stateDir: string, flags: {maxFile?: string; maxTotal?: string}): Promise<BundleLimits> {
  const settings = await loadSettings(stateDir);
  const stored = (settings.bundle ?? {}) as Record<string, unknown>;
  const limits = {...defaultLimits};
  for (const key of ['maxFileBytes', 'maxTotalBytes'] as const) {
    const value = stored[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1024) throw new UsageError(`settings.json bundle.${key} must be a whole number of bytes >= 1024.`);
    limits[key] = value;
  }
  if (flags.maxFile) limits.maxFileBytes = parseSize(flags.maxFile, '--max-file-size');
  if (flags.maxTotal) limits.maxTotalBytes = parseSize(flags.maxTotal, '--max-total-size');
  return limits;
}
