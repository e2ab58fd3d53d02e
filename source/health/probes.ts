import {statfs} from 'node:fs/promises';
import type {ConsoleContext} from '../context.js';
import {errorMessage} from '../errors.js';
import {cyrenFiles} from '../cyren/cyren-files.js';
import {loadCyrenFiles, summarize} from '../cyren/proxy-files.js';
import {testDirectories} from '../keyservers/connectivity.js';
import {loadCustomDirectories} from '../keyservers/directory-store.js';
import {readJournal} from '../logflow/journal.js';
import {formatSize, measureLocation, sizeWarning, unreachableGuidance} from '../logflow/location-reach.js';
import {loadRoles} from '../logflow/roles.js';
import {needsRecovery, statusFromJournal} from '../logflow/status.js';
import {SandboxServiceControl} from '../system/sandbox-services.js';
import type {ServiceControl, ServiceInfo} from '../system/service-control.js';
import {WindowsServiceControl} from '../system/windows-services.js';
import type {HealthLine} from './types.js';
import {readNspVersion, readRecentEvents} from './windows-probes.js';

/** Each probe returns its lines; run.ts runs them in parallel, each under a deadline. */
export interface ProbeContext {
  context: ConsoleContext;
  timeoutMs: number;
  now: Date;
  /** Windows tools (PowerShell, reg, wevtutil) on a real server; the sandbox elsewhere. */
  windows: boolean;
}

const servicesScreen = 'Windows Services (services.msc)';

function serviceControl(probe: ProbeContext): ServiceControl {
  return probe.windows ? new WindowsServiceControl(undefined, probe.timeoutMs) : new SandboxServiceControl(probe.context.root);
}

function serviceLine(service: ServiceInfo): HealthLine {
  const start = service.startType ? `, start type ${service.startType}` : '';
  const text = `${service.displayName} (${service.name}): ${service.status}${start}`;
  const id = `service:${service.name}`;
  if (service.startType === 'disabled') return {id, status: 'attention', text, next: 'It is disabled: set its start type to Automatic and start it.', screen: servicesScreen};
  if (service.status === 'running') return {id, status: 'ok', text};
  if (service.startType === 'manual') return {id, status: 'info', text, next: 'Manual start: start it when this server needs it.', screen: servicesScreen};
  return {id, status: 'attention', text, next: `Start it (Start-Service ${service.name}) and read the event log if it stops again.`, screen: servicesScreen};
}

export async function servicesProbe(probe: ProbeContext): Promise<HealthLine[]> {
  const control = serviceControl(probe);
  const [gateway, ...cyren] = await Promise.all([control.findByNamePrefix('NetatworkMailGateway'), ...cyrenFiles.map(file => control.findByDisplayName(file.serviceDisplayName))]);
  const lines: HealthLine[] = [];
  if (gateway!.length === 0) {
    lines.push({id: 'service:NetatworkMailGateway*', status: 'attention', text: 'No NoSpamProxy service (NetatworkMailGateway*) on this server.', next: 'Run the console on the server where the roles are installed.'});
  }
  lines.push(...gateway!.map(serviceLine));
  cyrenFiles.forEach((file, index) => {
    const found = cyren[index]!;
    if (found.length === 0) lines.push({id: `service:${file.name}`, status: 'info', text: `${file.serviceDisplayName}: not installed (${file.name})`});
    else lines.push(...found.map(serviceLine));
  });
  return lines;
}

export async function versionProbe(probe: ProbeContext): Promise<HealthLine[]> {
  if (!probe.windows) return [{id: 'version', status: 'info', text: 'NoSpamProxy version: not read (not a Windows server; it is in the registry there).'}];
  const {version, problem} = await readNspVersion(probe.timeoutMs);
  if (version) return [{id: 'version', status: 'ok', text: `NoSpamProxy ${version}`}];
  return [{id: 'version', status: 'unknown', text: `NoSpamProxy version unknown: ${problem}.`, next: 'Check that NoSpamProxy is installed here (HKLM\\SOFTWARE\\NoSpamProxy\\Components).'}];
}

