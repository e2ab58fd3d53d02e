import {open, readdir, readFile, stat} from 'node:fs/promises';
import {arch, release, type as osType} from 'node:os';
import {basename, extname, join, resolve} from 'node:path';
import type {ConsoleContext} from '../context.js';
import {detectNspVersion} from '../environment.js';
import {errorMessage, UsageError} from '../errors.js';
import {sessionRecord} from '../system/session-record.js';
import {toolName, toolVersion} from '../version.js';
import {countEvents, describeEventLogFile, eventLogName, exportEventLog, type TimeRange} from './eventlog.js';
import {listLogflowRuns} from '../logflow/runs.js';
import {pickRun, runZipExists, type LogflowRun} from './logflow-runs.js';
import {checkMessageTrack} from './message-tracks.js';
import {maskDeep, maskText} from '../system/secret-registry.js';
import {looksLikeText} from '../system/text-codec.js';
import {entryFileName, EntryNames, safeEntryName} from './entry-names.js';
import {redactFileBytes, redactionRuleFor} from './redaction.js';
import {itemIds, itemLabels, type BundleItem, type BundleRequest, type ItemId, type PlannedEntry, type SkippedRecord} from './types.js';
import {openZip} from '../archive/zip-read.js';

const storedExtensions = new Set(['.zip', '.png', '.jpg', '.jpeg', '.gif', '.gz', '.7z', '.docx', '.xlsx', '.pdf']);

async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(8192);
    const {bytesRead} = await handle.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** A file the admin named: planned when it is a readable regular file, else a skipped record. */
