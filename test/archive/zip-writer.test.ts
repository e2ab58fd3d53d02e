import {execFileSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {existsSync, readFileSync, readdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import {afterAll, describe, expect, it} from 'vitest';
import {openZip, readMember} from '../../source/archive/zip-read.js';
import {writeZip, type ZipEntry} from '../../source/archive/zip-writer.js';
import {mountSmallTmpfs, readWithYauzl, tempDir, unmountAll} from '../bundle/fixtures.js';

function logText(lines: number): Buffer {
  return Buffer.from(Array.from({length: lines}, (_, index) => `2026-11-27 10:${String(index % 60).padStart(2, '0')}:00 [${(index * 7919).toString(16)}] <- RCPT TO:<user${index % 313}@partner.example> 250 2.1.5 OK\r\n`).join(''));
}

describe('the ZIP writer (our own records, blocks deflated on several cores)', () => {
  const contents: Record<string, Buffer> = {
    'logs/big.log': logText(120_000), // ~11 MB: many 1 MiB blocks, dictionary carried over
    'logs/exact.log': Buffer.alloc(2 * 1024 * 1024, 'a'), // ends exactly on a block border
    'empty.txt': Buffer.alloc(0),
    'random.bin': randomBytes(1_500_000),
    'stored.png': randomBytes(700_000),
  };
  const entries = (folder: string): ZipEntry[] => [
    {name: 'logs/big.log', source: {kind: 'file', path: join(folder, 'big.log')}},
    {name: 'logs/exact.log', source: {kind: 'stream', stream: () => Readable.from([contents['logs/exact.log']!.subarray(0, 1000), contents['logs/exact.log']!.subarray(1000)])}},
    {name: 'empty.txt', source: {kind: 'bytes', data: ''}},
    {name: 'random.bin', source: {kind: 'bytes', data: contents['random.bin']!}},
    {name: 'stored.png', source: {kind: 'bytes', data: contents['stored.png']!}, store: true},
  ];

  for (const forceZip64 of [false, true]) {
    it(`writes a ZIP that Info-ZIP and yauzl accept${forceZip64 ? ' (ZIP64 records forced)' : ''}`, async () => {
      const folder = tempDir('parallel');
      writeFileSync(join(folder, 'big.log'), contents['logs/big.log']!);
      const zipPath = join(folder, 'out.zip');
      const written = await writeZip(zipPath, entries(folder), {forceZip64});
      expect(written.entries).toBe(5);
      expect(execFileSync('unzip', ['-t', zipPath], {encoding: 'utf8'})).toContain('No errors detected');
      const listing = execFileSync('unzip', ['-v', zipPath], {encoding: 'utf8'});
      expect(listing).toMatch(/Stored\s+700000\s+.*stored\.png/);
      const viaYauzl = await readWithYauzl(zipPath);
      const zip = await openZip(zipPath);
      const members = zip.members;
      for (const [name, bytes] of Object.entries(contents)) {
        expect(viaYauzl.get(name)?.equals(bytes), `${name} via yauzl`).toBe(true);
        expect((await readMember(zip, members.find(member => member.name === name)!, 64 * 1024 * 1024)).equals(bytes), `${name} via openZip`).toBe(true);
      }
      zip.close();
      // Compression is real: the text log shrinks like with zip -6.
      expect(members.find(member => member.name === 'logs/big.log')!.compressedSize).toBeLessThan(contents['logs/big.log']!.length / 4);
    });
  }

  it('chooses ZIP64 records from the known sizes: none for known small entries, ZIP64 for a stream of unknown size or a cap past 4 GB', async () => {
    const folder = tempDir('zip64-choice');
    const zipPath = join(folder, 'out.zip');
    writeFileSync(join(folder, 'small.log'), 'x'.repeat(1000));
    await writeZip(zipPath, [
      {name: 'file.log', source: {kind: 'file', path: join(folder, 'small.log')}},
      {name: 'bytes.txt', source: {kind: 'bytes', data: 'hello'}},
      {name: 'capped.log', sizeHint: 1000, source: {kind: 'stream', stream: () => Readable.from([Buffer.from('capped')])}},
      {name: 'unknown.log', source: {kind: 'stream', stream: () => Readable.from([Buffer.from('unknown')])}},
      {name: 'huge-cap.log', sizeHint: 5 * 1024 ** 3, source: {kind: 'stream', stream: () => Readable.from([Buffer.from('big cap')])}},
    ]);
    const bytes = readFileSync(zipPath);
    // "Version needed to extract" in each local header: 45 = ZIP64 records, 20 = plain.
    const needed = new Map<string, number>();
    for (let at = bytes.indexOf(Buffer.from([0x50, 0x4b, 3, 4])); at >= 0; at = bytes.indexOf(Buffer.from([0x50, 0x4b, 3, 4]), at + 4)) {
      needed.set(bytes.subarray(at + 30, at + 30 + bytes.readUInt16LE(at + 26)).toString('ascii'), bytes.readUInt16LE(at + 4));
    }
    expect(Object.fromEntries(needed)).toEqual({'file.log': 20, 'bytes.txt': 20, 'capped.log': 20, 'unknown.log': 45, 'huge-cap.log': 45});
    expect(execFileSync('unzip', ['-t', zipPath], {encoding: 'utf8'})).toContain('No errors detected');
    expect([...(await readWithYauzl(zipPath)).keys()]).toHaveLength(5);
  });

  {
    it(`skips an input that cannot be opened, and never overwrites an existing file`, async () => {
      const folder = tempDir('parallel-skip');
      const zipPath = join(folder, 'out.zip');
      const written = await writeZip(zipPath, [{name: 'gone.txt', source: {kind: 'file', path: join(folder, 'missing.txt')}}, {name: 'ok.txt', source: {kind: 'bytes', data: 'ok'}}], {onEntryError: () => 'skip'});
      expect(written.skipped.map(skip => skip.name)).toEqual(['gone.txt']);
      expect([...(await readWithYauzl(zipPath)).keys()]).toEqual(['ok.txt']);
      await expect(writeZip(zipPath, [{name: 'x.txt', source: {kind: 'bytes', data: 'x'}}])).rejects.toThrow(/EEXIST|exists/);
      expect(existsSync(zipPath)).toBe(true);
      expect([...(await readWithYauzl(zipPath)).keys()]).toEqual(['ok.txt']);
    });

    it(`removes the partial ZIP on abort and on a failing input`, async () => {
      const folder = tempDir('parallel-abort');
      const controller = new AbortController();
      let chunks = 0;
      const endless = new Readable({
        read() {
          chunks++;
          if (chunks === 20) controller.abort();
          this.push(randomBytes(256 * 1024));
        },
      });
      await expect(writeZip(join(folder, 'a.zip'), [{name: 'endless.bin', source: {kind: 'stream', stream: () => endless}}], {signal: controller.signal})).rejects.toThrow(/Aborted/);
      const failing = new Readable({
        read() {
          this.destroy(new Error('EIO: i/o error (test)'));
        },
      });
      await expect(writeZip(join(folder, 'b.zip'), [{name: 'ok.txt', source: {kind: 'bytes', data: 'ok'}}, {name: 'bad.bin', source: {kind: 'stream', stream: () => failing}}])).rejects.toThrow(/EIO/);
      expect(readdirSync(folder)).toEqual([]);
    });
  }

  const mounts: string[] = [];
  afterAll(() => unmountAll(mounts));

  it('a full disk leaves no partial ZIP', async () => {
    const small = tempDir('parallel-tmpfs');
    const mounted = mountSmallTmpfs(small, '256k', mounts);
    if (mounted) {
      await expect(writeZip(join(small, 'full.zip'), [{name: 'r.bin', source: {kind: 'bytes', data: randomBytes(1024 * 1024)}, store: true}])).rejects.toThrow(/ENOSPC|no space/i);
      expect(readdirSync(small)).toEqual([]);
    } else {
      // No tmpfs (no privilege): a writer-side failure is simulated by an input that fails half-way.
      const failing = new Readable({
        read() {
          this.destroy(new Error('ENOSPC: no space left on device (simulated)'));
        },
      });
      await expect(writeZip(join(small, 'full.zip'), [{name: 'r.bin', source: {kind: 'stream', stream: () => failing}}])).rejects.toThrow(/no space/i);
      expect(readdirSync(small)).toEqual([]);
    }
  });
});
