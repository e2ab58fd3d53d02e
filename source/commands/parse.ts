import {parseArgs, type ParseArgsConfig} from 'node:util';
import {UsageError} from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** util.parseArgs with strict checking whose errors become usage errors (exit 2) in plain words. */
export function parseCommandArgs<T extends Options>(args: string[], options: T, allowPositionals = true) {
  try {
    return parseArgs({args, options, allowPositionals, strict: true});
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, '.') : String(error);
    throw new UsageError(message);
  }
}

/** No duration anywhere means more than this (a date this far away is still a valid date). */
export const maxDurationMs = 10 * 366 * 24 * 3_600_000;

/** 86_400_000 → "24h", 90_000 → "1m30s": how a bound is named in an error. */
export function describeDuration(ms: number): string {
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1_000]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest > 0 || parts.length === 0) parts.push(`${rest}ms`);
  return parts.join('');
}

/**
 * "30s", "5m", "1m30s", "90" (seconds), "500ms" → milliseconds, at most `maxMs` (default ten years).
 * `option` names the flag in the error.
 */
export function parseDuration(text: string, option?: string, maxMs = maxDurationMs): number {
  const total = parseDurationUnbounded(text, option);
  if (!Number.isFinite(total) || total > maxMs) throw new UsageError(`${option ? `${option}: ` : ''}"${text}" is too long; at most ${describeDuration(maxMs)}.`);
  return total;
}

function parseDurationUnbounded(text: string, option?: string): number {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed) && Number(trimmed) > 0) return Number(trimmed) * 1000;
  const pattern = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  for (const match of trimmed.matchAll(pattern)) {
    const value = Number(match[1]);
    const unit = match[2];
    total += unit === 'ms' ? value : unit === 's' ? value * 1000 : unit === 'm' ? value * 60_000 : value * 3_600_000;
    consumed += match[0].length;
  }
  if (trimmed.length === 0 || consumed !== trimmed.length || total <= 0) {
    throw new UsageError(`${option ? `${option}: ` : ''}"${text}" is not a duration (it must be more than zero); use e.g. 30s, 5m, 1m30s or 500ms.`);
  }
  return Math.round(total);
}

export function writeJson(stream: NodeJS.WritableStream, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}
