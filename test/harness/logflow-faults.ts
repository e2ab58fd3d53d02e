import {execFile, spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {readJournal, type Journal} from '../../source/logflow/journal.js';
import {consoleCommand, launcher, projectRoot, TmuxSession} from './tmux.js';

/**
 * A state dir with one "script" role whose enable/disable commands append "on"/"off" to a marks file
 * (bash, so a command can hang, fail or fork as a real script would), and the built console run
 * against it as a real process.
 */
export interface FaultWorkspace {
  base: string;
  stateDir: string;
  root: string;
  logs: string;
  marks: string;
}

export interface RoleScripts {
  /** bash text; $1 is the marks file. */
  enable?: string;
  disable?: string;
}

export const onScript = 'echo on >> "$1"';
export const offScript = 'echo off >> "$1"';

export function makeFaultWorkspace(scripts: RoleScripts = {}, logflow: Record<string, string> = {}, stateDirOn?: string): FaultWorkspace {
  const base = mkdtempSync(join(tmpdir(), 'logflow-fault-'));
  const stateDir = join(stateDirOn ?? base, 'state');
  const root = join(base, 'root');
  const logs = join(base, 'logs');
  const marks = join(base, 'marks.txt');
  for (const folder of [stateDir, root, logs]) mkdirSync(folder, {recursive: true});
  writeFileSync(marks, '');
  chmodSync(marks, 0o666);
  const role = {
    name: 'R',
    driver: 'script',
    location: logs,
    enable: ['bash', '-c', scripts.enable ?? onScript, 'enable', marks],
    disable: ['bash', '-c', scripts.disable ?? offScript, 'disable', marks],
  };
  const settings = {roles: [role], logflow: {wait: '30s', verifyOff: '200ms', quietWarning: '200ms', watchdogGrace: '1s', commandTimeout: '2s', ...logflow}};
  writeFileSync(join(stateDir, 'settings.json'), JSON.stringify(settings, null, 2));
  return {base, stateDir, root, logs, marks};
}

export function marks(ws: FaultWorkspace): string[] {
  return readFileSync(ws.marks, 'utf8').split('\n').filter(Boolean);
}

/** Logging as the role's script saw it: on after its last "on" until an "off" follows. */
export function scriptSaysOff(ws: FaultWorkspace): boolean {
  return marks(ws).at(-1) !== 'on';
}

export const fastWatchdogEnv = {NSP_CONSOLE_WATCHDOG_POLL_MS: '100'};

/** A console under test, on pipes or on a real pty. */
export interface ConsoleUnderTest {
  pid: number;
  signal: (name: NodeJS.Signals) => void;
  output: () => string;
  /** The exit code (null where it cannot be seen: a pty that was closed). */
  exited: Promise<number | null>;
  /** Closes the terminal under the console (a dropped SSH/RDP session); only on a pty. */
  closeTerminal?: () => void;
}

export interface RunningConsole extends ConsoleUnderTest {
  child: ChildProcess;
}

let sharedCopy: string | undefined;

/**
 * The launcher for a run as another user: the clone itself may sit in a folder only its owner can
 * enter (mktemp -d is 0700), so the built console is copied once to a folder everyone can read.
 */
function launcherReadableByAll(): string {
  if (!sharedCopy) {
    const folder = mkdtempSync(join(tmpdir(), 'nsp-console-shared-'));
    for (const part of ['bin', 'dist', 'package.json']) cpSync(join(projectRoot, part), join(folder, part), {recursive: true});
    spawnSync('chmod', ['-R', 'a+rX', folder]);
    sharedCopy = join(folder, 'bin', 'nsp-console.js');
  }
  return sharedCopy;
}

export function startRun(ws: FaultWorkspace, extra: string[] = [], options: {user?: string; env?: Record<string, string>} = {}): RunningConsole {
  const args = [options.user ? launcherReadableByAll() : launcher, '--state-dir', ws.stateDir, '--root', ws.root, 'logflow', 'run', '--role', 'R', '--yes', ...extra];
  const [file, argv] = options.user ? ['runuser', ['-u', options.user, '--', process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(file, argv, {stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, ...fastWatchdogEnv, ...options.env}});
  let text = '';
  child.stdout!.on('data', chunk => (text += chunk.toString()));
  child.stderr!.on('data', chunk => (text += chunk.toString()));
  const exited = new Promise<number | null>(resolve => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));
  return {child, pid: child.pid!, signal: name => void child.kill(name), output: () => text, exited};
}

/**
 * The same run on a real pty: a tmux server of its own whose pane is the console (exec'd, so the
 * pane pid is the console's). closeTerminal() is `tmux kill-session`: the pty closes under the console
 * as it does when an SSH/RDP session drops (SIGHUP, then EIO).
 */
export function startRunInPty(ws: FaultWorkspace, extra: string[] = [], options: {yes?: boolean; env?: Record<string, string>} = {}): ConsoleUnderTest {
  const args = ['--state-dir', ws.stateDir, '--root', ws.root, 'logflow', 'run', '--role', 'R', ...(options.yes === false ? [] : ['--yes']), ...extra];
  const tmux = new TmuxSession(consoleCommand(args), {execInPane: true, columns: 200, rows: 50, env: {...fastWatchdogEnv, ...options.env}});
  const pid = tmux.panePid();
  let screen = '';
  const output = () => {
    try {
      screen = tmux.capture();
    } catch {
      // The session is gone: the last screen seen.
    }
    return screen;
  };
  const exited = (async () => {
    for (let tries = 0; tries < 1200 && processAlive(pid); tries++) await new Promise(resolve => setTimeout(resolve, 50));
    output();
    tmux.kill();
    return processAlive(pid) ? -1 : null;
  })();
  return {
    pid,
    signal: name => process.kill(pid, name),
    output,
    exited,
    closeTerminal: () => {
      output();
      tmux.tmux('kill-session', '-t', tmux.name);
    },
  };
}

/** Resolves with the journal once accept() holds; rejects with what it saw after timeoutMs. */
export async function journalWhen(ws: FaultWorkspace, accept: (journal: Journal) => boolean, timeoutMs: number): Promise<Journal> {
  const until = Date.now() + timeoutMs;
  let last: Journal | undefined;
  for (;;) {
    try {
      last = await readJournal(ws.stateDir);
      if (last && accept(last)) return last;
    } catch {
      // Damaged on purpose by a test, or being replaced: look again.
    }
    if (Date.now() > until) throw new Error(`journal not as expected within ${timeoutMs} ms: ${last?.state.phase} ${JSON.stringify(last?.state.roles.map(role => role.logging))}`);
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

export async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise(resolve => setTimeout(resolve, 25));
  }
  return Date.now() - started;
}

export function status(ws: FaultWorkspace): Promise<{loggingOn: boolean; state: string}> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [launcher, '--state-dir', ws.stateDir, '--root', ws.root, 'logflow', 'status', '--json'], {timeout: 20_000}, (error, stdout) => {
      if (error) reject(error);
      else resolve(JSON.parse(stdout));
    });
  });
}

/** A small tmpfs as the state dir (root only); undefined where it cannot be mounted. */
export function mountSmallDisk(base: string, size = '256k'): string | undefined {
  const mountPoint = join(base, 'disk');
  mkdirSync(mountPoint, {recursive: true});
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mountPoint], {stdio: 'ignore'});
  return result.status === 0 ? mountPoint : undefined;
}

export function unmount(mountPoint: string): void {
  spawnSync('umount', ['-l', mountPoint], {stdio: 'ignore'});
}

/** Fills a file system until it reports ENOSPC. */
export function fillDisk(folder: string): void {
  const chunk = Buffer.alloc(4096, 120);
  const path = join(folder, 'filler');
  for (let index = 0; index < 100_000; index++) {
    try {
      writeFileSync(path, chunk, {flag: 'a'});
    } catch {
      return;
    }
  }
}

export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

export function fileExists(path: string): boolean {
  return existsSync(path);
}
