import {existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {main} from '../../source/cli.js';
import {captureIo} from '../helpers/capture.js';

export const simGateway = resolve('examples/sandbox/Tools/sim-gateway.mjs');

/** A state dir (with settings.json) and a log location for one simulated script role. */
export function makeWorkspace(options: {roles?: unknown[] | ((logs: string) => unknown[]); logflow?: Record<string, string>; interval?: number} = {}) {
  const base = mkdtempSync(join(tmpdir(), 'logflow-'));
  const stateDir = join(base, 'state');
  const logs = join(base, 'logs');
  const pidFile = join(base, 'sim.pid');
  const root = join(base, 'root');
  const role = simRole('Gateway 1', logs, pidFile, options.interval);
  const settings = {roles: (typeof options.roles === 'function' ? options.roles(logs) : options.roles) ?? [role], logflow: {verifyOff: '1s', quietWarning: '2s', watchdogGrace: '3s', commandTimeout: '10s', ...options.logflow}};
  mkdirSync(stateDir, {recursive: true});
  mkdirSync(root, {recursive: true});
  writeFileSync(join(stateDir, 'settings.json'), JSON.stringify(settings, null, 2));
  return {base, stateDir, logs, pidFile, root, role};
}

export function simRole(name: string, location: string, pidFile: string, interval = 100, file = 'gateway.log') {
  return {
    name,
    driver: 'script',
    location,
    enable: [process.execPath, simGateway, 'on', '--role', '{role}', '--location', '{location}', '--protocols', '{protocols}', '--pid-file', pidFile, '--interval', String(interval), '--file', file],
    disable: [process.execPath, simGateway, 'off', '--pid-file', pidFile],
  };
}

/** Runs `nsp-console <argv>` in-process with captured output. */
export async function runCli(argv: string[], root: string) {
  const captured = captureIo();
  const code = await main(['--root', root, ...argv], captured.io, {...process.env, NSP_CONSOLE_STATE_DIR: ''});
  return {code, out: captured.stdout(), err: captured.stderr()};
}

/** The simulated gateway's logger (its pid file) is still running. */
export function simRunning(pidFile: string): boolean {
  return existsSync(pidFile) && processAlive(Number(readFileSync(pidFile, 'utf8')));
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
