import type {ConsoleContext} from '../../context.js';
import {errorMessage} from '../../errors.js';
import {runCommand} from '../../system/exec.js';
import {normalizeAnyHostName} from '../validate.js';
import type {FixStep} from './assessment.js';

/** Host names for BackConnectionHostNames: comma- or space-separated, each validated. */
export function parseHostNames(text: string): string[] {
  if (/[\u0000-\u001f\u007f]/.test(text)) throw new RangeError('host names cannot contain line breaks or control characters');
  const names: string[] = [];
  for (const part of text.split(/[, ]+/).filter(Boolean)) {
    const {value, error} = normalizeAnyHostName(part);
    if (!value) throw new RangeError(error ?? `"${part}" is not a host name`);
    if (!names.includes(value)) names.push(value);
  }
  if (names.length === 0) throw new RangeError('enter at least one host name');
  return names;
}

/** This computer's name, the name the roles and the WebPortal usually use for each other. */
export function defaultHostNames(context: Pick<ConsoleContext, 'hostName'>): string[] {
  try {
    return parseHostNames(context.hostName);
  } catch {
    return [];
  }
}

/** Runs the `reg` steps in order and stops at the first failure. */
export async function applyFixes(fixes: readonly FixStep[]): Promise<{description: string; ok: boolean; message?: string}[]> {
  const results: {description: string; ok: boolean; message?: string}[] = [];
  for (const fix of fixes) {
    try {
      const result = await runCommand('reg', fix.args, {timeoutMs: 15_000});
      const ok = result.exitCode === 0;
      results.push({description: fix.description, ok, message: ok ? undefined : (result.stderr || result.stdout).trim().split(/\r?\n/)[0]});
      if (!ok) break;
    } catch (error) {
      results.push({description: fix.description, ok: false, message: errorMessage(error)});
      break;
    }
  }
  return results;
}