export async function planFile(givenPath: string, folder: string, names: EntryNames, item: ItemId): Promise<PlannedEntry | SkippedRecord> {
  const path = resolve(givenPath);
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    return {item: `${item}: ${path}`, reason: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : errorMessage(error)};
  }
  if (!info.isFile()) return {item: `${item}: ${path}`, reason: info.isDirectory() ? 'is a folder, not a file' : 'not a regular file'};
  let head: Buffer;
  try {
    head = await readHead(path);
  } catch (error) {
    return {item: `${item}: ${path}`, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`};
  }
  const text = looksLikeText(path, head);
  return {
    path: names.take(folder, path),
    source: path,
    input: {kind: 'file', path, size: info.size},
    text,
    rule: text ? redactionRuleFor(path) : 'none',
    store: storedExtensions.has(extname(path).toLowerCase()),
  };
}

function isPlanned(value: PlannedEntry | SkippedRecord): value is PlannedEntry {
  return 'input' in value;
}

function item(id: ItemId, status: BundleItem['status'], summary: string, extra: Partial<BundleItem> = {}): BundleItem {
  return {id, label: itemLabels[id], status, summary, details: [], entries: [], skipped: [], ...extra};
}

function skippedItem(id: ItemId, reason: string): BundleItem {
  return item(id, 'skipped', reason, {skipped: [{item: id, reason}]});
}

const textBytes = (text: string) => Buffer.from(text.endsWith('\n') ? text : `${text}\n`, 'utf8');

export interface CollectOptions {
  /** Temporary files (event-log export) go here; the caller removes it after writing. */
  workFolder: string;
  /** Already detected, to avoid asking the registry again. */
  detectedVersion?: string;
  now?: Date;
}

/** The time range of the event log: --since/--until, else the log run's window, else the last 24 hours. */
export function eventRange(request: BundleRequest, run: LogflowRun | undefined, now: Date): TimeRange {
  const until = request.until ?? (request.since ? now : run ? new Date(run.endedAt) : now);
  const since = request.since ?? (run && !request.until ? new Date(run.startedAt) : new Date(until.getTime() - 24 * 3600 * 1000));
  return {since, until};
}

function describeRange(range: TimeRange): string {
  const short = (date: Date) => date.toISOString().slice(0, 16).replace('T', ' ');
  return `${short(range.since)} - ${short(range.until)} UTC`;
}

export async function collectVersion(context: ConsoleContext, request: BundleRequest, options: CollectOptions): Promise<BundleItem> {
  if (request.skip.includes('version')) return skippedItem('version', 'skipped by the admin');
  if (request.nspVersion) return item('version', 'found', `${request.nspVersion} (entered)`);
  const detected = options.detectedVersion ?? (await detectNspVersion(context));
  if (detected !== 'unknown') return item('version', 'found', `${detected} (registry: Intranet Role)`);
  return item('version', 'to-enter', context.platform === 'win32' ? 'not found in the registry: enter it' : 'not detectable here: enter it');
}

export async function collectDescription(request: BundleRequest): Promise<BundleItem> {
  if (request.skip.includes('description')) return skippedItem('description', 'skipped by the admin');
  let text = request.description;
  let source = 'typed in the console';
  if (request.descriptionFile) {
    const info = await stat(request.descriptionFile).catch(() => undefined);
    if (!info?.isFile()) throw new UsageError(`--description-file ${request.descriptionFile}: not a readable file.`);
    if (info.size > 1024 * 1024) throw new UsageError(`--description-file ${request.descriptionFile}: larger than 1 MB; attach it with --attach instead.`);
    text = (await readFile(request.descriptionFile, 'utf8')).replace(/^\uFEFF/, '');
    source = request.descriptionFile;
  } else if (request.description !== undefined && !request.descriptionTyped) source = '--description';
  if (!text || text.trim().length === 0) return item('description', 'to-enter', 'no description yet: describe the problem');
  const lines = text.trim().split(/\r?\n/);
  return item('description', 'found', `${lines.length} line${lines.length === 1 ? '' : 's'}: ${maskText(lines[0]!).slice(0, 50)}`, {
    entries: [{path: 'description.txt', source, input: {kind: 'bytes', data: textBytes(text)}, text: true, rule: 'none'}],
  });
}

/** environment.json is made when it is written, so it includes every command run until then. */
export function environmentDocument(context: ConsoleContext, nspVersion: string): Record<string, unknown> {
  return {
    console: {name: toolName, version: toolVersion},
    os: {platform: context.platform, type: osType(), release: release(), arch: arch()},
    node: process.version,
    host: context.hostName,
    dataRoot: context.root,
    demo: context.isDemo,
    nspVersion,
    created: new Date().toISOString(),
    commands: sessionRecord(),
  };
}

export function collectEnvironment(context: ConsoleContext, request: BundleRequest): BundleItem {
  if (request.skip.includes('environment')) return skippedItem('environment', 'skipped by the admin');
  return item('environment', 'found', `${context.platform}, host ${context.hostName}, ${sessionRecord().length} command(s) recorded`, {
    details: [`data root: ${context.root}${context.isDemo ? ' (demo sandbox)' : ''}`],
    entries: [{path: 'environment.json', source: 'generated by nsp-console', input: {kind: 'bytes', data: Buffer.alloc(0)}, text: true, rule: 'none'}],
  });
}

/** CYREN/*.conf and Configuration/*.config under the data root. */
export async function collectConfig(context: ConsoleContext, request: BundleRequest, names: EntryNames): Promise<BundleItem> {
  if (request.skip.includes('config')) return skippedItem('config', 'skipped by the admin');
  const entries: PlannedEntry[] = [];
  const skipped: SkippedRecord[] = [];
  const details: string[] = [];
  for (const [folder, extension] of [['CYREN', '.conf'], ['Configuration', '.config']] as const) {
    const directory = join(context.root, folder);
    const files = (await readdir(directory).catch(() => [] as string[])).filter(name => name.toLowerCase().endsWith(extension)).sort();
    for (const file of files) {
      const planned = await planFile(join(directory, file), 'config', names, 'config');
      if (isPlanned(planned)) {
        planned.text = true;
        planned.rule = redactionRuleFor(file);
        entries.push(planned);
        details.push(`${folder}/${file} -> ${planned.path}`);
      } else skipped.push(planned);
    }
  }
  if (entries.length === 0) return item('config', 'skipped', `no CYREN/*.conf or Configuration/*.config in ${context.root}`, {skipped: [{item: 'config', reason: `no configuration files in ${context.root}`}, ...skipped]});
  return item('config', 'found', `${entries.length} file(s), secrets redacted`, {entries, skipped, details});
}

export async function collectEventLog(context: ConsoleContext, request: BundleRequest, range: TimeRange, names: EntryNames, options: CollectOptions): Promise<BundleItem> {
  if (request.skip.includes('eventlog')) return skippedItem('eventlog', 'skipped by the admin');
  const rangeText = describeRange(range);
  if (request.eventLogFile) {
    const planned = await planFile(request.eventLogFile, 'eventlog', names, 'eventlog');
    if (!isPlanned(planned)) return item('eventlog', 'to-enter', `${request.eventLogFile}: ${planned.reason}`, {skipped: [planned]});
    const described = await describeEventLogFile(request.eventLogFile).catch(error => ({count: undefined, summary: errorMessage(error)}));
    return item('eventlog', 'found', `attached ${described.summary}`, {entries: [planned], details: [`attached file ${request.eventLogFile}`]});
  }
  if (context.platform !== 'win32') {
    return item('eventlog', 'to-enter', `not Windows: export "${eventLogName}" (warnings, errors) in Event Viewer and attach it`);
  }
  try {
    const exported = await exportEventLog(context, range, join(options.workFolder, 'eventlog'));
    const entries: PlannedEntry[] = [
      {path: names.take('eventlog', 'events.txt'), source: `${exported.tool} export of "${eventLogName}", ${rangeText}`, input: {kind: 'bytes', data: Buffer.from(exported.text ?? '', 'utf8')}, text: true, rule: 'none'},
    ];
    if (exported.evtxPath) {
      const size = (await stat(exported.evtxPath)).size;
      entries.push({path: names.take('eventlog', 'events.evtx'), source: `wevtutil epl "${eventLogName}", ${rangeText}`, input: {kind: 'file', path: exported.evtxPath, size}, text: false, rule: 'none'});
    }
    return item('eventlog', 'found', `${exported.count} warning/error entr${exported.count === 1 ? 'y' : 'ies'}, ${rangeText}`, {entries, details: [`exported with ${exported.tool}`]});
  } catch (error) {
    return item('eventlog', 'to-enter', `export failed: ${errorMessage(error)}`, {skipped: [{item: 'eventlog', reason: `export failed: ${errorMessage(error)}`}]});
  }
}

export async function collectMessageTracks(request: BundleRequest, names: EntryNames): Promise<BundleItem> {
  if (request.skip.includes('message-tracks')) return skippedItem('message-tracks', 'skipped by the admin');
  if (request.messageTracks.length === 0) return item('message-tracks', 'to-enter', 'none chosen: pick exported JSON files');
  const entries: PlannedEntry[] = [];
  const skipped: SkippedRecord[] = [];
  const details: string[] = [];
  for (const path of request.messageTracks) {
    const check = await checkMessageTrack(path);
    details.push(`${check.ok ? '' : '! '}${check.summary}`);
    if (!check.ok) {
      skipped.push({item: `message-tracks: ${path}`, reason: check.summary.slice(basename(path).length + 2)});
      continue;
    }
    const planned = await planFile(path, 'message-tracks', names, 'message-tracks');
    if (isPlanned(planned)) entries.push({...planned, text: true});
    else skipped.push(planned);
  }
  const status = entries.length > 0 ? 'found' : 'to-enter';
  return item('message-tracks', status, `${entries.length} valid of ${request.messageTracks.length} file(s)`, {entries, skipped, details});
}

export async function collectQueues(request: BundleRequest, names: EntryNames): Promise<BundleItem> {
  if (request.skip.includes('queues')) return skippedItem('queues', 'skipped by the admin');
  const entries: PlannedEntry[] = [];
  const skipped: SkippedRecord[] = [];
  const details: string[] = [];
  if (request.queueNote && request.queueNote.trim().length > 0) {
    entries.push({path: names.take('queues', 'note.txt'), source: 'typed in the console', input: {kind: 'bytes', data: textBytes(request.queueNote)}, text: true, rule: 'none'});
    details.push(`note: ${maskText(request.queueNote.trim().split(/\r?\n/)[0]!).slice(0, 60)}`);
  }
  for (const path of request.queueFiles) {
    const planned = await planFile(path, 'queues', names, 'queues');
    if (isPlanned(planned)) {
      entries.push(planned);
      details.push(`${basename(path)} -> ${planned.path}`);
    } else skipped.push(planned);
  }
  if (entries.length === 0) return item('queues', 'to-enter', 'nothing yet: a note and/or exported files', {skipped});
  return item('queues', 'found', `${request.queueNote?.trim() ? 'note' : 'no note'}, ${entries.length - (request.queueNote?.trim() ? 1 : 0)} file(s)`, {entries, skipped, details});
}

export async function collectAttachments(request: BundleRequest, names: EntryNames): Promise<BundleItem> {
  if (request.skip.includes('attachments')) return skippedItem('attachments', 'skipped by the admin');
  if (request.attachments.length === 0) return item('attachments', 'to-enter', 'none chosen: screenshots or other files');
  const entries: PlannedEntry[] = [];
  const skipped: SkippedRecord[] = [];
  const details: string[] = [];
  for (const path of request.attachments) {
    const planned = await planFile(path, 'attachments', names, 'attachments');
    if (isPlanned(planned)) {
      entries.push(planned);
      details.push(`${basename(path)} (${planned.input.kind === 'file' ? planned.input.size : 0} bytes)`);
    } else {
      skipped.push(planned);
      details.push(`! ${basename(path)}: ${planned.reason}`);
    }
  }
  return item('attachments', entries.length > 0 ? 'found' : 'to-enter', `${entries.length} file(s)${skipped.length > 0 ? `, ${skipped.length} unusable` : ''}`, {entries, skipped, details});
}

/** The files inside a run's ZIP become logs/<run id>/... entries, so they are redacted and checked like any text. */
export async function collectLogs(request: BundleRequest, run: LogflowRun | undefined, context: ConsoleContext): Promise<BundleItem> {
  if (request.skip.includes('logs')) return skippedItem('logs', 'skipped by the admin');
  if (!run) {
    const runs = await listLogflowRuns(context.stateDir);
    return item('logs', runs.length > 0 ? 'to-enter' : 'skipped', runs.length > 0 ? `${runs.length} run(s) available: choose one` : 'no troubleshooting-log run yet (only needed for delivery problems)', runs.length > 0 ? {} : {skipped: [{item: 'logs', reason: 'no troubleshooting-log run recorded'}]});
  }
  const folder = `logs/${safeEntryName(run.id).replace(/[/\s]/g, '_')}`;
  const window = describeRange({since: new Date(run.startedAt), until: new Date(run.endedAt)});
  if (!(await runZipExists(run))) {
    return item('logs', 'to-enter', `run ${run.id}: its ZIP ${run.zipPath} is missing`, {skipped: [{item: `logs: ${run.zipPath}`, reason: 'the run ZIP is missing'}]});
  }
  let members;
  try {
    const zip = await openZip(run.zipPath);
    members = zip.members;
    zip.close();
  } catch (error) {
    return item('logs', 'to-enter', `run ${run.id}: ${errorMessage(error)}`, {skipped: [{item: `logs: ${run.zipPath}`, reason: errorMessage(error)}]});
  }
  const names = new EntryNames();
  const entries: PlannedEntry[] = [
    {
      path: `${folder}/run.json`,
      source: `troubleshooting-log run ${run.id}`,
      input: {kind: 'bytes', data: textBytes(JSON.stringify({id: run.id, startedAt: new Date(run.startedAt).toISOString(), endedAt: new Date(run.endedAt).toISOString(), roles: run.roles, protocols: run.protocols, zip: basename(run.zipPath)}, null, 2))},
      text: true,
      rule: 'none',
    },
  ];
  for (const member of members) {
    if (member.name.endsWith('/')) continue;
    const inner = member.name.split('/').map(part => entryFileName(part)).join('/');
    const path = names.take(folder, inner.replace(/\//g, '_'));
    const text = /\.(log|txt|csv|json|xml)$/i.test(member.name) || !/\.[a-z0-9]+$/i.test(member.name);
    entries.push({path, source: `${run.zipPath}:${member.name}`, input: {kind: 'zip-member', zipPath: run.zipPath, member: member.name, size: member.size}, text, rule: 'none'});
  }
  return item('logs', 'found', `run ${run.id}: ${entries.length - 1} file(s), ${window}`, {entries, details: [`roles: ${run.roles.join(', ') || '-'}`, `protocols: ${run.protocols.join(', ') || '-'}`]});
}

export interface Collected {
  items: BundleItem[];
  nspVersion: string;
  range: TimeRange;
  run?: LogflowRun;
}

/** What every collector may use: the request, the run chosen for --logs, the event-log range, one set of entry names. */
interface CollectScope {
  context: ConsoleContext;
  request: BundleRequest;
  options: CollectOptions;
  run: LogflowRun | undefined;
  range: TimeRange;
  names: EntryNames;
}

/** One collector per item, in the order they are shown and zipped. */
const collectors: Record<ItemId, (scope: CollectScope) => Promise<BundleItem> | BundleItem> = {
  version: scope => collectVersion(scope.context, scope.request, scope.options),
  description: scope => collectDescription(scope.request),
  environment: scope => collectEnvironment(scope.context, scope.request),
  config: scope => collectConfig(scope.context, scope.request, scope.names),
  eventlog: scope => collectEventLog(scope.context, scope.request, scope.range, scope.names, scope.options),
  'message-tracks': scope => collectMessageTracks(scope.request, scope.names),
  queues: scope => collectQueues(scope.request, scope.names),
  logs: scope => collectLogs(scope.request, scope.run, scope.context),
  attachments: scope => collectAttachments(scope.request, scope.names),
};

async function scopeFor(context: ConsoleContext, request: BundleRequest, options: CollectOptions): Promise<CollectScope> {
  const now = options.now ?? new Date();
  const run = request.logs && !request.skip.includes('logs') ? await pickRun(context.stateDir, request.logs) : undefined;
  const range = eventRange(request, run, now);
  const names = new EntryNames();
  for (const name of ['description.txt', 'environment.json', 'manifest.json']) names.reserve(name);
  // Secrets of the configuration files are learned first, so that no summary, name or detail shows one.
  if (!request.skip.includes('config')) await learnConfigSecrets(context);
  return {context, request, options, run, range, names};
}

/** Reads the configuration files once (redacting them by key) so their secret values join the session's. */
export async function learnConfigSecrets(context: ConsoleContext): Promise<void> {
  for (const [folder, extension] of [['CYREN', '.conf'], ['Configuration', '.config']] as const) {
    const directory = join(context.root, folder);
    const files = (await readdir(directory).catch(() => [] as string[])).filter(name => name.toLowerCase().endsWith(extension));
    for (const file of files) {
      const path = join(directory, file);
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile() || info.size > maxConfigBytes) continue;
      const bytes = await readFile(path).catch(() => undefined);
      if (bytes) redactFileBytes(bytes, redactionRuleFor(file), file);
    }
  }
}

/** Config files are redacted in memory; anything larger is surely not a config file. */
export const maxConfigBytes = 16 * 1024 * 1024;

/** What an item shows (summary, details, skipped reasons) with every known secret masked. */
function masked(item: BundleItem): BundleItem {
  return {...item, label: item.label, summary: maskDeep(item.summary), details: maskDeep(item.details), skipped: maskDeep(item.skipped)};
}

/** Finds everything the request asks for; nothing is written yet. */
export async function collectItems(context: ConsoleContext, request: BundleRequest, options: CollectOptions): Promise<Collected> {
  const scope = await scopeFor(context, request, options);
  if (scope.range.since.getTime() >= scope.range.until.getTime()) throw new UsageError(`--since (${scope.range.since.toISOString()}) must be before --until (${scope.range.until.toISOString()}).`);
  const items: BundleItem[] = [];
  for (const id of itemIds) items.push(masked(await collectors[id](scope)));
  const version = items[0]!;
  const nspVersion = request.nspVersion ?? (version.status === 'found' ? version.summary.replace(/ \(.*\)$/, '') : 'unknown');
  return {items, nspVersion, range: scope.range, run: scope.run};
}

export {countEvents};

/** Re-checks one item after the admin changed it (the others keep their state). */
export async function collectOne(context: ConsoleContext, request: BundleRequest, id: ItemId, options: CollectOptions): Promise<BundleItem> {
  return masked(await collectors[id](await scopeFor(context, request, options)));
}
