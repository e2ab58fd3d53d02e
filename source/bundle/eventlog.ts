import {mkdir, readFile, stat} from 'node:fs/promises';
import {basename, join} from 'node:path';
import type {ConsoleContext} from '../context.js';
import {MissingProgramError, runCommand} from '../system/exec.js';

/** The NoSpamProxy event log (domain facts §2). */
export const eventLogName = 'Net at Work Mail Gateway';

export interface TimeRange {
  since: Date;
  until: Date;
}

/** Critical (1), Error (2) and Warning (3) events of the range, as an XPath query for wevtutil. */
export function eventQuery(range: TimeRange): string {
  return `*[System[(Level=1 or Level=2 or Level=3) and TimeCreated[@SystemTime>='${range.since.toISOString()}' and @SystemTime<='${range.until.toISOString()}']]]`;
}

/** The same filter for Get-WinEvent (the fallback when wevtutil is missing). */
export function getWinEventScript(range: TimeRange): string {
  return [
    `$filter = @{LogName='${eventLogName}'; Level=1,2,3; StartTime=[datetime]'${range.since.toISOString()}'; EndTime=[datetime]'${range.until.toISOString()}'}`,
    `Get-WinEvent -FilterHashtable $filter -ErrorAction SilentlyContinue | Format-List TimeCreated,Id,LevelDisplayName,ProviderName,Message`,
  ].join('; ');
}

/** How many events a text export holds: wevtutil's "Event[n]:" headers, Get-WinEvent's "TimeCreated", CSV rows or XML events. */
export function countEvents(text: string): number {
  const wevtutil = text.match(/^Event\[\d+\]:?/gm)?.length ?? 0;
  if (wevtutil > 0) return wevtutil;
  const powershell = text.match(/^TimeCreated\s*:/gm)?.length ?? 0;
  if (powershell > 0) return powershell;
  const xml = text.match(/<Event[\s>]/g)?.length ?? 0;
  if (xml > 0) return xml;
  const lines = text.split(/\r?\n/).filter(line => line.trim().length > 0);
  // Event Viewer's "Save as CSV/TXT": a header line, then one line per event (Level, Date and Time, Source, ...).
  if (lines.length > 1 && /^(Level|Ebene)[,\t]/i.test(lines[0]!)) return lines.length - 1;
  return 0;
}

export interface EventLogExport {
  /** Readable text of the events (always). */
  textPath?: string;
  text?: string;
  /** The Windows-native export (Event Viewer opens it), when wevtutil made one. */
  evtxPath?: string;
  count: number;
  tool: 'wevtutil' | 'Get-WinEvent';
}

function firstLine(text: string): string {
  return text.split(/\r?\n/).find(line => line.trim().length > 0)?.trim() ?? '';
}

/**
 * Exports the warnings and errors of the range on Windows: wevtutil (text for reading and counting,
 * .evtx for Event Viewer); when wevtutil is missing, Get-WinEvent through PowerShell.
 */
export async function exportEventLog(context: ConsoleContext, range: TimeRange, workFolder: string): Promise<EventLogExport> {
  await mkdir(workFolder, {recursive: true});
  const query = `/q:${eventQuery(range)}`;
  try {
    const text = await runCommand('wevtutil', ['qe', eventLogName, query, '/f:text', '/rd:false'], {timeoutMs: 120_000});
    if (text.exitCode !== 0) throw new Error(`wevtutil failed (exit ${text.exitCode}): ${firstLine(text.stderr) || firstLine(text.stdout) || 'no message'}`);
    const evtxPath = join(workFolder, 'events.evtx');
    const native = await runCommand('wevtutil', ['epl', eventLogName, evtxPath, query, '/ow:true'], {timeoutMs: 120_000});
    const evtxMade = native.exitCode === 0 && (await stat(evtxPath).then(info => info.isFile(), () => false));
    return {text: text.stdout, evtxPath: evtxMade ? evtxPath : undefined, count: countEvents(text.stdout), tool: 'wevtutil'};
  } catch (error) {
    if (!(error instanceof MissingProgramError)) throw error;
  }
  for (const shell of ['powershell', 'pwsh']) {
    try {
      const result = await runCommand(shell, ['-NoProfile', '-NonInteractive', '-Command', getWinEventScript(range)], {timeoutMs: 180_000});
      if (result.exitCode !== 0) throw new Error(`Get-WinEvent failed (exit ${result.exitCode}): ${firstLine(result.stderr) || 'no message'}`);
      return {text: result.stdout, count: countEvents(result.stdout), tool: 'Get-WinEvent'};
    } catch (error) {
      if (!(error instanceof MissingProgramError)) throw error;
    }
  }
  throw new Error('neither wevtutil nor PowerShell was found; export the event log in Event Viewer and attach the file');
}

/** An exported file (elsewhere than Windows, or chosen by the admin): counted when it is text. */
export async function describeEventLogFile(path: string): Promise<{count: number | undefined; summary: string}> {
  const info = await stat(path);
  if (!info.isFile()) throw new Error(`${path} is not a regular file`);
  if (/\.evtx$/i.test(path)) return {count: undefined, summary: `${basename(path)} (Windows .evtx; entries are counted by Event Viewer)`};
  const head = await readFile(path).then(bytes => bytes.subarray(0, 32 * 1024 * 1024));
  const text = head[0] === 0xff && head[1] === 0xfe ? head.subarray(2).toString('utf16le') : head.toString('utf8');
  const count = countEvents(text);
  return {count, summary: `${basename(path)}: ${count} entr${count === 1 ? 'y' : 'ies'}`};
}
