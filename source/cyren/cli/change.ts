import type {ConsoleContext} from '../../context.js';
import {ExitCode, UsageError} from '../../errors.js';
import {askYesNo, confirmOrRefuse} from '../../commands/confirm.js';
import type {CommandIo} from '../../commands/types.js';
import {loadCyrenSettings} from '../cyren-settings.js';
import {planProbes} from '../proxy-probes.js';
import type {ProxyChange, ProxySettings} from '../proxy-document.js';
import {activeProxyPassword, describeUndo, formatPlan, planProxyChange, saveProxyPlan, undoSavedFiles, type SavedFile} from '../proxy-files.js';
import {formatRestartReport, restartCyrenServices} from '../restart.js';
import {parseTarget} from '../validate.js';
import {runCheck} from './check.js';
import {canAsk, holdDataRoot, loadFiles, obtainPassword, out, serviceTimeout, settingsFromOptions, type Values} from './shared.js';

/** proxy set / proxy disable: plan, preview, confirm, write with backups, restart (roll-back offer), check. */
export async function change(context: ConsoleContext, io: CommandIo, values: Values, kind: 'set' | 'disable'): Promise<number> {
  const settings = await loadCyrenSettings(context.stateDir);
  const timeoutMs = serviceTimeout(values, settings.serviceTimeoutSeconds);
  const partial = kind === 'set' ? settingsFromOptions(values) : undefined;
  if (values.target !== undefined && typeof parseTarget(String(values.target)) === 'string') throw new UsageError(`--target: ${parseTarget(String(values.target)) as string}`);
  // One writer per data root, from reading the files to the end of the restart (or roll-back).
  return holdDataRoot(context, io, `proxy ${kind}`, () => changeHoldingLock(context, io, values, kind, partial, settings, timeoutMs));
}

async function changeHoldingLock(
  context: ConsoleContext,
  io: CommandIo,
  values: Values,
  kind: 'set' | 'disable',
  partial: Omit<ProxySettings, 'password'> | undefined,
  settings: Awaited<ReturnType<typeof loadCyrenSettings>>,
  timeoutMs: number,
): Promise<number> {
  let proxyChange: ProxyChange;
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
  const refusal = 'Nothing was written: there is no terminal to confirm on. Check the changes above and add --yes to write them.';
  if (!(await confirmOrRefuse(io, 'Write these changes?', {yes: values.yes === true, canAsk: canAsk(io), refusal}))) {
    out(io, 'Nothing was written.');
    return ExitCode.usage;
  }
  const saved = await saveProxyPlan(plan);
  for (const file of saved) out(io, `written    ${file.path}  (backup: ${file.backupPath})`);
  let exit: number = ExitCode.ok;
  if (values['no-restart']) out(io, 'Services not restarted (--no-restart): restart them for the change to take effect.');
  else exit = await restartWithRollback(context, io, values, saved, timeoutMs);
  if (exit === ExitCode.ok && kind === 'set' && values.check) {
    const target = values.target ? (parseTarget(String(values.target)) as {host: string; port: number}) : undefined;
    const {settings: written} = proxyChange as {kind: 'set'; settings: ProxySettings};
    const password = written.password ?? (written.auth === 'Basic' ? activeProxyPassword(files) : undefined);
    const result = await runCheck(io, {server: written.server, port: written.port, user: written.user, password}, planProbes(settings, files, target), 10_000);
    if (!result.passed) exit = ExitCode.nothingFound;
  }
  return exit;
}

async function restartWithRollback(context: ConsoleContext, io: CommandIo, values: Values, saved: SavedFile[], timeoutMs: number): Promise<number> {
  const control = context.services;
  if (control.kind === 'sandbox') out(io, `(demo: services are simulated in ${context.root})`);
  const reports = await restartCyrenServices(control, saved.map(file => file.file.name), {timeoutMs});
  for (const report of reports) out(io, formatRestartReport(report));
  if (reports.every(report => report.ok)) return ExitCode.ok;
  const stamp = /\.(\d{8}-\d{6}(?:-\d+)?)\.nspbak$/.exec(saved[0]!.backupPath)?.[1];
  out(io, 'A service did not come back. The previous files are in the backups listed above.');
  if (!values.yes && canAsk(io) && (await askYesNo(io, 'Restore the backups and restart the services again?'))) {
    const undone = await undoSavedFiles(saved);
    for (const line of describeUndo(undone)) out(io, line);
    const restored = undone.filter(result => result.restored).map(result => saved.find(file => file.path === result.path)!.file.name);
    const again = await restartCyrenServices(control, restored, {timeoutMs});
    for (const report of again) out(io, formatRestartReport(report));
    return ExitCode.operational;
  }
  out(io, `To roll back: nsp-console proxy restore --stamp ${stamp} --yes`);
  return ExitCode.operational;
}
