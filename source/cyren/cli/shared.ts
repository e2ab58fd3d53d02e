import type {ConsoleContext} from '../../context.js';
import {detectNspVersion} from '../../environment.js';
import {UsageError} from '../../errors.js';
import {parseDuration} from '../../commands/parse.js';
import type {CommandIo} from '../../commands/types.js';
import {maskSecrets, rememberSecret} from '../../system/session-record.js';
import {dataRootLockPath, withLock} from '../../system/writer-lock.js';
import type {ProxySettings} from '../proxy-document.js';
import {loadCyrenFiles, type CyrenFiles} from '../proxy-files.js';
import {stdinIsTerminal} from '../../commands/confirm.js';
import {readAllStdin, readMaskedLine} from '../prompts.js';
import {parsePort, validatePassword, validatePort, validateServer, validateUserName} from '../validate.js';

export type Values = Record<string, string | boolean | undefined>;

/** Writes with every known secret masked (defence in depth: nothing printed should hold one). */
export function out(io: CommandIo, text: string): void {
  io.stdout.write(`${maskSecrets(text)}\n`);
}

export async function loadFiles(context: ConsoleContext): Promise<CyrenFiles> {
  return loadCyrenFiles(context.root, await detectNspVersion(context));
}

export function serviceTimeout(values: Values, settingsSeconds?: number): number {
  if (typeof values['service-timeout'] === 'string') return parseDuration(values['service-timeout'], '--service-timeout');
  return (settingsSeconds ?? 60) * 1000;
}

/** Server, port, auth and user from the options; every problem at once. */
export function settingsFromOptions(values: Values): Omit<ProxySettings, 'password'> {
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
export async function obtainPassword(io: CommandIo, values: Values, mayKeep: boolean): Promise<string | undefined> {
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

/** May we ask on the terminal? Only when stdin and stdout are one (piped stdin, e.g. a password, is not). */
export function canAsk(io: CommandIo): boolean {
  return stdinIsTerminal(io) && io.isTTY;
}

/**
 * Runs `work` as the only writer of the data root; while another console holds it, says so on
 * stderr ("waiting for 4711 (CORP\\alice, since 06:13): proxy set") and gives up after the wait
 * (LockBusyError: exit 3, nothing written).
 */
export function holdDataRoot<T>(context: ConsoleContext, io: CommandIo, purpose: string, work: () => Promise<T>): Promise<T> {
  return withLock({path: dataRootLockPath(context.root), purpose, onWait: line => io.stderr.write(`${line}\n`)}, work);
}
