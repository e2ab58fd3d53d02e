import {describe, expect, it} from 'vitest';
import {execFileSync, spawn, spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, utimesSync, writeFileSync, existsSync} from 'node:fs';
import {hostname, tmpdir} from 'node:os';
import {join} from 'node:path';
import {build} from 'esbuild';
import {projectRoot} from '../harness/tmux.js';
import {acquireLock, describeHolder, LockBusyError, lockWaitFromEnv, readLockHolder, withLock, type LockOwner} from '../../source/system/writer-lock.js';
import {renameExclusive, writeFileAtomic, writeFileExclusive} from '../../source/system/atomic-write.js';

const folder = () => mkdtempSync(join(tmpdir(), 'nsp-lock-'));

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], {encoding: 'utf8'});
  return Number(child.stdout.trim());
}

function foreignLock(path: string, owner: Partial<LockOwner>): void {
  writeFileSync(path, JSON.stringify({pid: 1, host: hostname(), user: 'CORP\\bob', purpose: 'proxy set', startedAt: new Date(2026, 0, 5, 6, 13).toISOString(), token: 'foreign', ...owner}));
}

describe('writer lock', () => {
  it('is exclusive, names its holder, and goes when released', async () => {
    const path = join(folder(), 'a.lock');
    const lock = await acquireLock({path, purpose: 'test'});
    const holder = await readLockHolder(path);
    expect(holder).toMatchObject({pid: process.pid, host: hostname(), purpose: 'test'});
    await expect(acquireLock({path, purpose: 'second', waitMs: 0})).rejects.toBeInstanceOf(LockBusyError);
    await lock.assertHeld();
    await lock.release();
    expect(existsSync(path)).toBe(false);
    await withLock({path, purpose: 'again', waitMs: 0}, async () => {});
  });

  it('waits with a visible line, then gives up (exit code 3 error) while the holder lives', async () => {
    const path = join(folder(), 'b.lock');
    foreignLock(path, {pid: process.pid});
    let clock = 0;
    const lines: string[] = [];
    const error = await acquireLock({path, purpose: 'x', waitMs: 5000, now: () => clock, sleep: async ms => void (clock += ms), onWait: line => lines.push(line)}).catch(e => e);
    expect(error).toBeInstanceOf(LockBusyError);
    expect(error.message).toMatch(new RegExp(`${process.pid} \\(CORP\\\\bob, since 06:13\\), proxy set.*nothing was written`));
    expect(lines).toEqual([`waiting for ${process.pid} (CORP\\bob, since 06:13): proxy set`]);
  });

  it('takes over a lock whose process is gone (same host) or whose heartbeat is old (any host)', async () => {
    const dir = folder();
    foreignLock(join(dir, 'dead.lock'), {pid: deadPid()});
    await (await acquireLock({path: join(dir, 'dead.lock'), purpose: 'x', waitMs: 0})).release();

    foreignLock(join(dir, 'old.lock'), {pid: process.pid, host: 'OTHER-GW'});
    const old = new Date(Date.now() - 120_000);
    utimesSync(join(dir, 'old.lock'), old, old);
    await (await acquireLock({path: join(dir, 'old.lock'), purpose: 'x', waitMs: 0})).release();

    foreignLock(join(dir, 'fresh.lock'), {pid: process.pid, host: 'OTHER-GW'});
    await expect(acquireLock({path: join(dir, 'fresh.lock'), purpose: 'x', waitMs: 0})).rejects.toThrow(/on OTHER-GW/);
  });

  it('treats an unreadable lock file as held until its heartbeat is old', async () => {
    const path = join(folder(), 'junk.lock');
    writeFileSync(path, 'not json');
    await expect(acquireLock({path, purpose: 'x', waitMs: 0})).rejects.toBeInstanceOf(LockBusyError);
    const old = new Date(Date.now() - 120_000);
    utimesSync(path, old, old);
    await (await acquireLock({path, purpose: 'x', waitMs: 0})).release();
  });

  it('gets the lock once the holder releases it during the wait', async () => {
    const path = join(folder(), 'c.lock');
    const first = await acquireLock({path, purpose: 'first'});
    const lines: string[] = [];
    const second = acquireLock({path, purpose: 'second', waitMs: 10_000, pollMs: 10, onWait: line => lines.push(line)});
    await expect.poll(() => lines.length).toBe(1);
    await first.release();
    await (await second).release();
    expect(lines[0]).toMatch(/^waiting for \d+ \(.+, since \d\d:\d\d\): first$/);
  });

  it('describes a holder on another host with that host', () => {
    expect(describeHolder({pid: 7, host: 'GW2', user: 'u', purpose: 'p', startedAt: new Date(2026, 1, 1, 23, 5).toISOString(), token: 't'}, 'GW1')).toBe('7 (u on GW2, since 23:05)');
  });

  it('bounds the configured wait', () => {
    expect(lockWaitFromEnv({})).toBe(60_000);
    expect(lockWaitFromEnv({NSP_CONSOLE_LOCK_WAIT: '0'})).toBe(0);
    expect(lockWaitFromEnv({NSP_CONSOLE_LOCK_WAIT: '9999'})).toBe(600_000);
    expect(() => lockWaitFromEnv({NSP_CONSOLE_LOCK_WAIT: '-1'})).toThrow(/whole seconds/);
  });

  it('serializes real processes (a read-increment-write counter loses no update) and survives kill -9 of a holder', async () => {
    const dir = folder();
    const script = join(dir, 'worker.mjs');
    await build({
      stdin: {
        contents: `import {withLock} from ${JSON.stringify(join(projectRoot, 'source/system/writer-lock.ts'))};
import {readFileSync, writeFileSync} from 'node:fs';
const [lockPath, counter, rounds, hang] = process.argv.slice(2);
for (let i = 0; i < Number(rounds); i++) {
  await withLock({path: lockPath, purpose: 'count', waitMs: 30000, pollMs: 5}, async () => {
    if (hang) { console.log('holding'); await new Promise(() => setInterval(() => {}, 1000)); }
    const value = Number(readFileSync(counter, 'utf8'));
    await new Promise(r => setTimeout(r, 2));
    writeFileSync(counter, String(value + 1));
  });
}`,
        resolveDir: projectRoot,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: script,
    });
    const lockPath = join(dir, 'count.lock');
    const counter = join(dir, 'counter');
    writeFileSync(counter, '0');
    // A holder that is killed -9 leaves its lock file; the others must take it over (pid gone).
    const hanging = spawn(process.execPath, [script, lockPath, counter, '1', 'hang'], {stdio: ['ignore', 'pipe', 'inherit']});
    await new Promise<void>(resolve => hanging.stdout.once('data', () => resolve()));
    hanging.kill('SIGKILL');
    await new Promise(resolve => hanging.once('exit', resolve));
    expect(existsSync(lockPath)).toBe(true);
    const workers = Array.from({length: 6}, () => new Promise<number>(resolve => spawn(process.execPath, [script, lockPath, counter, '10'], {stdio: 'inherit'}).once('exit', code => resolve(code ?? -1))));
    expect(await Promise.all(workers)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(readFileSync(counter, 'utf8')).toBe('60');
    expect(existsSync(lockPath)).toBe(false);
  });
});

describe('exclusive and atomic writes', () => {
  it('never overwrites an existing name', async () => {
    const dir = folder();
    const path = join(dir, 'out.zip');
    const results = await Promise.all(Array.from({length: 20}, (_v, i) => writeFileExclusive(path, `writer ${i}`)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(readFileSync(path, 'utf8')).toBe(`writer ${results.indexOf(true)}`);
    writeFileSync(join(dir, 't'), 'new');
    expect(await renameExclusive(join(dir, 't'), path)).toBe(false);
    expect(readFileSync(path, 'utf8')).toMatch(/^writer/);
    expect(await renameExclusive(join(dir, 't'), join(dir, 'other.zip'))).toBe(true);
    expect(existsSync(join(dir, 't'))).toBe(false);
  });

  it('edits the target of a symbolic link and keeps the link', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'target.conf'), 'old');
    execFileSync('ln', ['-s', 'target.conf', join(dir, 'link.conf')]);
    await writeFileAtomic(join(dir, 'link.conf'), 'new');
    expect(readFileSync(join(dir, 'target.conf'), 'utf8')).toBe('new');
    expect(execFileSync('stat', ['-c', '%F', join(dir, 'link.conf')], {encoding: 'utf8'}).trim()).toBe('symbolic link');
  });
});
