import {cp, mkdtemp, readFile, readdir} from 'node:fs/promises';
import {existsSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {ensureBuilt, inBatches, runBuiltCli, type ProcessResult} from '../harness/cli-process.js';

const sandbox = join(import.meta.dirname, '..', '..', 'examples', 'sandbox');
const modes = ['enable', 'disable'] as const;

beforeAll(() => ensureBuilt());

function tunnelEnabled(text: string): boolean {
  return /isProxyTunnelEnabled="true"/i.test(text);
}

function reportedBackup(result: ProcessResult): string | undefined {
  return /Backup: (.+\.nspbak)$/m.exec(result.stdout)?.[1];
}

describe('"recipe tcp-tunnel enable" against "disable" on one data root at once (real processes, sandbox services restarted)', () => {
  it('50 pairs: the file holds one request, backups exist and are distinct, a loser says it wrote nothing', async () => {
    const outcomes = await inBatches(
      Array.from({length: 50}, (_v, index) => index),
      4,
      async index => {
        const base = await mkdtemp(join(tmpdir(), 'nsp-tunnel-two-'));
        const root = join(base, 'root');
        await cp(join(sandbox, 'Configuration'), join(root, 'Configuration'), {recursive: true});
        const env = {NSP_CONSOLE_LOCK_WAIT: index % 5 === 4 ? '60' : '0'};
        const results = await Promise.all(modes.map((mode, which) => runBuiltCli(['recipe', 'tcp-tunnel', mode, '--root', root, '--state-dir', join(base, `state-${which}`), '--yes'], {env})));
        const folder = join(root, 'Configuration');
        const enabled = tunnelEnabled(await readFile(join(folder, 'Gateway Role.config'), 'utf8'));
        const onDisk = (await readdir(folder)).filter(name => name.endsWith('.nspbak')).map(name => join(folder, name));
        const backups = results.map(reportedBackup);
        const backupStates = await Promise.all(backups.map(async path => (path === undefined ? undefined : existsSync(path) ? tunnelEnabled(await readFile(path, 'utf8')) : 'missing')));
        return {results, enabled, onDisk, backups, backupStates, lockLeft: existsSync(join(root, '.nsp-console-writer.lock'))};
      },
    );
    let losers = 0;
    for (const {results, enabled, onDisk, backups, backupStates, lockLeft} of outcomes) {
      const detail = JSON.stringify(results);
      const codes = results.map(result => result.code);
      expect(codes.every(code => code === 0 || code === 3), detail).toBe(true);
      expect(codes).toContain(0);
      expect(lockLeft).toBe(false);
      expect(backupStates).not.toContain('missing');
      const reported = backups.filter((path): path is string => path !== undefined);
      expect(new Set(reported).size).toBe(reported.length);
      expect([...onDisk].sort()).toEqual([...reported].sort());
      const loserIndex = codes.indexOf(3);
      if (loserIndex >= 0) {
        losers++;
        expect(results[loserIndex]!.stderr, detail).toMatch(/nothing was written/);
        expect(backups[loserIndex]).toBeUndefined();
        // The file holds the winner's request (the sandbox starts with the tunnel off).
        expect(enabled).toBe(modes[1 - loserIndex] === 'enable');
      } else if (reported.length === 2) {
        // enable wrote, then disable wrote over it (it backed up the enabled file).
        expect(backupStates).toEqual([false, true]);
        expect(enabled).toBe(false);
      } else {
        // disable found nothing to change, then enable wrote.
        expect(backups[0]).toBeDefined();
        expect(enabled).toBe(true);
      }
    }
    console.log(`tcp-tunnel pairs: ${losers} of 50 had a loser (exit 3), ${50 - losers} ran one after the other`);
  }, 300_000); // 100 real processes on a shared 2-core machine
});
