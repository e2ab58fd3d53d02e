import type {ConsoleContext} from '../context.js';
import {detectNspVersion} from '../environment.js';
import {ExitCode, OperationalError, UsageError} from '../errors.js';
import {parseCommandArgs, parseDuration, writeJson} from '../commands/parse.js';
import type {CommandIo, Subcommand} from '../commands/types.js';
import {maskSecrets, rememberSecret} from '../system/session-record.js';
import {serviceControlFor} from '../system/services.js';
import {loadCyrenSettings, defaultTarget} from './cyren-settings.js';
import {checkProxy, ctmailReminder, type ProxyCheckResult} from './proxy-check.js';
import type {ProxyChange, ProxySettings} from './proxy-document.js';
import {activeProxyPassword, formatPlan, listBackupSets, loadCyrenFiles, planProxyChange, restoreBackupSet, saveProxyPlan, summarize, type CyrenFiles, type ProxyOverview, type SavedFile} from './proxy-files.js';
import {confirm, readAllStdin, readMaskedLine, stdinIsTerminal} from './prompts.js';
import {formatRestartReport, restartCyrenServices, type CyrenRestartReport} from './restart.js';
import {parsePort, parseTarget, validatePassword, validatePort, validateServer, validateUserName} from './validate.js';

const help = `Usage: nsp-console proxy <show|set|disable|test|restore> [options]

Web proxy settings of the CYREN services in <root>/CYREN/ctasd.conf, ctipd.conf (12+) and
ctwsd.conf (13+). Lines are edited in place; everything else stays byte-identical. Every write
makes a backup next to the file (<name>.<yyyymmdd-hhmmss>.nspbak) and is atomic.

  proxy show [--json]
      The proxy settings of each file, files that disagree, and missing files. Never shows the
      password (JSON: "passwordSet": true/false).

  proxy set --server <host> --port <n> [--auth noauth|basic] [--user <name>] [--password-stdin]
            [--no-restart] [--yes] [--check] [--target <host:port>] [--service-timeout <duration>]
      Enables the proxy: ProxyServerAddress, ProxyPort, ProxyAuth, ProxyAccess = 1 (and with
      --auth basic: ProxyUserName, ProxyPassword). The password is read from standard input with
      --password-stdin, typed masked when standard input is a terminal, or kept from the files
      when they already have one. Shows the changed lines (password masked) and asks before
      writing; without a terminal, --yes is required. Then restarts the matching services
      ("NoSpamProxy - CYREN Service", "... IP Reputation Service", "... URL Categorization
      Service") unless --no-restart, and offers to roll back if one does not come back.
      --check tests the proxy afterwards.

  proxy disable [--no-restart] [--yes] [--service-timeout <duration>]
      Comments the proxy lines out again (values kept), as shipped.

  proxy test [--server <host> --port <n> [--auth basic --user <name> --password-stdin]]
             [--target <host:port>] [--timeout <duration>] [--json]
      Opens an HTTP CONNECT through the proxy (from the options, or from the files) to the
      target (default: settings cyren.checkTarget, else ctasd.conf's *.ctmail.com
      Server_address on 443, else ctmail.com:443). Reports connected, 407 (credentials
      refused), refused, time-out, DNS failure or the proxy's error. Exit 1 unless connected.

  proxy restore [--list] [--latest | --stamp <yyyymmdd-hhmmss>] [--no-restart] [--yes] [--json]
      Lists the backups (one set per save); --latest or --stamp puts a set back (after
      backing up the current files) and restarts the services.

Options:
  --server <host>             proxy IP address or FQDN
  --port <n>                  1-65535
  --auth noauth|basic         default noauth
  --user <name>               with --auth basic
  --password-stdin            read the password from standard input (never from the command line)
  --no-restart                only edit the files
  --yes                       do not ask (required when there is no terminal)
  --check                     after set: test the proxy
  --target <host:port>        proxy test target
  --timeout <duration>        proxy test time-out (default 10s)
  --service-timeout <dur>     wait this long for each service to stop/start (default 60s)
  --json                      machine-readable output (show, test, restore --list)

Exit codes: 0 done, 1 check failed / nothing found, 2 bad input or not confirmed,
3 file or service failure.`;

