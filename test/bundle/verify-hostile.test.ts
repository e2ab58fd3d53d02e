import {createHash} from 'node:crypto';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {crc32, deflateRawSync} from 'node:zlib';
import {describe, expect, it} from 'vitest';
import {main} from '../../source/cli.js';
import {captureIo} from '../helpers/capture.js';
import {tempDir} from './fixtures.js';

interface HandEntry {
  name: string;
  data: Buffer;
  /** Sizes the headers claim (default: the truth). */
  declaredSize?: number;
  declaredCrc?: number;
}

/** A ZIP written byte by byte (deflated entries, sizes in the headers), so it can lie. */
function handMadeZip(entries: readonly HandEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const compressed = deflateRawSync(entry.data);
    const crc = entry.declaredCrc ?? crc32(entry.data);
    const size = entry.declaredSize ?? entry.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const ok = Buffer.from('fine\n');

function manifestFor(listed: {path: string; data: Buffer; size?: number}[]): HandEntry {
  const manifest = {tool: {name: 'nsp-console', version: '0'}, created: '2026-12-01T00:00:00Z', host: 'h', nspVersion: '15', entries: listed.map(entry => ({path: entry.path, source: 'x', size: entry.size ?? entry.data.length, sha256: sha(entry.data), redactions: 0, truncated: false})), skipped: []};
  return {name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest))};
}

function writeZip(zip: Buffer): string {
  const path = join(tempDir('hostile-zip'), 'bundle.zip');
  writeFileSync(path, zip);
  return path;
}

async function verify(path: string): Promise<{code: number; stdout: string; stderr: string}> {
  const captured = captureIo();
  const code = await main(['bundle', 'verify', path], captured.io, {...process.env, NSP_ROOT: '', NSP_CONSOLE_STATE_DIR: ''});
  return {code, stdout: captured.stdout(), stderr: captured.stderr()};
}

const zeros = Buffer.alloc(64 * 1024 * 1024);

/** One hostile ZIP per line: what it holds, and the line verify must print for it. */
const hostile: [string, HandEntry[], RegExp][] = [
  ['duplicate entry names', [{name: 'a.txt', data: ok}, {name: 'a.txt', data: ok}, manifestFor([{path: 'a.txt', data: ok}])], /FAIL a\.txt: duplicate entry name/],
  ['names differing only in case (one file on Windows)', [{name: 'a.txt', data: ok}, {name: 'A.TXT', data: ok}, manifestFor([{path: 'a.txt', data: ok}, {path: 'A.TXT', data: ok}])], /FAIL A\.TXT: duplicate entry name/],
  ['a path going up', [{name: '../evil.txt', data: ok}, manifestFor([])], /FAIL \.\.\/evil\.txt: path goes up/],
  ['an absolute path', [{name: '/etc/evil', data: ok}, manifestFor([])], /FAIL \/etc\/evil: absolute path/],
  ['a drive letter', [{name: 'C:/evil.txt', data: ok}, manifestFor([])], /FAIL C:\/evil\.txt: absolute path/],
  ['a backslash', [{name: 'dir\\evil.txt', data: ok}, manifestFor([])], /FAIL dir\\evil\.txt: backslash in the path/],
  ['an entry the manifest does not list', [{name: 'a.txt', data: ok}, {name: 'extra.txt', data: ok}, manifestFor([{path: 'a.txt', data: ok}])], /FAIL extra\.txt: in the ZIP but not in the manifest/],
  ['a manifest entry missing from the ZIP', [manifestFor([{path: 'gone.txt', data: ok}])], /FAIL gone\.txt: missing from the ZIP/],
  ['a bomb that declares 5 bytes and inflates to 64 MB', [{name: 'bomb.txt', data: zeros, declaredSize: 5}, manifestFor([{path: 'bomb.txt', data: ok, size: 5}])], /FAIL bomb\.txt: .*(too many bytes|size)/i],
  ['a bomb whose declared size differs from the manifest', [{name: 'bomb.txt', data: zeros}, manifestFor([{path: 'bomb.txt', data: ok}])], /FAIL bomb\.txt: the ZIP declares 67108864 bytes, the manifest 5/],
  ['a damaged entry (CRC-32)', [{name: 'a.txt', data: ok, declaredCrc: 1234}, manifestFor([{path: 'a.txt', data: ok}])], /FAIL a\.txt: .*CRC-32/],
];

describe('bundle verify against hand-made hostile ZIPs', () => {
  for (const [label, entries, expected] of hostile) {
    it(`${label}: exit 1, naming the entry`, async () => {
      // The ZIP is made first: only what verify itself holds counts.
      const path = writeZip(handMadeZip(entries));
      const before = process.memoryUsage().rss;
      const result = await verify(path);
      expect(result.code, result.stdout + result.stderr).toBe(1);
      expect(result.stdout).toMatch(expected);
      // Bounded memory: a lying 64 MB entry is streamed, never held.
      const grown = process.memoryUsage().rss - before;
      expect(grown).toBeLessThan(48 * 1024 * 1024);
    });
  }

  it('a clean hand-made bundle passes (the table above is not failing for another reason)', async () => {
    const result = await verify(writeZip(handMadeZip([{name: 'a.txt', data: ok}, {name: 'logs/b.log', data: zeros.subarray(0, 1000)}, manifestFor([{path: 'a.txt', data: ok}, {path: 'logs/b.log', data: zeros.subarray(0, 1000)}])])));
    expect(result.stdout).toContain('OK: all 2 entries match');
    expect(result.code).toBe(0);
  });

  it('a manifest.json that declares more than it may be is refused unread (exit 3)', async () => {
    const result = await verify(writeZip(handMadeZip([{name: 'manifest.json', data: Buffer.from('{}'), declaredSize: 0xfffffff0}])));
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/manifest\.json cannot be read .*declares/);
  });
});
