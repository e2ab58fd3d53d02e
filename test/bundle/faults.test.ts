import {execFileSync, spawn} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import {afterAll, describe, expect, it} from 'vitest';
import {writeZip} from '../../source/archive/zip-writer.js';
import {emptyRequest} from '../../source/bundle/create.js';
import {collectItems} from '../../source/bundle/items.js';
import {verifyBundle} from '../../source/bundle/verify.js';
import {writeBundle} from '../../source/bundle/write.js';
import type {BundleRequest} from '../../source/bundle/types.js';
import {knownSecrets, makeContext, mountSmallTmpfs, readWithYauzl, sandboxWithSecrets, sha256, tempDir, treeDigest, unmountAll} from './fixtures.js';

async function plan(request: Partial<BundleRequest>, stateDir = tempDir('state'), root = sandboxWithSecrets()) {
  const context = makeContext(stateDir, root);
  const collected = await collectItems(context, {...emptyRequest(), description: 'fault test', ...request}, {workFolder: join(stateDir, 'tmp', 'work')});
  return {context, collected, stateDir, root};
}

function outputZips(stateDir: string): string[] {
  const folder = join(stateDir, 'output');
  return existsSync(folder) ? readdirSync(folder).filter(name => name.endsWith('.zip')) : [];
}

function unzipTest(zipPath: string): string {
  return execFileSync('unzip', ['-t', zipPath], {encoding: 'utf8'});
}

describe('inputs that go wrong while zipping', () => {
  it('lists a file that disappeared after it was found as skipped; the ZIP stays valid', async () => {
    const files = tempDir('gone');
    writeFileSync(join(files, 'gone.txt'), 'soon gone\n');
    writeFileSync(join(files, 'kept.txt'), 'kept\n');
    const {context, collected} = await plan({attachments: [join(files, 'gone.txt'), join(files, 'kept.txt')]});
    expect(collected.items.find(item => item.id === 'attachments')!.entries).toHaveLength(2);
    rmSync(join(files, 'gone.txt'));
    const written = await writeBundle(context, collected.items, {nspVersion: 'x'});
    expect(written.manifest.skipped).toContainEqual({item: 'attachments/gone.txt', reason: 'file disappeared before it was zipped'});
    expect(written.manifest.entries.map(entry => entry.path)).toContain('attachments/kept.txt');
    expect(written.manifest.entries.map(entry => entry.path)).not.toContain('attachments/gone.txt');
    expect(unzipTest(written.path)).toContain('No errors detected');
    expect((await verifyBundle(written.path)).ok).toBe(true);
  });

  it('skips a FIFO or a folder found in place of a file, without hanging', async () => {
    const files = tempDir('fifo');
    for (const name of ['pipe.log', 'folder.log', 'fine.log']) writeFileSync(join(files, name), `${name}\n`);
    mkdirSync(join(files, 'planned-fifo'));
    execFileSync('mkfifo', [join(files, 'already-a-fifo.log')]);
    const {context, collected} = await plan({attachments: ['pipe.log', 'folder.log', 'fine.log', 'already-a-fifo.log'].map(name => join(files, name))});
    const attachments = collected.items.find(item => item.id === 'attachments')!;
    expect(attachments.skipped).toContainEqual({item: `attachments: ${join(files, 'already-a-fifo.log')}`, reason: 'not a regular file'});
    // Swap two planned files for a FIFO (opening it would block for ever) and a folder.
    rmSync(join(files, 'pipe.log'));
    execFileSync('mkfifo', [join(files, 'pipe.log')]);
    rmSync(join(files, 'folder.log'));
    mkdirSync(join(files, 'folder.log'));
    const written = await writeBundle(context, collected.items, {nspVersion: 'x'});
    const reasons = Object.fromEntries(written.manifest.skipped.map(skipped => [skipped.item, skipped.reason]));
    expect(reasons['attachments/pipe.log']).toMatch(/not a regular file/);
    expect(reasons['attachments/folder.log']).toMatch(/not a regular file/);
    expect(written.manifest.entries.map(entry => entry.path)).toContain('attachments/fine.log');
    expect(unzipTest(written.path)).toContain('No errors detected');
  });

  it('stores a file that grows while it is zipped up to the size it had when opened, hash matching', async () => {
    const files = tempDir('grow');
    const path = join(files, 'growing.log');
    const line = '2026-11-27 10:00:00 SMTP <- RCPT TO:<bob@partner.example> 250 2.1.5 OK\r\n';
    writeFileSync(path, line.repeat(300_000)); // ~22 MB
    const {context, collected} = await plan({attachments: [path]});
    const appender = spawn(process.execPath, ['-e', `const fs=require('fs');const l=${JSON.stringify(line)}.repeat(2000);setInterval(()=>fs.appendFileSync(${JSON.stringify(path)},l),1)`], {stdio: 'ignore'});
    try {
      await new Promise(resolve => setTimeout(resolve, 200));
      const written = await writeBundle(context, collected.items, {nspVersion: 'x'});
      const entry = written.manifest.entries.find(candidate => candidate.path === 'attachments/growing.log')!;
      expect(entry.size).toBeGreaterThanOrEqual(line.length * 300_000);
      const stored = (await readWithYauzl(written.path)).get('attachments/growing.log')!;
      expect(stored.length).toBe(entry.size);
      expect(sha256(stored)).toBe(entry.sha256);
      expect(unzipTest(written.path)).toContain('No errors detected');
      expect(statSync(path).size).toBeGreaterThan(entry.size);
      // The stored bytes are the file's first bytes. (Not necessarily whole lines: the kernel
      // grows a file page by page during one write, so the size seen at opening can fall mid-line.)
      appender.kill();
      expect(stored.equals(readFileSync(path).subarray(0, entry.size))).toBe(true);
    } finally {
      appender.kill();
    }
  });
});

