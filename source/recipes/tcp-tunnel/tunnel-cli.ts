import {parseCommandArgs, writeJson} from '../../commands/parse.js';
import type {CommandIo} from '../../commands/types.js';
import type {ConsoleContext} from '../../context.js';
import {ExitCode, OperationalError, UsageError} from '../../errors.js';
import {describeEncoding} from '../../system/text-document.js';
import {confirm, writeLines} from '../cli-io.js';
import {dataRootLockPath, withLock} from '../../system/writer-lock.js';
import {applyTunnelChange, gatewayServiceName, type StepEvent} from './apply-tunnel.js';
import {certutilArgs, importRootCertificate, loadChecklist, tunnelChecklist, validateCertificateFile} from './checklist.js';
import {describeTunnelState} from './tunnel-edit.js';
import {checkSpf} from './spf-check.js';
import {validateDnsServer} from '../validate.js';
import {gatewayConfigPath, planTunnelChange, readTunnelFile, type TunnelMode} from './tunnel-file.js';

export const tunnelHelp = `Usage:
  nsp-console recipe tcp-tunnel status [--json]
  nsp-console recipe tcp-tunnel enable  [--no-restart] [--yes]
  nsp-console recipe tcp-tunnel disable [--no-restart] [--yes]
  nsp-console recipe tcp-tunnel import-ca --file <certificate> [--yes]
  nsp-console recipe tcp-tunnel check-spf --domain <sending domain> [--dns-server <ip[:port]>]

Routes outgoing mail over port 443 through the NoSpamProxy TCP proxy when the cloud provider
blocks port 25. Edits <root>/Configuration/Gateway Role.config at exactly one spot:
<smtpServicePointConfiguration isProxyTunnelEnabled="true|false">, or adds that element on the
line below <netatwork.nospamproxy.proxyconfiguration>. The rest of the file stays byte-identical
(encoding, BOM, line endings); a backup <file>.<yyyymmdd-hhmmss>.nspbak is written first.

  status        show whether the tunnel is on, and the remaining manual steps (exit 0 on, 1 off)
  enable        stop ${gatewayServiceName}, edit, start it, re-read and verify
  disable       the same, setting isProxyTunnelEnabled="false"
  import-ca     run "certutil -addstore Root <file>" (computer account, Trusted Root CAs)
  check-spf     look up the domain's SPF record: does it contain a:proxy.nospamproxy.de?
                (exit 0 yes, 1 no; include:/redirect= targets are named, not followed)

Options:
  --no-restart  edit the file only (e.g. a copy of the data folder); the gateway role service
                must be stopped while the file is edited, and started afterwards
  --yes         do not ask for confirmation (needed when stdin is not a terminal)
  --file <path> the root CA certificate (PEM or DER) for import-ca
  --domain <d>  the sending domain for check-spf
  --dns-server <ip[:port]>  ask this DNS server (e.g. 1.1.1.1) instead of the system resolver
  --json        status as JSON

Exit codes: 0 done, 1 not confirmed / value not retained / service did not start / tunnel off
(status), 2 bad usage, 3 file or service problem (malformed XML, elements missing, file changed).`;

export async function runTunnelCommand(args: string[], context: ConsoleContext, io: CommandIo): Promise<number> {
  const {values, positionals} = parseCommandArgs(args, {
    'no-restart': {type: 'boolean'},
    yes: {type: 'boolean'},
    json: {type: 'boolean'},
    file: {type: 'string'},
    domain: {type: 'string'},
    'dns-server': {type: 'string'},
  });
  const action = positionals[0];
  if (positionals.length > 1) throw new UsageError(`Unexpected argument "${positionals[1]}". ${usageLine}`);
  if (action === 'status') return status(context, io, values.json === true);
  if (action === 'enable' || action === 'disable') {
    if (values.file !== undefined || values.json) throw new UsageError(`--file and --json do not apply to ${action}. ${usageLine}`);
    return change(action, context, io, {restart: values['no-restart'] !== true, yes: values.yes === true});
  }
  if (action === 'import-ca') {
    if (values.file === undefined) throw new UsageError('import-ca needs --file <certificate file>.');
    return importCa(values.file, io, values.yes === true);
  }
  if (action === 'check-spf') {
    if (values.domain === undefined) throw new UsageError('check-spf needs --domain <sending domain>.');
    if (values['dns-server'] !== undefined) {
      const problem = validateDnsServer(values['dns-server']);
      if (problem) throw new UsageError(`--dns-server: ${problem}.`);
    }
    let result;
    try {
      result = await checkSpf(values.domain, {dnsServer: values['dns-server']});
    } catch (error) {
      if (error instanceof RangeError) throw new UsageError(`--domain: ${error.message}.`);
      throw new OperationalError((error as Error).message);
    }
    writeLines(io.stdout, [...result.records.map(record => `TXT ${result.domain}: ${record}`), result.message]);
    return result.includesTunnel ? ExitCode.ok : ExitCode.nothingFound;
  }
  throw new UsageError(action === undefined ? `Which action? ${usageLine}` : `Unknown action "${action}". ${usageLine}`);
}