type Values = Record<string, string | boolean | undefined>;

const optionSpec = {
  server: {type: 'string'},
  port: {type: 'string'},
  auth: {type: 'string'},
  user: {type: 'string'},
  'password-stdin': {type: 'boolean'},
  'no-restart': {type: 'boolean'},
  yes: {type: 'boolean'},
  check: {type: 'boolean'},
  target: {type: 'string'},
  timeout: {type: 'string'},
  'service-timeout': {type: 'string'},
  json: {type: 'boolean'},
  list: {type: 'boolean'},
  latest: {type: 'boolean'},
  stamp: {type: 'string'},
} as const;

const allowed: Record<string, readonly string[]> = {
  show: ['json'],
  set: ['server', 'port', 'auth', 'user', 'password-stdin', 'no-restart', 'yes', 'check', 'target', 'timeout', 'service-timeout'],
  disable: ['no-restart', 'yes', 'service-timeout'],
  test: ['server', 'port', 'auth', 'user', 'password-stdin', 'target', 'timeout', 'json'],
  restore: ['list', 'latest', 'stamp', 'no-restart', 'yes', 'json', 'service-timeout'],
};

/** Writes with every known secret masked (defence in depth: nothing printed should hold one). */
function out(io: CommandIo, text: string): void {
  io.stdout.write(`${maskSecrets(text)}\n`);
}

export const proxyCommand: Subcommand = {
  name: 'proxy',
  help,
  async run(args, context, io) {
    const [action, ...rest] = args;
    if (!action || !(action in allowed)) throw new UsageError(`proxy needs one of: ${Object.keys(allowed).join(', ')}. Run "nsp-console proxy --help".`);
    const {values, positionals} = parseCommandArgs(rest, optionSpec, true);
    if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}". Run "nsp-console proxy --help".`);
    for (const key of Object.keys(values)) {
      if (!allowed[action]!.includes(key)) throw new UsageError(`--${key} does not apply to "proxy ${action}".`);
    }
    const v = values as Values;
    if (action === 'show') return show(context, io, v);
    if (action === 'set') return change(context, io, v, 'set');
    if (action === 'disable') return change(context, io, v, 'disable');
    if (action === 'test') return test(context, io, v);
    return restore(context, io, v);
  },
};

async function loadFiles(context: ConsoleContext): Promise<CyrenFiles> {
  return loadCyrenFiles(context.root, await detectNspVersion(context));
}

function printOverview(io: CommandIo, overview: ProxyOverview): void {
  out(io, `CYREN proxy settings in ${overview.folder}`);
  for (const file of overview.files) {
    const where = file.server ? `${file.server}:${file.port ?? '?'}` : '';
    const auth = file.auth ? `auth ${file.auth}` : '';
    const user = file.user ? `user ${file.user}` : '';
    const password = file.auth?.toLowerCase() === 'basic' || file.passwordSet ? `password ${file.passwordSet ? 'set' : 'not set'}` : '';
    out(io, `  ${file.file.padEnd(11)} ${file.status.padEnd(9)} ${[where, auth, user, password].filter(Boolean).join('  ')}`);
    out(io, `  ${''.padEnd(11)} ${file.encoding}, ${file.lineEndings} line endings`);
    for (const warning of file.warnings) out(io, `  ${''.padEnd(11)} ! ${warning}`);
  }
  for (const missing of overview.missing) out(io, `  ${missing.file.padEnd(11)} missing   ${missing.explanation}`);
  if (!overview.agree) {
    out(io, 'The files disagree:');
    for (const line of overview.disagreements) out(io, `  - ${line}`);
  }
}

async function show(context: ConsoleContext, io: CommandIo, values: Values): Promise<number> {
  const overview = summarize(await loadFiles(context));
  if (values.json) writeJson(io.stdout, overview);
  else printOverview(io, overview);
  return ExitCode.ok;
}

function serviceTimeout(values: Values, settingsSeconds?: number): number {
  if (typeof values['service-timeout'] === 'string') return parseDuration(values['service-timeout']);
  return (settingsSeconds ?? 60) * 1000;
}

