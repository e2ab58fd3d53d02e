import {createHash} from 'node:crypto';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {appCacheRoot, appFolder, ensureExtracted, removeOtherVersions, type AppManifest} from '../../source/exe/app-cache.js';

const assets: Record<string, string> = {'package.json': '{"type":"module"}', 'dist/cli.js': 'export const main = 1;', 'dist/chunks/a.js': 'export {};'};
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const manifest: AppManifest = {version: '1.2.3', id: 'ab'.repeat(32), files: Object.entries(assets).map(([path, text]) => ({path, sha256: sha(text), size: Buffer.byteLength(text)}))};
const read = (path: string) => new TextEncoder().encode(assets[path]!);

let folder: string;
afterEach(() => {
  if (folder) rmSync(folder, {recursive: true, force: true});
});
const fresh = () => (folder = mkdtempSync(join(tmpdir(), 'nsp-app-cache-')));

describe('the exe\'s program files on disk', () => {
  it('lives in a versioned folder under %LOCALAPPDATA%\\nsp-console\\app', () => {
    expect(appCacheRoot({LOCALAPPDATA: '/L'})).toBe(join('/L', 'nsp-console', 'app'));
    expect(appCacheRoot({USERPROFILE: '/U'})).toBe(join('/U', 'AppData', 'Local', 'nsp-console', 'app'));
    expect(appFolder('/r', manifest)).toBe(join('/r', `1.2.3-${'ab'.repeat(8)}`));
  });

  it('writes every file once, then only checks them', () => {
    const target = join(fresh(), 'app');
    expect(ensureExtracted(target, manifest, read).written).toBe(3);
    expect(readFileSync(join(target, 'dist', 'chunks', 'a.js'), 'utf8')).toBe('export {};');
    expect(ensureExtracted(target, manifest, read).written).toBe(0);
  });

  // Each way a file on disk can differ from the exe's copy is one line: put back, or one clear error.
  const damage: [string, (path: string) => void, 'repaired' | RegExp][] = [
    ['changed content, same size', path => writeFileSync(path, 'export const main = 2;'), 'repaired'],
    ['other size', path => writeFileSync(path, 'x'), 'repaired'],
    ['removed', path => rmSync(path), 'repaired'],
    // A rename cannot replace a folder: an error naming it, never a wrong file imported.
    ['a folder in its place', path => (rmSync(path), mkdirSync(path)), /EISDIR|EPERM|ENOTEMPTY|EEXIST/],
  ];
  it.each(damage)('a file that was %s', (_case, harm, outcome) => {
    const target = join(fresh(), 'app');
    ensureExtracted(target, manifest, read);
    const cli = join(target, 'dist', 'cli.js');
    harm(cli);
    if (outcome === 'repaired') {
      expect(ensureExtracted(target, manifest, read).written).toBe(1);
      expect(readFileSync(cli, 'utf8')).toBe(assets['dist/cli.js']);
    } else {
      expect(() => ensureExtracted(target, manifest, read)).toThrow(outcome);
    }
  });

  it('refuses an exe whose embedded copy does not match its manifest', () => {
    const target = join(fresh(), 'app');
    expect(() => ensureExtracted(target, manifest, () => new TextEncoder().encode('tampered'))).toThrow(/the exe is damaged/);
    expect(existsSync(join(target, 'package.json'))).toBe(false);
  });

  it.each(['../evil.js', 'dist/../../evil.js', '/abs.js', 'C:\\x.js', 'dist//a.js'])('refuses the asset path %s', path => {
    const target = join(fresh(), 'app');
    const bad: AppManifest = {...manifest, files: [{path, sha256: sha('x'), size: 1}]};
    expect(() => ensureExtracted(target, bad, () => new TextEncoder().encode('x'))).toThrow(/bad asset path/);
  });

  it('removes the folders of other builds and keeps its own', () => {
    const root = fresh();
    for (const name of ['0.1.0-aaaa', '0.2.0-bbbb', 'keep']) mkdirSync(join(root, name, 'dist'), {recursive: true});
    writeFileSync(join(root, 'a-file'), '');
    expect(removeOtherVersions(root, join(root, 'keep')).sort()).toEqual([join(root, '0.1.0-aaaa'), join(root, '0.2.0-bbbb')]);
    expect(existsSync(join(root, 'keep'))).toBe(true);
    expect(existsSync(join(root, 'a-file'))).toBe(true);
  });
});
