import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {PassThrough} from 'node:stream';
import {main} from '../../source/cli.js';

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
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', chunk => (out += chunk.toString()));
  stderr.on('data', chunk => (err += chunk.toString()));
  const code = await main(['--root', root, ...argv], {stdout, stderr, stdin, isTTY: false, stdinIsTTY: false}, {...process.env, NSP_CONSOLE_STATE_DIR: ''});
  return {code, out, err};
}

/** Every entry of a ZIP, read with yauzl. */
export async function readZip(path: string): Promise<Map<string, Buffer>> {
  const yauzl = await import('yauzl');
  return new Promise((resolveZip, reject) => {
    yauzl.open(path, {lazyEntries: true}, (error, zip) => {
      if (error || !zip) return reject(error);
      const entries = new Map<string, Buffer>();
      zip.on('entry', (entry: import('yauzl').Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', chunk => chunks.push(chunk as Buffer));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolveZip(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}