/** Server, port, auth and user from the options; every problem at once. */
function settingsFromOptions(values: Values): Omit<ProxySettings, 'password'> {
  const problems: string[] = [];
  const server = typeof values.server === 'string' ? values.server : '';
  const port = typeof values.port === 'string' ? values.port : '';
  if (!values.server) problems.push('--server is required.');
  else {
    const problem = validateServer(server);
    if (problem) problems.push(`--server: ${problem}`);
  }
  if (!values.port) problems.push('--port is required.');
  else {
    const problem = validatePort(port);
    if (problem) problems.push(`--port: ${problem}`);
  }
  const authText = typeof values.auth === 'string' ? values.auth.toLowerCase() : 'noauth';
  if (authText !== 'noauth' && authText !== 'basic') problems.push(`--auth must be noauth or basic, not "${values.auth}".`);
  const auth = authText === 'basic' ? 'Basic' : 'NoAuth';
  let user: string | undefined;
  if (auth === 'Basic') {
    user = typeof values.user === 'string' ? values.user : '';
    const problem = validateUserName(user);
    if (problem) problems.push(`--user: ${problem}`);
  } else if (values.user !== undefined || values['password-stdin']) problems.push('--user and --password-stdin need --auth basic.');
  if (problems.length > 0) throw new UsageError(problems.join(' '));
  return {server: server.trim(), port: parsePort(port)!, auth, user};
}

/** --password-stdin, a masked prompt on a terminal, or undefined (keep the files' password). */
async function obtainPassword(io: CommandIo, values: Values, mayKeep: boolean): Promise<string | undefined> {
  let password: string | undefined;
  if (values['password-stdin']) {
    if (stdinIsTerminal(io)) password = await readMaskedLine(io, 'Proxy password: ');
    else password = await readAllStdin(io.stdin);
  } else if (stdinIsTerminal(io) && io.isTTY) {
    password = await readMaskedLine(io, mayKeep ? 'Proxy password (Enter keeps the current one): ' : 'Proxy password: ');
    if (password.length === 0 && mayKeep) return undefined;
  } else if (mayKeep) return undefined;
  else throw new UsageError('--auth basic needs the password: pipe it in with --password-stdin (it is never taken from the command line).');
  rememberSecret(password);
  const problem = validatePassword(password);
  if (problem) throw new UsageError(problem);
  return password;
}

/** May we ask on the terminal? Not without one, and not when stdin carried the password. */
function canAsk(io: CommandIo, values: Values): boolean {
  return stdinIsTerminal(io) && io.isTTY && !(values['password-stdin'] && !stdinIsTerminal(io));
}

async function change(context: ConsoleContext, io: CommandIo, values: Values, kind: 'set' | 'disable'): Promise<number> {
  const settings = await loadCyrenSettings(context.stateDir);
  const timeoutMs = serviceTimeout(values, settings.serviceTimeoutSeconds);
  let proxyChange: ProxyChange;
  const partial = kind === 'set' ? settingsFromOptions(values) : undefined;
  if (values.target !== undefined && typeof parseTarget(String(values.target)) === 'string') throw new UsageError(`--target: ${parseTarget(String(values.target)) as string}`);
  const files = await loadFiles(context);
  if (partial) {
    let password: string | undefined;
    if (partial.auth === 'Basic') {
      password = await obtainPassword(io, values, files.present.every(file => file.state.passwordSet));
      if (password === undefined) out(io, 'Keeping the password that is in the files.');
    }
    proxyChange = {kind: 'set', settings: {...partial, password}};
  } else proxyChange = {kind: 'disable'};
  for (const missing of files.missing) out(io, `Note: ${missing.explanation}`);
  const plan = planProxyChange(files, proxyChange);
  if (plan.files.length === 0) {
    out(io, `Nothing to change: ${plan.unchanged.join(', ')} already ${kind === 'set' ? 'have these settings' : 'have the proxy turned off'}.`);
    return ExitCode.ok;
  }
  out(io, 'Changes (password masked):');
  for (const line of formatPlan(plan)) out(io, `  ${line}`);
  if (!values.yes) {
    if (!canAsk(io, values)) throw new UsageError('Nothing was written: there is no terminal to confirm on. Check the changes above and add --yes to write them.');
    if (!(await confirm(io, 'Write these changes?'))) {
      out(io, 'Nothing was written.');
      return ExitCode.usage;
    }
  }
  const saved = await saveProxyPlan(plan);
  for (const file of saved) out(io, `written    ${file.path}  (backup: ${file.backupPath})`);
  let exit: number = ExitCode.ok;
  if (values['no-restart']) out(io, 'Services not restarted (--no-restart): restart them for the change to take effect.');
  else exit = await restartWithRollback(context, io, values, saved, timeoutMs);
  if (exit === ExitCode.ok && kind === 'set' && values.check) {
    const target = values.target ? (parseTarget(String(values.target)) as {host: string; port: number}) : defaultTarget(settings, files);
    const {settings: written} = proxyChange as {kind: 'set'; settings: ProxySettings};
    const password = written.password ?? (written.auth === 'Basic' ? activeProxyPassword(files) : undefined);
    const result = await runCheck(io, {server: written.server, port: written.port, user: written.user, password}, target, 10_000);
    if (result.outcome !== 'connected') exit = ExitCode.nothingFound;
  }
  return exit;
}