export async function eventsProbe(probe: ProbeContext): Promise<HealthLine[]> {
  if (!probe.windows) return [{id: 'events', status: 'info', text: 'Event log: not read (not a Windows server).'}];
  const {events, problem} = await readRecentEvents(probe.now, probe.timeoutMs);
  if (!events) return [{id: 'events', status: 'unknown', text: `Event log "Net at Work Mail Gateway": ${problem}.`, next: 'Open Event Viewer > Applications and Services Logs > Net at Work Mail Gateway.'}];
  if (events.length === 0) return [{id: 'events', status: 'ok', text: 'No warnings or errors in the last 24 h (event log "Net at Work Mail Gateway").'}];
  const errors = events.filter(event => !/^warning|^warnung/i.test(event.level)).length;
  const lines: HealthLine[] = [
    {
      id: 'events',
      status: errors > 0 ? 'attention' : 'info',
      text: `${events.length} event${events.length === 1 ? '' : 's'} in the last 24 h (${plural(errors, 'error')}, ${plural(events.length - errors, 'warning')}); newest ${Math.min(5, events.length)}:`,
      next: 'Read them in Event Viewer; for support, attach them with the support data bundle.',
      screen: 'Support data bundle',
    },
  ];
  events.slice(0, 5).forEach((event, index) => lines.push({id: `events:${index + 1}`, status: 'info', text: `  ${event.at.replace('T', ' ').slice(0, 19)} ${event.level} ${event.source} ${event.id}: ${event.message}`}));
  return lines;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** Below either threshold the data root's drive needs attention. */
export const diskWarnBytes = 5 * 1024 ** 3;
export const diskWarnFraction = 0.1;

export async function diskProbe(probe: ProbeContext): Promise<HealthLine[]> {
  const info = await statfs(probe.context.root);
  const free = Number(info.bavail) * Number(info.bsize);
  const total = Number(info.blocks) * Number(info.bsize);
  const text = `Free space on the data root's drive (${probe.context.root}): ${formatSize(free)} of ${formatSize(total)}`;
  if (free < diskWarnBytes || (total > 0 && free / total < diskWarnFraction)) {
    return [{id: 'disk', status: 'attention', text, next: 'Free space: delete old troubleshooting logs and support ZIPs (mail queues need room too).', screen: 'Troubleshooting logs'}];
  }
  return [{id: 'disk', status: 'ok', text}];
}

export async function logsProbe(probe: ProbeContext): Promise<HealthLine[]> {
  const {roles} = await loadRoles(probe.context);
  return Promise.all(
    roles.map(async (role): Promise<HealthLine> => {
      const id = `logs:${role.name}`;
      const measure = await measureLocation(role.location, probe.timeoutMs);
      if (measure.state === 'missing') return {id, status: 'info', text: `${role.name}: ${role.location} does not exist yet (made when logging is turned on).`};
      if (measure.state === 'unreachable') return {id, status: 'attention', text: `${role.name}: ${role.location} is UNREACHABLE (${measure.reason}).`, next: unreachableGuidance(role.location).join(' '), screen: 'Troubleshooting logs'};
      const warning = sizeWarning(measure.bytes);
      const text = `${role.name}: ${role.location}: ${measure.files} file${measure.files === 1 ? '' : 's'}, ${formatSize(measure.bytes)}`;
      return warning ? {id, status: 'attention', text: `${text} (${warning})`, next: 'Delete the logs support already has.', screen: 'Troubleshooting logs'} : {id, status: 'ok', text};
    }),
  );
}

export async function loggingProbe(probe: ProbeContext): Promise<HealthLine[]> {
  const journal = await readJournal(probe.context.stateDir);
  const status = statusFromJournal(journal);
  if (needsRecovery(journal, probe.context.stateDir)) {
    return [{id: 'logging', status: 'attention', text: `Troubleshooting logging may still be ON (an interrupted run: ${status.roles.filter(role => role.loggingOn).map(role => role.name).join(', ') || status.state}).`, next: 'Turn it off now.', screen: 'Troubleshooting logs, or: nsp-console logflow stop'}];
  }
  if (status.loggingOn) return [{id: 'logging', status: 'info', text: `Troubleshooting logging is on (a run in progress, until ${status.deadline ?? 'its end'}).`, screen: 'Troubleshooting logs'}];
  return [{id: 'logging', status: 'ok', text: 'Troubleshooting logging is off.'}];
}

export async function cyrenProbe(probe: ProbeContext): Promise<HealthLine[]> {
  let overview;
  try {
    overview = summarize(await loadCyrenFiles(probe.context.root));
  } catch (error) {
    return [{id: 'cyren', status: 'info', text: `CYREN files: ${errorMessage(error)}`}];
  }
  return overview.files.map((file): HealthLine => {
    const id = `cyren:${file.file}`;
    if (file.status === 'enabled') return {id, status: 'ok', text: `${file.file}: proxy ${file.server}:${file.port} (${file.auth ?? 'NoAuth'})`, next: 'Test it: nsp-console proxy test', screen: 'CYREN proxy settings'};
    if (file.status === 'partial') return {id, status: 'attention', text: `${file.file}: proxy lines half set (${file.warnings[0] ?? 'incomplete'})`, next: 'Set or turn off the proxy.', screen: 'CYREN proxy settings'};
    return {id, status: 'info', text: `${file.file}: no proxy set (direct connection to *.ctmail.com)`, next: 'Set one if this server reaches the internet only through a proxy.', screen: 'CYREN proxy settings'};
  });
}

export async function keyserversProbe(probe: ProbeContext): Promise<HealthLine[]> {
  const directories = await loadCustomDirectories(probe.context.stateDir);
  if (directories.length === 0) return [{id: 'keyservers', status: 'info', text: 'No key servers configured in settings (the built-in list is tested on its screen).', screen: 'Key-server lookup'}];
  const results = await testDirectories(directories, {timeoutMs: probe.timeoutMs, env: probe.context.env});
  return results.map((result): HealthLine => {
    const id = `keyserver:${result.id}`;
    if (result.ok) return {id, status: 'ok', text: `${result.name} (${result.url}) answers (${result.elapsedMs} ms)`};
    const why = result.tcp.status !== 'ok' ? result.tcp.message : result.bind.status !== 'ok' && result.bind.status !== 'anonymous' ? result.bind.message : result.base.message;
    return {id, status: 'attention', text: `${result.name} (${result.url}) does not answer: ${why}`, next: 'Test it and check firewall / credentials.', screen: 'Key-server lookup, or: nsp-console keyserver test'};
  });
}
