import {parseDuration} from '../commands/parse.js';
import {UsageError} from '../errors.js';
import type {Settings} from '../settings.js';

/** Timings of the flow; settings.json "logflow" may change each (durations like "30s", "5m"). */
export interface FlowTimings {
  /** Countdown after the problem was reproduced (KB: 5 minutes). */
  waitMs: number;
  /** Time-out for one enable/disable command. */
  commandTimeoutMs: number;
  /** How long the files must stay unchanged after "off" to count as off. */
  verifyOffMs: number;
  /** After this long without any byte written, say plainly that nothing is being written. */
  quietWarningMs: number;
  /** The watchdog acts at deadline + this (at most 60 s). */
  watchdogGraceMs: number;
}

export const defaultTimings: FlowTimings = {
  waitMs: 5 * 60_000,
  commandTimeoutMs: 60_000,
  verifyOffMs: 3_000,
  quietWarningMs: 20_000,
  watchdogGraceMs: 30_000,
};

export const extendStepMs = 60_000;
export const maxWatchdogGraceMs = 60_000;

/** Upper bound of each timing: a run never promises to switch logging off later than a day from now. */
export const maxTimings: FlowTimings = {
  waitMs: 24 * 3_600_000,
  commandTimeoutMs: 30 * 60_000,
  verifyOffMs: 10 * 60_000,
  quietWarningMs: 60 * 60_000,
  watchdogGraceMs: maxWatchdogGraceMs,
};

/** `--wait` on the command line: within 24 h, exit 2 naming the option otherwise. */
export function parseWait(text: string, option = '--wait'): number {
  return parseDuration(text, option, maxTimings.waitMs);
}

const keys: Record<keyof FlowTimings, string> = {
  waitMs: 'wait',
  commandTimeoutMs: 'commandTimeout',
  verifyOffMs: 'verifyOff',
  quietWarningMs: 'quietWarning',
  watchdogGraceMs: 'watchdogGrace',
};

/** Reads settings "logflow" ({"wait": "5m", "commandTimeout": "60s", ...}); bad values are usage errors. */
export function timingsFromSettings(settings: Settings): FlowTimings {
  const section = settings.logflow;
  const timings = {...defaultTimings};
  if (section === undefined) return timings;
  if (section === null || typeof section !== 'object' || Array.isArray(section)) throw new UsageError('settings "logflow" must be an object, e.g. {"wait": "5m"}.');
  const raw = section as Record<string, unknown>;
  for (const [field, key] of Object.entries(keys) as [keyof FlowTimings, string][]) {
    const value = raw[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' && typeof value !== 'number') throw new UsageError(`settings "logflow.${key}" must be a duration such as "30s" or "5m".`);
    timings[field] = parseDuration(String(value), `settings "logflow.${key}"`, maxTimings[field]);
  }
  return timings;
}
