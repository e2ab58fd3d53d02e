import {describe, expect, it} from 'vitest';
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {detectDataFiles, detectNspVersion, parseRegQueryValue} from '../source/environment.js';
import {createArgvStub} from './harness/argv-stub.js';

const regOutput = '\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\NoSpamProxy\\Components\r\n    Intranet Role    REG_SZ    15.1.0.212\r\n\r\n';

describe('environment detection', () => {
  it('reads a value out of reg query output', () => {
    expect(parseRegQueryValue(regOutput, 'Intranet Role')).toBe('15.1.0.212');
    expect(parseRegQueryValue(regOutput, 'Gateway Role')).toBeUndefined();
  });

  it('asks the registry with reg query on Windows (a stub reg on PATH records its argv)', async () => {
    const stub = await createArgvStub({reg: []}, {'HKLM\\SOFTWARE\\NoSpamProxy\\Components\\Intranet Role': {type: 'REG_SZ', data: ['15.1.0.212']}});
    const restorePath = stub.activate();
    try {
      expect(await detectNspVersion({platform: 'win32'})).toBe('15.1.0.212');
    } finally {
      restorePath();
    }
    expect((await stub.calls('reg'))[0]!.argv.slice(0, 4)).toEqual(['query', 'HKLM\\SOFTWARE\\NoSpamProxy\\Components', '/v', 'Intranet Role']);
    await stub.cleanup();
  });

  it('says unknown off Windows and when reg is missing', async () => {
    expect(await detectNspVersion({platform: 'linux'})).toBe('unknown');
    const oldPath = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(await detectNspVersion({platform: 'win32'})).toBe('unknown');
    } finally {
      process.env.PATH = oldPath;
    }
  });

  it('reports which configuration files exist', () => {
    const root = mkdtempSync(join(tmpdir(), 'nsp-root-'));
    mkdirSync(join(root, 'CYREN'));
    writeFileSync(join(root, 'CYREN', 'ctasd.conf'), '');
    const files = detectDataFiles(root);
    expect(files.filter(file => file.exists).map(file => file.path)).toEqual(['CYREN/ctasd.conf']);
    expect(files).toHaveLength(5);
  });
});
