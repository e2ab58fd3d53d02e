import {randomBytes} from 'node:crypto';
import {closeSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync} from 'node:fs';
import {mkdir} from 'node:fs/promises';
import {hostname} from 'node:os';
import {basename, dirname, join} from 'node:path';

/**
 * One holder at a time, across processes: the lock is a file created with an exclusive create
 * (O_EXCL), never check-then-write. It names its holder (pid, host) and carries a heartbeat the holder
 * refreshes; a lock whose pid is dead (same host) or whose heartbeat is older than `staleMs` is
 * recovered by whoever asks next (under a short take-over lock, so two recoverers cannot both win).
 */
export interface LockRecord {
  pid: number;
  host: string;
  /** What the lock is for (e.g. the run id); free text for messages. */
  purpose: string;
  acquiredAt: string;
  /** Refreshed by the holder; others judge staleness by it. */
  heartbeatAt: string;
  /** Unique per acquisition: a holder never refreshes or releases a lock that is no longer its own. */
  token: string;
}

export interface LockOptions {
  purpose: string;
  /** Older heartbeats count as a dead holder even when the pid exists (pid reuse). */
  staleMs: number;
  now?: () => number;
}

export type LockResult = {ok: true; lock: HeldLock; recovered?: LockRecord} | {ok: false; holder: LockRecord | undefined; reason: string};

export class HeldLock {
  private released = false;
  constructor(
    readonly path: string,
    private record: LockRecord,
    private readonly now: () => number,
  ) {}

  get info(): LockRecord {
    return this.record;
  }

  /** Still ours on disk (nobody recovered it as stale behind our back). */
  isHeld(): boolean {
    return !this.released && readLock(this.path)?.token === this.record.token;
  }

  /** Refreshes the heartbeat; false when the lock is no longer ours. */
  beat(extra?: Partial<Pick<LockRecord, 'purpose'>>): boolean {
    if (!this.isHeld()) return false;
    this.record = {...this.record, ...extra, heartbeatAt: new Date(this.now()).toISOString()};
    writeDurably(this.path, this.record);
    return true;
  }

  release(): void {
    if (this.released) return;
    if (this.isHeld()) rmSync(this.path, {force: true});
    this.released = true;
  }
}

export function readLock(path: string): LockRecord | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as LockRecord;
    return typeof parsed?.pid === 'number' && typeof parsed.token === 'string' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Why a lock record no longer protects anything, or undefined while its holder is alive. */
export function staleReason(record: LockRecord | undefined, staleMs: number, now: number, isAlive: (pid: number) => boolean): string | undefined {
  if (!record) return 'the lock file is unreadable';
  if (record.host === hostname() && !isAlive(record.pid)) return `its process ${record.pid} is gone`;
  const age = now - Date.parse(record.heartbeatAt);
  if (!(age < staleMs)) return `its heartbeat is ${Number.isFinite(age) ? Math.round(age / 1000) : '?'} s old`;
  return undefined;
}

export async function acquireLock(path: string, options: LockOptions, isAlive: (pid: number) => boolean): Promise<LockResult> {
  const now = options.now ?? Date.now;
  await mkdir(dirname(path), {recursive: true});
  const fresh = (): LockRecord => {
    const at = new Date(now()).toISOString();
    return {pid: process.pid, host: hostname(), purpose: options.purpose, acquiredAt: at, heartbeatAt: at, token: randomBytes(8).toString('hex')};
  };
  const record = fresh();
  if (createExclusive(path, record)) return {ok: true, lock: new HeldLock(path, record, now)};
  const holder = readLock(path);
  const stale = staleReason(holder, options.staleMs, now(), isAlive);
  if (!stale) return {ok: false, holder, reason: `held by process ${holder!.pid} on ${holder!.host} (${holder!.purpose})`};
  // Recover under a take-over lock; only the one who creates it may remove the stale lock.
  const takeover = `${path}.takeover`;
  if (!createExclusive(takeover, record)) {
    const age = ageMs(takeover, now());
    if (age !== undefined && age > 10_000) rmSync(takeover, {force: true});
    return {ok: false, holder, reason: 'another process is recovering the stale lock right now'};
  }
  try {
    const again = readLock(path);
    if (again?.token !== holder?.token || staleReason(again, options.staleMs, now(), isAlive) === undefined) {
      return {ok: false, holder: again, reason: again ? `held by process ${again.pid} on ${again.host} (${again.purpose})` : 'the lock changed while it was being recovered'};
    }
    // Moved aside, not deleted: what was recovered stays readable for the admin.
    renameSync(path, join(dirname(path), `${basename(path)}.stale-${Date.now()}`));
    const mine = fresh();
    if (!createExclusive(path, mine)) return {ok: false, holder: readLock(path), reason: 'another process took the lock first'};
    return {ok: true, lock: new HeldLock(path, mine, now), recovered: holder ?? undefined};
  } finally {
    rmSync(takeover, {force: true});
  }
}

function ageMs(path: string, now: number): number | undefined {
  try {
    return now - statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * Exclusive and complete at once: the record is written and fsynced to a temporary file, then
 * hard-linked to the lock's name (link fails if the name exists), so nobody ever reads half a lock.
 */
function createExclusive(path: string, record: LockRecord): boolean {
  const temporary = writeTemporary(path, record);
  try {
    linkSync(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(temporary, {force: true});
  }
}

function writeTemporary(path: string, record: LockRecord): string {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'wx', 0o644);
  try {
    writeSync(fd, `${JSON.stringify(record)}\n`);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, {force: true});
    throw error;
  }
  closeSync(fd);
  return temporary;
}

/** Rewrites the holder's record through a temporary file (readers never see half a record). */
function writeDurably(path: string, record: LockRecord): void {
  renameSync(writeTemporary(path, record), path);
}
