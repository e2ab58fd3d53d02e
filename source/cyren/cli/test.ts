import type {ConsoleContext} from '../../context.js';
import {ExitCode, OperationalError, UsageError} from '../../errors.js';
import {parseDuration} from '../../commands/parse.js';
import type {CommandIo} from '../../commands/types.js';
import {loadCyrenSettings} from '../cyren-settings.js';
import {planProbes} from '../proxy-probes.js';
import {maxCheckTimeoutMs} from '../proxy-check.js';
import {activeProxyPassword, type CyrenFiles} from '../proxy-files.js';
import {parsePort, parseTarget, validateServer} from '../validate.js';
import {runCheck} from './check.js';
import {loadFiles, obtainPassword, out, settingsFromOptions, type Values} from './shared.js';

/** proxy test: the proxy from the options or from the first enabled file; targets from --target, settings or ctasd.conf. */
export async function test(context: ConsoleContext, io: CommandIo, values: Values): Promise<number> {
  const settings = await loadCyrenSettings(context.stateDir);
  const timeoutMs = typeof values.timeout === 'string' ? parseDuration(values.timeout, '--timeout') : 10_000;
  if (timeoutMs > maxCheckTimeoutMs) throw new UsageError(`--timeout: at most 2m (got ${values.timeout}).`);
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
  if (!target && !files) {
    try {
      files = await loadFiles(context);
    } catch {
      files = undefined;
    }
  }
  const result = await runCheck(io, proxy, planProbes(settings, files, target), timeoutMs, Boolean(values.json));
  return result.passed ? ExitCode.ok : ExitCode.nothingFound;
}
