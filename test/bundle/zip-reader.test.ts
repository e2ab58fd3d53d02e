import {execFileSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {createWriteStream, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {writeZip} from '../../source/archive/zip-writer.js';
import {readZipDirectory, readZipMember} from '../../source/bundle/zip-reader.js';
import {tempDir} from './fixtures.js';

function sampleFiles(folder: string): Record<string, Buffer> {
  const files: Record<string, Buffer> = {
    'a.txt': Buffer.from('hello world\n'.repeat(1000)),
    'empty.txt': Buffer.alloc(0),
    'sub/random.bin': randomBytes(300_000),
    'sub/deeper/log.log': Buffer.from(Array.from({length: 5000}, (_, index) => `2026-11-27 10:00:${String(index % 60).padStart(2, '0')} SMTP 250 OK id=${index}`).join('\r\n')),
  };
  for (const [name, bytes] of Object.entries(files)) {
    mkdirSync(join(folder, name, '..'), {recursive: true});
    writeFileSync(join(folder, name), bytes);
  }
  return files;
}

describe('our ZIP reader', () => {
  it('reads a ZIP made by Info-ZIP (deflated and stored entries)', async () => {
    const folder = tempDir('infozip');
    const files = sampleFiles(join(folder, 'in'));
    const zipPath = join(folder, 'info.zip');
    execFileSync('zip', ['-q', '-r', '-6', zipPath, '.'], {cwd: join(folder, 'in')});
    execFileSync('zip', ['-q', '-0', '-j', zipPath, join(folder, 'in', 'a.txt')], {cwd: folder});
    const members = await readZipDirectory(zipPath);
    for (const [name, bytes] of Object.entries(files)) {
      const member = members.find(candidate => candidate.name === name);
      expect(member, name).toBeDefined();
      expect(await readZipMember(zipPath, member!)).toEqual(bytes);
    }
    expect(members.some(member => member.method === 0)).toBe(true);
    expect(members.some(member => member.method === 8)).toBe(true);
  });

  it('reads a ZIP made by archiver through writeZip, with ZIP64 forced', async () => {
    const folder = tempDir('archiver');
    const files = sampleFiles(join(folder, 'in'));
    const plain = join(folder, 'plain.zip');
    await writeZip(plain, Object.keys(files).map(name => ({name, source: {kind: 'file', path: join(folder, 'in', name)}})));
    const {ZipArchive} = await import('archiver');
    const zip64 = join(folder, 'zip64.zip');
    await new Promise<void>((resolve, reject) => {
      const archive = new ZipArchive({forceZip64: true});
      const output = createWriteStream(zip64);
      output.on('close', () => resolve());
      archive.on('error', reject);
      archive.pipe(output);
      for (const [name, bytes] of Object.entries(files)) archive.append(bytes, {name});
      void archive.finalize();
    });
    for (const zipPath of [plain, zip64]) {
      const members = await readZipDirectory(zipPath);
      expect(members.map(member => member.name).sort()).toEqual(Object.keys(files).sort());
      for (const member of members) expect(await readZipMember(zipPath, member)).toEqual(files[member.name]);
    }
  });

  it('detects a damaged entry (CRC-32) and rejects a file that is no ZIP', async () => {
    const folder = tempDir('damaged');
    const zipPath = join(folder, 'd.zip');
    await writeZip(zipPath, [{name: 'x.bin', source: {kind: 'bytes', data: randomBytes(5000)}, store: true}]);
    const bytes = readFileSync(zipPath);
    bytes[100] = bytes[100]! ^ 0xff;
    writeFileSync(zipPath, bytes);
    const [member] = await readZipDirectory(zipPath);
    await expect(readZipMember(zipPath, member!)).rejects.toThrow(/CRC-32/);
    writeFileSync(join(folder, 'no.zip'), 'just text, no archive');
    await expect(readZipDirectory(join(folder, 'no.zip'))).rejects.toThrow(/not a readable ZIP/);
  });
});
