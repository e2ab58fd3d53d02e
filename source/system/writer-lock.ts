import {randomBytes} from 'node:crypto';
import {readFileSync, unlinkSync} from 'node:fs';
import {mkdir, readFile, rm, stat, utimes} from 'node:fs/promises';
import {hostname, userInfo} from 'node:os';
import {dirname, join} from 'node:path';
import {OperationalError} from '../errors.js';
import {writeFileExclusive} from './atomic-write.js';

/**
 * An exclusive lock at a given path, shared by every process that names the same path: one writer
 * per data root (CYREN files, Gateway Role.config, restores), one log-flow run, one settings.json
 * writer. The lock is a small JSON file created exclusively (hard link of a complete temporary
 * file, so nobody ever reads a half-written lock). The holder refreshes the file's modification
 * time (its heartbeat) every few seconds. A lock is stale, and is taken over, when its process is
 * gone (same host, pid not running) or its heartbeat is older than `staleMs` (another host, or a
 * frozen process). A second writer waits up to `waitMs`, reporting who holds the lock, then gives up
 * with LockBusyError (an OperationalError: exit code 3, nothing written).
 */

export interface LockOwner {
  pid: number;
  host: string;
  user: string;
  /** What the holder is doing ("proxy set", "settings", …). */
  purpose: string;
  /** ISO time the lock was taken. */
  startedAt: string;
  /** Unique per acquisition: tells our lock from a later holder's at the same path. */
  token: string;
}

export interface LockHolder extends LockOwner {
  /** Last heartbeat (the lock file's modification time). */
  heartbeatAt: Date;
}

/** Default wait for a busy lock (documented in docs/architecture.md and the commands' help). */
export const defaultLockWaitMs = 60_000;
/** A heartbeat older than this marks the lock stale. */
export const defaultStaleMs = 30_000;
export const defaultHeartbeatMs = 5_000;
/** Upper bound for any configured wait (NSP_CONSOLE_LOCK_WAIT). */
export const maxLockWaitMs = 10 * 60_000;

export interface LockOptions {
  /** The lock file (its folder is created when missing). */
  path: string;
  purpose: string;
  /** How long to wait for a busy lock; 0 = try once. Default: NSP_CONSOLE_LOCK_WAIT or 60 s. */
  waitMs?: number;
  staleMs?: number;
  heartbeatMs?: number;
  /** Called when waiting starts and whenever the holder changes, with the line to show. */
  onWait?: (line: string, holder: LockHolder) => void;
  /** Injected for tests. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  isProcessAlive?: (pid: number) => boolean;
  hostName?: string;
  pollMs?: number;
}

export class LockBusyError extends OperationalError {
  override name = 'LockBusyError';
  constructor(
    readonly lockPath: string,
    readonly holder: LockHolder | undefined,
    waitedMs: number,
  ) {
    super(
      `${holder ? `Another writer holds ${lockPath}: ${describeHolder(holder)}, ${holder.purpose}` : `${lockPath} is held by another writer`}. ` +
        `Gave up after ${Math.round(waitedMs / 1000)} s; nothing was written. Try again when it is done ` +
        '(or set NSP_CONSOLE_LOCK_WAIT to wait longer).',
    );
  }
}

/** The holder lost the lock (taken over as stale after a long freeze): its work must not go on. */
export class LockLostError extends OperationalError {
  override name = 'LockLostError';
}

export interface HeldLock {
  readonly path: string;
  readonly owner: LockOwner;
  /** Throws LockLostError when the lock file is no longer ours. */
  assertHeld(): Promise<void>;
  release(): Promise<void>;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** "4711 (CORP\\alice on GW01, since 06:13)"; the host only when it is another one. */
export function describeHolder(holder: LockOwner, localHost = hostname()): string {
  const started = new Date(holder.startedAt);
  const since = Number.isNaN(started.getTime()) ? 'unknown time' : `${pad(started.getHours())}:${pad(started.getMinutes())}`;
  const where = holder.host && holder.host !== localHost ? ` on ${holder.host}` : '';
  return `${holder.pid} (${holder.user}${where}, since ${since})`;
}

export function waitingLine(holder: LockOwner, localHost?: string): string {
  return `waiting for ${describeHolder(holder, localHost)}: ${holder.purpose}`;
}

export function currentUser(env: NodeJS.ProcessEnv = process.env): string {
  let name = env.USERNAME ?? env.USER ?? '';
  try {
    name = userInfo().username || name;
  } catch {
    // no passwd entry (containers): the environment's name will do
  }
  const domain = env.USERDOMAIN;
  return domain && !name.includes('\\') ? `${domain}\\${name}` : name || 'unknown user';
}

export function processIsAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Lock wait from NSP_CONSOLE_LOCK_WAIT (seconds, 0-600), else the default. */
export function lockWaitFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.NSP_CONSOLE_LOCK_WAIT;
  if (text === undefined || text === '') return defaultLockWaitMs;
  if (!/^\d{1,4}$/.test(text.trim())) throw new OperationalError(`NSP_CONSOLE_LOCK_WAIT must be whole seconds (0-600), not "${text}".`);
  return Math.min(Number(text.trim()) * 1000, maxLockWaitMs);
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid !== 'number' || typeof value.token !== 'string') return undefined;
    return {pid: value.pid, host: String(value.host ?? ''), user: String(value.user ?? 'unknown user'), purpose: String(value.purpose ?? 'unknown work'), startedAt: String(value.startedAt ?? ''), token: value.token};
  } catch {
    return undefined;
  }
}

