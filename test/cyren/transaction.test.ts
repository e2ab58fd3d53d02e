import {cp, lstat, mkdir, mkdtemp, readFile, readdir, rename, symlink, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import {beforeEach, describe, expect, it} from 'vitest';
import {proxyCommand} from '../../source/cyren/command.js';
import {loadCyrenFiles, planProxyChange, saveProxyPlan, undoSavedFiles} from '../../source/cyren/proxy-files.js';
import {type ConsoleContext, contextFrom} from '../../source/context.js';
import {backupStamp} from '../../source/system/file-backups.js';
import {dataRootLockPath} from '../../source/system/writer-lock.js';
import {captureIo} from '../helpers/capture.js';

const sandboxCyren = join(import.meta.dirname, '..', '..', 'examples', 'sandbox', 'CYREN');
let root: string;
let cyren: string;
let context: ConsoleContext;

beforeEach(async () => {
  const base = await mkdtemp(join(tmpdir(), 'nsp-cyren-tx-'));
  root = join(base, 'root');
  cyren = join(root, 'CYREN');
  await cp(sandboxCyren, cyren, {recursive: true});
  context = contextFrom({root, isDemo: true, stateDir: join(base, 'state'), hostName: 'test', platform: 'linux', ascii: true, color: false, env: process.env});
});

async function proxy(args: string[]): Promise<{code: number | string; stdout: string; stderr: string; error?: Error}> {
  const {io, stdout, stderr} = captureIo({stdin: Readable.from([])});
  try {
    return {code: await proxyCommand.run(args, context, io), stdout: stdout(), stderr: stderr()};
  } catch (error) {
    return {code: 'error', stdout: stdout(), stderr: stderr(), error: error as Error};
  }
}

const set = (server: string) => proxy(['set', '--server', server, '--port', '3128', '--yes', '--no-restart']);

describe('a symbolic link to a CYREN file', () => {
  it('is kept as a link: the target is edited and backed up next to the target, and restore writes the target', async () => {
    const elsewhere = join(root, '..', 'real-config');
    await mkdir(elsewhere);
    await rename(join(cyren, 'ctasd.conf'), join(elsewhere, 'ctasd-real.conf'));
    await symlink(join(elsewhere, 'ctasd-real.conf'), join(cyren, 'ctasd.conf'));
    const run = await set('link.example.com');
    expect(run.code).toBe(0);
    expect((await lstat(join(cyren, 'ctasd.conf'))).isSymbolicLink()).toBe(true);
    expect(await readFile(join(elsewhere, 'ctasd-real.conf'), 'utf8')).toMatch(/^ProxyServerAddress = link\.example\.com/m);
    const backups = (await readdir(elsewhere)).filter(name => name.endsWith('.nspbak'));
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatch(/^ctasd-real\.conf\.\d{8}-\d{6}\.nspbak$/);
    expect(run.stdout).toContain(`backup: ${join(elsewhere, backups[0]!)}`);
    const restored = await proxy(['restore', '--latest', '--yes', '--no-restart']);
    expect(restored.code).toBe(0);
    expect((await lstat(join(cyren, 'ctasd.conf'))).isSymbolicLink()).toBe(true);
    expect(await readFile(join(elsewhere, 'ctasd-real.conf'), 'utf8')).toMatch(/^#ProxyServerAddress = myproxy/m);
  });
});

describe('backups and roll-back of one save', () => {
  it('never overwrites a backup that already has the name, and keeps one stamp for the save', async () => {
    const stamp = backupStamp(new Date());
    await writeFile(join(cyren, `ctipd.conf.${stamp}.nspbak`), 'older backup');
    const run = await set('one.example.com');
    expect(run.code).toBe(0);
    expect(await readFile(join(cyren, `ctipd.conf.${stamp}.nspbak`), 'utf8')).toBe('older backup');
    const reported = [...run.stdout.matchAll(/\(backup: (.+)\)$/gm)].map(match => match[1]!);
    expect(reported).toHaveLength(3);
    const stamps = new Set(reported.map(path => /\.(\d{8}-\d{6}(?:-\d+)?)\.nspbak$/.exec(path)![1]));
    expect(stamps.size).toBe(1);
  });

  it('puts back only files that still hold the bytes this run wrote', async () => {
    const files = await loadCyrenFiles(root);
    const saved = await saveProxyPlan(planProxyChange(files, {kind: 'set', settings: {server: 'mine.example.com', port: 3128, auth: 'NoAuth'}}));
    // Another admin changes ctipd.conf after this run wrote it.
    const theirs = (await readFile(join(cyren, 'ctipd.conf'), 'utf8')).replace('mine.example.com', 'theirs.example.com');
    await writeFile(join(cyren, 'ctipd.conf'), theirs);
    const undone = await undoSavedFiles(saved);
    expect(undone.map(result => [result.path.split('/').pop(), result.restored])).toEqual([
      ['ctasd.conf', true],
      ['ctipd.conf', false],
      ['ctwsd.conf', true],
    ]);
    expect(await readFile(join(cyren, 'ctipd.conf'), 'utf8')).toBe(theirs);
    expect(await readFile(join(cyren, 'ctasd.conf'), 'utf8')).toBe(await readFile(join(sandboxCyren, 'ctasd.conf'), 'utf8'));
  });
});

describe('the data root lock', () => {
  it('a second writer while the lock is held by a live process gives up with exit code 3 and writes nothing', async () => {
    await writeFile(dataRootLockPath(root), JSON.stringify({pid: process.pid, host: (await import('node:os')).hostname(), user: 'CORP\\alice', purpose: 'proxy set', startedAt: new Date(2026, 0, 1, 6, 13).toISOString(), token: 'other'}));
    const before = await readFile(join(cyren, 'ctasd.conf'));
    const previous = process.env.NSP_CONSOLE_LOCK_WAIT;
    process.env.NSP_CONSOLE_LOCK_WAIT = '1';
    try {
      const run = await set('blocked.example.com');
      expect(run.error?.name).toBe('LockBusyError');
      expect(run.stderr).toBe(`waiting for ${process.pid} (CORP\\alice, since 06:13): proxy set\n`);
      expect(run.error!.message).toMatch(/nothing was written/);
    } finally {
      if (previous === undefined) delete process.env.NSP_CONSOLE_LOCK_WAIT;
      else process.env.NSP_CONSOLE_LOCK_WAIT = previous;
    }
    expect(await readFile(join(cyren, 'ctasd.conf'))).toEqual(before);
    expect((await readdir(cyren)).filter(name => name.endsWith('.nspbak'))).toEqual([]);
  });
});
