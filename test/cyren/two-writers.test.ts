import {cp, mkdtemp, readFile, readdir} from 'node:fs/promises';
import {existsSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {ensureBuilt, inBatches, runBuiltCli, type ProcessResult} from '../harness/cli-process.js';

const sandboxCyren = join(import.meta.dirname, '..', '..', 'examples', 'sandbox', 'CYREN');
const files = ['ctasd.conf', 'ctipd.conf', 'ctwsd.conf'];
const requests = [
  {server: 'a.example.com', port: '1111'},
  {server: 'b.example.com', port: '2222'},
];

beforeAll(() => ensureBuilt());

/** The active (uncommented) server and port of a CYREN file. */
function activeProxy(text: string): string {
  const server = /^[ \t]*ProxyServerAddress[ \t]*=[ \t]*(\S+)/m.exec(text)?.[1];
  const port = /^[ \t]*ProxyPort[ \t]*=[ \t]*(\S+)/m.exec(text)?.[1];
  return `${server}:${port}`;
}

function reportedBackups(result: ProcessResult): string[] {
  return [...result.stdout.matchAll(/\(backup: (.+?)\)$/gm)].map(match => match[1]!);
}

describe('two admins run "proxy set" on one data root at once (real processes of the built CLI)', () => {
  it('50 pairs: the files agree with exactly one request, every reported backup exists and is distinct, the loser says it wrote nothing', async () => {
    const outcomes = await inBatches(
      Array.from({length: 50}, (_v, index) => index),
      4,
      async index => {
        const base = await mkdtemp(join(tmpdir(), 'nsp-two-writers-'));
        const root = join(base, 'root');
        await cp(sandboxCyren, join(root, 'CYREN'), {recursive: true});
        // Most pairs may not wait (the one that finds the lock taken gives up); every fifth waits, so both write in turn.
        const env = {NSP_CONSOLE_LOCK_WAIT: index % 5 === 4 ? '60' : '0'};
        const results = await Promise.all(
          requests.map((request, which) =>
            runBuiltCli(['proxy', 'set', '--root', root, '--state-dir', join(base, `state-${which}`), '--server', request.server, '--port', request.port, '--yes', '--no-restart'], {env}),
          ),
        );
        const cyren = join(root, 'CYREN');
        const states = await Promise.all(files.map(async file => activeProxy(await readFile(join(cyren, file), 'utf8'))));
        const backups = results.flatMap(reportedBackups);
        const onDisk = (await readdir(cyren)).filter(name => name.endsWith('.nspbak')).map(name => join(cyren, name));
        const backupContents = await Promise.all(backups.map(async path => (existsSync(path) ? activeProxy(await readFile(path, 'utf8')) : 'missing')));
        return {results, states, backups, onDisk, backupContents, lockLeft: existsSync(join(root, '.nsp-console-writer.lock'))};
      },
    );
    let losers = 0;
    for (const {results, states, backups, onDisk, backupContents, lockLeft} of outcomes) {
      const codes = results.map(result => result.code);
      expect(codes.every(code => code === 0 || code === 3), JSON.stringify(results)).toBe(true);
      expect(codes).toContain(0);
      expect(lockLeft).toBe(false);
      // All three files say the same, and it is one of the two requests.
      expect(new Set(states).size).toBe(1);
      const finalState = states[0]!;
      expect(requests.map(request => `${request.server}:${request.port}`)).toContain(finalState);
      // Every reported backup exists, none is reported twice, none is left unreported.
      expect(backupContents).not.toContain('missing');
      expect(new Set(backups).size).toBe(backups.length);
      expect([...onDisk].sort()).toEqual([...backups].sort());
      const winners = results.filter(result => result.code === 0);
      if (winners.length === 1) {
        losers++;
        const loser = results.find(result => result.code === 3)!;
        expect(loser.stdout).not.toMatch(/^written/m);
        expect(loser.stderr).toMatch(/nothing was written/);
        expect(reportedBackups(loser)).toEqual([]);
        const winner = requests[results.indexOf(winners[0]!)]!;
        expect(finalState).toBe(`${winner.server}:${winner.port}`);
        expect(backupContents).toEqual(['undefined:undefined', 'undefined:undefined', 'undefined:undefined']);
      } else {
        // Both wrote, one after the other: the later one backed up exactly what the first wrote.
        expect(backups).toHaveLength(6);
        const firstState = backupContents.find(state => state !== 'undefined:undefined');
        expect(firstState).toBeDefined();
        expect(firstState).not.toBe(finalState);
      }
    }
    // Report how often the two really collided (both outcomes are checked above).
    console.log(`proxy set pairs: ${losers} of 50 had a loser (exit 3), ${50 - losers} wrote one after the other`);
  }, 300_000); // 100 real processes on a shared 2-core machine
});