async function restartWithRollback(context: ConsoleContext, io: CommandIo, values: Values, saved: SavedFile[], timeoutMs: number): Promise<number> {
  const control = serviceControlFor(context);
  if (control.kind === 'sandbox') out(io, `(demo: services are simulated in ${context.root})`);
  const reports = await restartCyrenServices(control, saved.map(file => file.file.name), {timeoutMs});
  for (const report of reports) out(io, formatRestartReport(report));
  if (reports.every(report => report.ok)) return ExitCode.ok;
  const stamp = /\.(\d{8}-\d{6}(?:-\d+)?)\.nspbak$/.exec(saved[0]!.backupPath)?.[1];
  out(io, 'A service did not come back. The previous files are in the backups listed above.');
  if (!values.yes && canAsk(io, values) && (await confirm(io, 'Restore the backups and restart the services again?'))) {
    const sets = await listBackupSets(context.root);
    const set = sets.find(candidate => candidate.stamp === stamp);
    if (set) {
      const restored = await restoreBackupSet({...set, backups: set.backups.filter(entry => saved.some(file => file.backupPath === entry.path))});
      for (const file of restored) out(io, `restored   ${file.file}  (from ${file.restoredFrom})`);
      const again = await restartCyrenServices(control, saved.map(file => file.file.name), {timeoutMs});
      for (const report of again) out(io, formatRestartReport(report));
    }
    return ExitCode.operational;
  }
  out(io, `To roll back: nsp-console proxy restore --stamp ${stamp} --yes`);
  return ExitCode.operational;
}

async function runCheck(io: CommandIo, proxy: {server: string; port: number; user?: string; password?: string}, target: {host: string; port: number}, timeoutMs: number, json = false): Promise<ProxyCheckResult> {
  if (!json) out(io, `Testing ${proxy.server}:${proxy.port}${proxy.user ? ` as ${proxy.user}` : ''} -> CONNECT ${target.host}:${target.port} ...`);
  const credentials = proxy.user !== undefined && proxy.password !== undefined ? {user: proxy.user, password: proxy.password} : undefined;
  const result = await checkProxy({proxyHost: proxy.server, proxyPort: proxy.port, target, credentials, timeoutMs});
  if (json) writeJson(io.stdout, {proxy: `${proxy.server}:${proxy.port}`, target: `${target.host}:${target.port}`, authenticated: credentials !== undefined, ...result, reminder: ctmailReminder});
  else {
    out(io, `${result.outcome === 'connected' ? 'OK' : 'FAILED'}: ${result.message} (${result.durationMs} ms)`);
    out(io, ctmailReminder);
  }
  return result;
}