const usageLine = 'Use: recipe tcp-tunnel status|enable|disable [--no-restart] [--yes], import-ca --file <path>, or check-spf --domain <domain>.';

async function status(context: ConsoleContext, io: CommandIo, json: boolean): Promise<number> {
  const path = gatewayConfigPath(context.root);
  const file = await readTunnelFile(path);
  const checklist = await loadChecklist(context.stateDir);
  if (json) {
    writeJson(io.stdout, {path, encoding: file.document.encoding, state: file.state, checklist: tunnelChecklist.map(item => ({id: item.id, title: item.title, done: checklist[item.id]}))});
  } else {
    writeLines(io.stdout, [`${path} (${describeEncoding(file.document.encoding)})`, describeTunnelState(file.state), ...(file.state.warning ? [`Warning: ${file.state.warning}`] : [])]);
    if (file.state.enabled) writeChecklist(io, checklist);
  }
  return file.state.enabled ? ExitCode.ok : ExitCode.nothingFound;
}

function writeChecklist(io: CommandIo, checklist: Record<string, boolean>): void {
  writeLines(io.stdout, [
    '',
    'Remaining manual steps (tick them off in the console: Recipes > TCP proxy tunnel):',
    ...tunnelChecklist.flatMap(item => [`  [${checklist[item.id] ? 'x' : ' '}] ${item.title}`, `      ${item.detail}`]),
  ]);
}

/** One writer per data root: the lock is held from reading the file to the verification. */
function change(mode: TunnelMode, context: ConsoleContext, io: CommandIo, options: {restart: boolean; yes: boolean}): Promise<number> {
  return withLock({path: dataRootLockPath(context.root), purpose: `recipe tcp-tunnel ${mode}`, onWait: line => io.stderr.write(`${line}\n`)}, () => changeHoldingLock(mode, context, io, options));
}

async function changeHoldingLock(mode: TunnelMode, context: ConsoleContext, io: CommandIo, options: {restart: boolean; yes: boolean}): Promise<number> {
  const path = gatewayConfigPath(context.root);
  const plan = await planTunnelChange(mode, path);
  writeLines(io.stdout, [`${path} (${describeEncoding(plan.document.encoding)})`, plan.edit.summary]);
  if (plan.edit.changed) {
    writeLines(io.stdout, [`At line ${plan.edit.line}:`, ...plan.edit.before.map(line => `  - ${line}`), ...plan.edit.after.map(line => `  + ${line}`)]);
    writeLines(io.stdout, [
      options.restart
        ? `Steps: stop ${gatewayServiceName}, back up and edit the file, start the service, re-read and verify.${context.isDemo ? ' (Demo sandbox: the service is simulated.)' : ''}`
        : `--no-restart: only the file is edited. The gateway role service (${gatewayServiceName}) must be STOPPED while the file is edited, and started afterwards.`,
    ]);
    if (!(await confirm(io, `${mode === 'enable' ? 'Enable' : 'Disable'} the TCP proxy tunnel?`, options.yes))) {
      io.stdout.write('Not confirmed: nothing was changed.\n');
      return ExitCode.nothingFound;
    }
  }
  const result = await applyTunnelChange(plan, {services: context.services, restart: options.restart, onStep: event => writeStep(io, event), lock: 'held'});
  if (!result.ok) {
    writeLines(io.stderr, result.problems.map(problem => `nsp-console: ${problem}`));
    return result.finalState ? ExitCode.nothingFound : ExitCode.operational;
  }
  if (mode === 'enable') writeChecklist(io, await loadChecklist(context.stateDir));
  return ExitCode.ok;
}

function writeStep(io: CommandIo, event: StepEvent): void {
  if (event.status === 'running') return;
  const mark = {done: 'done', failed: 'FAILED', skipped: 'skipped', running: ''}[event.status];
  io.stdout.write(`[${mark}] ${event.step}: ${event.message}\n`);
}

async function importCa(file: string, io: CommandIo, yes: boolean): Promise<number> {
  const problem = await validateCertificateFile(file);
  if (problem) throw new UsageError(problem);
  writeLines(io.stdout, [`Will run: certutil ${certutilArgs(file).join(' ')}`, 'This adds the certificate to the computer account\'s Trusted Root Certification Authorities (needs an elevated console).']);
  if (!(await confirm(io, 'Import the certificate?', yes))) {
    io.stdout.write('Not confirmed: nothing was imported.\n');
    return ExitCode.nothingFound;
  }
  const result = await importRootCertificate(file);
  io.stdout.write(result.stdout);
  if (result.exitCode !== 0) {
    io.stderr.write(result.stderr);
    throw new OperationalError(`certutil failed (exit ${result.exitCode ?? 'none'}${result.timedOut ? ', timed out' : ''}). Run the console as an administrator.`);
  }
  io.stdout.write('Imported. Tick "Root CA certificate imported" in the checklist.\n');
  return ExitCode.ok;
}