describe('caps', () => {
  it('cuts a file at the per-file cap and marks it truncated; the total cap leaves later files out', async () => {
    const files = tempDir('caps');
    writeFileSync(join(files, 'big.log'), 'x'.repeat(200_000));
    writeFileSync(join(files, 'later.log'), 'y'.repeat(50_000));
    writeFileSync(join(files, 'last.log'), 'z'.repeat(10));
    const {context, collected} = await plan({attachments: [join(files, 'big.log'), join(files, 'later.log'), join(files, 'last.log')]});
    const written = await writeBundle(context, collected.items, {nspVersion: 'x', limits: {maxFileBytes: 64 * 1024, maxTotalBytes: 64 * 1024 + 20_000}});
    const big = written.manifest.entries.find(entry => entry.path === 'attachments/big.log')!;
    expect(big).toMatchObject({size: 64 * 1024, truncated: true});
    const stored = (await readWithYauzl(written.path)).get('attachments/big.log')!;
    expect(sha256(stored)).toBe(big.sha256);
    // The rest of the total budget goes to the next file, cut; then nothing more fits.
    expect(written.manifest.entries.find(entry => entry.path === 'attachments/later.log')).toMatchObject({truncated: true});
    expect(written.manifest.skipped).toContainEqual(expect.objectContaining({item: 'attachments/last.log', reason: expect.stringContaining('total size cap')}));
    expect(written.manifest.entries.reduce((sum, entry) => sum + entry.size, 0)).toBe(64 * 1024 + 20_000);
    expect(written.manifest.entries.filter(entry => entry.truncated).map(entry => entry.path).sort()).toEqual(['attachments/big.log', 'attachments/later.log']);
  });
});

describe('the output goes wrong', () => {
  const mounts: string[] = [];
  afterAll(() => unmountAll(mounts));

  it('refuses when the disk is too small, and a full disk mid-write leaves no partial ZIP', async () => {
    const small = tempDir('tmpfs');
    const mounted = mountSmallTmpfs(small, '512k', mounts);
    const files = tempDir('big');
    writeFileSync(join(files, 'random.bin'), randomBytes(2 * 1024 * 1024));
    const {context, collected, root} = await plan({attachments: [join(files, 'random.bin')]});
    const before = treeDigest(root);
    if (mounted) {
      await expect(writeBundle(context, collected.items, {nspVersion: 'x', out: join(small, 'b.zip')})).rejects.toThrow(/Not enough free disk space/);
      expect(readdirSync(small)).toEqual([]);
      // Without the pre-check the writer hits ENOSPC: the partial file must go.
      await expect(writeZip(join(small, 'direct.zip'), [{name: 'random.bin', source: {kind: 'file', path: join(files, 'random.bin')}, store: true}])).rejects.toThrow(/ENOSPC|no space/i);
      expect(readdirSync(small)).toEqual([]);
    } else {
      // No tmpfs here (no privilege): a writer error in the middle of an entry must clean up the same way.
      const out = join(small, 'sim.zip');
      let sent = 0;
      const failing = new Readable({
        read() {
          sent++;
          if (sent > 3) this.destroy(new Error('ENOSPC: no space left on device (simulated)'));
          else this.push(randomBytes(64 * 1024));
        },
      });
      await expect(writeZip(out, [{name: 'x.bin', source: {kind: 'stream', stream: () => failing}}])).rejects.toThrow(/no space/);
      expect(existsSync(out)).toBe(false);
    }
    expect(treeDigest(root)).toBe(before);
  });

  it('abort in the middle removes the partial ZIP and changes no source', async () => {
    const files = tempDir('abort');
    for (let index = 0; index < 4; index++) writeFileSync(join(files, `part${index}.bin`), randomBytes(8 * 1024 * 1024));
    const {context, collected, stateDir, root} = await plan({attachments: [0, 1, 2, 3].map(index => join(files, `part${index}.bin`))});
    const before = treeDigest(root);
    const filesBefore = treeDigest(files);
    const controller = new AbortController();
    let progressSeen = 0;
    await expect(
      writeBundle(context, collected.items, {
        nspVersion: 'x',
        signal: controller.signal,
        onProgress: progress => {
          progressSeen++;
          if (progress.bytesDone > 4 * 1024 * 1024) controller.abort();
        },
      }),
    ).rejects.toThrow(/Aborted/);
    expect(progressSeen).toBeGreaterThan(0);
    expect(outputZips(stateDir)).toEqual([]);
    expect(readdirSync(join(stateDir, 'output'))).toEqual([]);
    expect(treeDigest(root)).toBe(before);
    expect(treeDigest(files)).toBe(filesBefore);
  });

  it('stops with a clear message when a binary file would carry a known secret, writing nothing', async () => {
    const files = tempDir('leak');
    writeFileSync(join(files, 'dump.bin'), Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(`licence ${knownSecrets.licenseKey}`, 'utf16le'), Buffer.alloc(100)]));
    const {context, collected, stateDir} = await plan({attachments: [join(files, 'dump.bin')]});
    const attempt = writeBundle(context, collected.items, {nspVersion: 'x'});
    await expect(attempt).rejects.toThrow(/attachments\/dump\.bin would contain a known secret \(the value of ctasd\.conf License_key_code\)/);
    await attempt.catch((error: Error) => expect(error.message).not.toContain(knownSecrets.licenseKey));
    expect(outputZips(stateDir)).toEqual([]);
  });
});