async function test(context: ConsoleContext, io: CommandIo, values: Values): Promise<number> {
  const settings = await loadCyrenSettings(context.stateDir);
  const timeoutMs = typeof values.timeout === 'string' ? parseDuration(values.timeout) : 10_000;
  let target: {host: string; port: number} | undefined;
  if (typeof values.target === 'string') {
    const parsed = parseTarget(values.target);
    if (typeof parsed === 'string') throw new UsageError(`--target: ${parsed}`);
    target = parsed;
  }
  let proxy: {server: string; port: number; user?: string; password?: string};
  let files: CyrenFiles | undefined;
  if (values.server !== undefined || values.port !== undefined) {
    const given = settingsFromOptions(values);
    const password = given.auth === 'Basic' ? await obtainPassword(io, values, false) : undefined;
    proxy = {server: given.server, port: given.port, user: given.user, password};
  } else {
    files = await loadFiles(context);
    const enabled = files.present.find(file => file.state.status === 'enabled');
    if (!enabled) throw new UsageError('No CYREN file has the proxy enabled; give --server and --port to test a proxy.');
    const port = parsePort(enabled.state.port ?? '');
    if (port === undefined || validateServer(enabled.state.server ?? '')) throw new OperationalError(`${enabled.info.name} has a proxy address that is not valid (${enabled.state.server}:${enabled.state.port}).`);
    const basic = enabled.state.auth?.toLowerCase() === 'basic';
    proxy = {server: enabled.state.server!, port, user: basic ? enabled.state.user : undefined, password: basic ? activeProxyPassword({...files, present: [enabled]}) : undefined};
    if (!values.json) out(io, `Using the proxy from ${enabled.info.name}.`);
  }
  if (!target) {
    if (!files) {
      try {
        files = await loadFiles(context);
      } catch {
        files = undefined;
      }
    }
    target = defaultTarget(settings, files);
  }
  const result = await runCheck(io, proxy, target, timeoutMs, Boolean(values.json));
  return result.outcome === 'connected' ? ExitCode.ok : ExitCode.nothingFound;
}

async function restore(context: ConsoleContext, io: CommandIo, values: Values): Promise<number> {
  const sets = await listBackupSets(context.root);
  const chosen = values.latest ? sets[0] : typeof values.stamp === 'string' ? sets.find(set => set.stamp === values.stamp) : undefined;
  if (!values.latest && values.stamp === undefined) {
    if (values.json) writeJson(io.stdout, sets.map(set => ({stamp: set.stamp, takenAt: set.takenAt.toISOString(), files: set.backups.map(entry => ({file: entry.original, backup: entry.path, size: entry.size}))})));
    else if (sets.length === 0) out(io, 'There are no backups of the CYREN files yet.');
    else {
      out(io, 'Backups (newest first; each is the content before a change):');
      for (const set of sets) out(io, `  ${set.stamp}  ${set.backups.map(entry => entry.original.split(/[\\/]/).pop()).join(', ')}`);
      out(io, 'Restore one with: nsp-console proxy restore --stamp <stamp> [--yes]   (or --latest)');
    }
    return sets.length === 0 ? ExitCode.nothingFound : ExitCode.ok;
  }
  if (!chosen) throw new UsageError(sets.length === 0 ? 'There are no backups to restore.' : `No backup set "${values.stamp}". Run "nsp-console proxy restore" to list them.`);
  out(io, `Restoring the backups of ${chosen.stamp}: ${chosen.backups.map(entry => entry.original).join(', ')}`);
  if (!values.yes) {
    if (!canAsk(io, values)) throw new UsageError('Nothing was restored: there is no terminal to confirm on. Add --yes.');
    if (!(await confirm(io, 'Restore these files (the current ones are backed up first)?'))) {
      out(io, 'Nothing was restored.');
      return ExitCode.usage;
    }
  }
  const restored = await restoreBackupSet(chosen);
  for (const file of restored) out(io, `restored   ${file.file}${file.safetyBackup ? `  (previous content: ${file.safetyBackup})` : '  (already identical)'}`);
  if (values['no-restart']) {
    out(io, 'Services not restarted (--no-restart).');
    return ExitCode.ok;
  }
  const settings = await loadCyrenSettings(context.stateDir);
  const names = chosen.backups.map(entry => entry.original.split(/[\\/]/).pop()!);
  const reports = await restartCyrenServices(serviceControlFor(context), names, {timeoutMs: serviceTimeout(values, settings.serviceTimeoutSeconds)});
  for (const report of reports) out(io, formatRestartReport(report));
  return reports.every(report => report.ok) ? ExitCode.ok : ExitCode.operational;
}

export type {CyrenRestartReport};
