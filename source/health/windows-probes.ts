import {eventLogName, eventQuery} from '../bundle/eventlog.js';
import {parseRegQueryValue, versionRegistryKey, versionRegistryValue} from '../environment.js';
import {MissingProgramError, runCommand} from '../system/exec.js';

/** The Windows tools behind the health view: reg (version) and wevtutil (event log). */

export async function readNspVersion(timeoutMs: number): Promise<{version?: string; problem?: string}> {
  try {
    const result = await runCommand('reg', ['query', versionRegistryKey, '/v', versionRegistryValue, '/reg:64'], {timeoutMs});
    if (result.timedOut) return {problem: `reg did not answer within ${timeoutMs / 1000} s`};
    if (result.exitCode !== 0) return {problem: `${versionRegistryKey} "${versionRegistryValue}" is not in the registry`};
    const version = parseRegQueryValue(result.stdout, versionRegistryValue);
    return version ? {version} : {problem: 'reg answered without the version value'};
  } catch (error) {
    if (error instanceof MissingProgramError) return {problem: 'reg.exe was not found'};
    throw error;
  }
}

export interface EventSummary {
  at: string;
  level: string;
  source: string;
  id: string;
  message: string;
}

/** Splits wevtutil's text format ("Event[0]:" blocks, newest first with /rd:true). */
export function parseWevtutilText(text: string): EventSummary[] {
  const blocks = text.split(/^Event\[\d+\]:?\s*$/m).slice(1);
  return blocks.map(block => {
    const field = (name: string) => new RegExp(`^\\s*${name}:[ \\t]*(.*)$`, 'm').exec(block)?.[1]?.trim() ?? '';
    const description = /^\s*Description:\s*\r?\n?([\s\S]*)$/m.exec(block)?.[1] ?? '';
    const message = description.split(/\r?\n/).map(line => line.trim()).find(line => line.length > 0) ?? '';
    return {at: field('Date'), level: field('Level'), source: field('Source'), id: field('Event ID'), message};
  });
}

/** Warnings, errors and critical events of the last 24 hours in the NoSpamProxy event log, newest first. */
export async function readRecentEvents(now: Date, timeoutMs: number): Promise<{events?: EventSummary[]; problem?: string}> {
  const range = {since: new Date(now.getTime() - 24 * 3600_000), until: now};
  try {
    const result = await runCommand('wevtutil', ['qe', eventLogName, `/q:${eventQuery(range)}`, '/f:text', '/rd:true'], {timeoutMs});
    if (result.timedOut) return {problem: `wevtutil did not answer within ${timeoutMs / 1000} s`};
    if (result.exitCode !== 0) return {problem: `wevtutil failed: ${(result.stderr || result.stdout).trim().split(/\r?\n/)[0] ?? `exit ${result.exitCode}`}`};
    return {events: parseWevtutilText(result.stdout)};
  } catch (error) {
    if (error instanceof MissingProgramError) return {problem: 'wevtutil.exe was not found'};
    throw error;
  }
}
