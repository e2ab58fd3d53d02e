import {mkdtemp, readdir} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {writeZipExclusive} from '../../source/archive/exclusive-zip.js';
import type {ZipEntry} from '../../source/archive/zip-writer.js';

const entries = (text: string): ZipEntry[] => [{name: 'note.txt', source: {kind: 'bytes', data: Buffer.from(text)}}];

describe('ZIP output when several consoles write at once', () => {
  it('default names: every writer keeps its own file (name, -2, -3 …), no partial file is left', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'nsp-zip-excl-'));
    const name = (attempt: number) => join(folder, attempt === 1 ? 'bundle.zip' : `bundle-${attempt}.zip`);
    const written = await Promise.all(Array.from({length: 8}, (_v, index) => writeZipExclusive(name, entries(`writer ${index}`), {nextFree: true})));
    expect(new Set(written.map(result => result.path)).size).toBe(8);
    expect((await readdir(folder)).sort()).toEqual(['bundle-2.zip', 'bundle-3.zip', 'bundle-4.zip', 'bundle-5.zip', 'bundle-6.zip', 'bundle-7.zip', 'bundle-8.zip', 'bundle.zip']);
  });

  it('a fixed name (--out, a log-flow run): one writer gets it, the others fail and overwrite nothing', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'nsp-zip-excl-'));
    const results = await Promise.allSettled(Array.from({length: 6}, (_v, index) => writeZipExclusive(() => join(folder, 'out.zip'), entries(`writer ${index}`))));
    expect(results.filter(result => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results.filter(result => result.status === 'rejected')) expect(String((result as PromiseRejectedResult).reason)).toMatch(/exists already.*nothing was overwritten/);
    expect(await readdir(folder)).toEqual(['out.zip']);
  });
});