/** The current holder, or undefined when there is no lock file. An unreadable lock counts as a stranger's. */
export async function readLockHolder(path: string): Promise<LockHolder | undefined> {
  let text: string;
  let mtime: Date;
  try {
    [text, mtime] = await Promise.all([readFile(path, 'utf8'), stat(path).then(info => info.mtime)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const owner = parseOwner(text) ?? {pid: 0, host: '', user: 'unknown user', purpose: 'unreadable lock file', startedAt: mtime.toISOString(), token: `unreadable-${mtime.getTime()}-${text.length}`};
  return {...owner, heartbeatAt: mtime};
}

function isStale(holder: LockHolder, options: Required<Pick<LockOptions, 'staleMs' | 'now' | 'isProcessAlive' | 'hostName'>>): boolean {
  if (holder.host === options.hostName && holder.pid > 0 && !options.isProcessAlive(holder.pid)) return true;
  return options.now() - holder.heartbeatAt.getTime() > options.staleMs;
}

/**
 * Removes a stale lock only if it is still the one judged stale: a short "breaker" lock keeps two
 * waiters from both removing it (and one of them removing the other's fresh lock).
 */
async function breakStaleLock(path: string, stale: LockHolder, now: () => number): Promise<void> {
  const breaker = `${path}.break`;
  try {
    const info = await stat(breaker);
    // A breaker is held for milliseconds; one this old belongs to a process that died meanwhile.
    if (now() - info.mtime.getTime() > 10_000) await rm(breaker, {force: true});
  } catch {
    // no breaker
  }
  if (!(await writeFileExclusive(breaker, String(process.pid)))) return;
  try {
    const again = await readLockHolder(path);
    if (again?.token === stale.token) await rm(path, {force: true});
  } finally {
    await rm(breaker, {force: true});
  }
}

const heldPaths = new Map<string, string>();
let exitHookInstalled = false;

/** On any exit (also process.exit from a signal handler) our lock files go, so nobody waits for a dead process. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const [path, token] of heldPaths) {
      try {
        if (parseOwner(readFileSync(path, 'utf8'))?.token === token) unlinkSync(path);
      } catch {
        // already gone
      }
    }
  });
}

export async function acquireLock(options: LockOptions): Promise<HeldLock> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms)));
  const waitMs = Math.max(0, Math.min(options.waitMs ?? lockWaitFromEnv(), maxLockWaitMs));
  const staleOptions = {
    staleMs: options.staleMs ?? defaultStaleMs,
    now,
    isProcessAlive: options.isProcessAlive ?? processIsAlive,
    hostName: options.hostName ?? hostname(),
  };
  const owner: LockOwner = {
    pid: process.pid,
    host: staleOptions.hostName,
    user: currentUser(),
    purpose: options.purpose,
    startedAt: new Date(now()).toISOString(),
    token: randomBytes(12).toString('hex'),
  };
  await mkdir(dirname(options.path), {recursive: true});
  const started = now();
  let reported: string | undefined;
  for (;;) {
    if (await writeFileExclusive(options.path, `${JSON.stringify(owner)}\n`)) break;
    const holder = await readLockHolder(options.path);
    if (!holder) continue; // released between our attempt and the read: try again at once
    if (isStale(holder, staleOptions)) {
      await breakStaleLock(options.path, holder, now);
      continue;
    }
    const waited = now() - started;
    if (waited >= waitMs) throw new LockBusyError(options.path, holder, waited);
    if (reported !== holder.token) {
      reported = holder.token;
      options.onWait?.(waitingLine(holder, staleOptions.hostName), holder);
    }
    await sleep(Math.min(options.pollMs ?? 100, Math.max(1, waitMs - waited)));
  }
  return holdLock(options.path, owner, options.heartbeatMs ?? defaultHeartbeatMs);
}

function holdLock(path: string, owner: LockOwner, heartbeatMs: number): HeldLock {
  heldPaths.set(path, owner.token);
  installExitHook();
  let released = false;
  const isOurs = async () => (await readLockHolder(path).catch(() => undefined))?.token === owner.token;
  const timer = setInterval(() => {
    void isOurs().then(ours => {
      if (ours && !released) {
        const time = new Date();
        return utimes(path, time, time).catch(() => {});
      }
      return undefined;
    });
  }, heartbeatMs);
  timer.unref();
  return {
    path,
    owner,
    async assertHeld() {
      if (released || !(await isOurs())) throw new LockLostError(`The lock ${path} is no longer held by this process (it was taken over as stale); stopping before writing.`);
    },
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      heldPaths.delete(path);
      if (await isOurs()) await rm(path, {force: true});
    },
  };
}

/** Runs `work` holding the lock at `options.path`; the lock is released however `work` ends. */
export async function withLock<T>(options: LockOptions, work: (lock: HeldLock) => Promise<T>): Promise<T> {
  const lock = await acquireLock(options);
  try {
    return await work(lock);
  } finally {
    await lock.release();
  }
}

// ---------------------------------------------------------------------------------------------
// The two lock paths the console uses

/** One writer per NoSpamProxy data root: every change of files under it holds this lock. */
export function dataRootLockPath(root: string): string {
  return join(root, '.nsp-console-writer.lock');
}
