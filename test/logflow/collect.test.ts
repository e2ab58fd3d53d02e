import {appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync, readdirSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {collectDelayVariable, collectWindow, outputDir, removeRunZip, testCollectDelayMs, windowFiles, zipPathFor} from '../../source/logflow/collect.js';
import {initialFlowState, type FlowState} from '../../source/logflow/machine.js';
import {listLogflowRuns, newRunId, writeRunRecord} from '../../source/logflow/runs.js';
import {snapshotRoles} from '../../source/logflow/snapshot.js';
import {readWithYauzl} from '../helpers/zip.js';

function setup() {
  const base = mkdtempSync(join(tmpdir(), 'logflow-collect-'));
  const logs = join(base, 'logs');
  mkdirSync(join(logs, 'sub'), {recursive: true});
  return {base, logs, stateDir: join(base, 'state')};
}

function stateFor(logs: string, runId = 'run-x'): FlowState {
  return {
    ...initialFlowState(runId, 1000, Date.now(), ['AntiSpam', 'DNS']),
    phase: 'collecting',
    roles: [{name: 'Gateway Ä 1', driver: 'script', location: logs, enable: ['x'], disable: ['y'], logging: 'off'}],
    startedAt: new Date().toISOString(),
    endedAt: new Date().toISOString(),
  };
}

describe('collecting exactly the window', () => {
  it('new files whole, old files only the appended bytes, untouched files not at all; names ASCII', async () => {
    const {logs, stateDir} = setup();
    writeFileSync(join(logs, 'old.log'), 'before\n');
    writeFileSync(join(logs, 'quiet.log'), 'never changes\n');
    const state = stateFor(logs);
    state.onSnapshot = await snapshotRoles(state.roles);
    appendFileSync(join(logs, 'old.log'), 'during 1\nduring 2\n');
    writeFileSync(join(logs, 'sub', 'new ü.log'), 'brand new\n');
    state.offSnapshot = await snapshotRoles(state.roles);
    appendFileSync(join(logs, 'old.log'), 'after the window\n');
    const result = await collectWindow(state, {stateDir, now: Date.now});
    expect(result.zipPath).toBe(join(stateDir, 'output', 'logflow-run-x.zip'));
    const zip = await readWithYauzl(result.zipPath);
    expect([...zip.keys()].sort()).toEqual(['Gateway_A_1/old.excerpt.log', 'Gateway_A_1/sub/new_u.log', 'manifest.json']);
    expect(zip.get('Gateway_A_1/old.excerpt.log')!.toString()).toBe('during 1\nduring 2\n');
    expect(zip.get('Gateway_A_1/sub/new_u.log')!.toString()).toBe('brand new\n');
    const manifest = JSON.parse(zip.get('manifest.json')!.toString());
    expect(manifest.files.map((file: {start: number; end: number; size: number}) => [file.start, file.end, file.size])).toEqual([
      [7, 25, 18],
      [0, 10, 10],
    ]);
    expect(manifest.protocols).toEqual(['AntiSpam', 'DNS']);
    // The gateway's files are untouched.
    expect(readFileSync(join(logs, 'old.log'), 'utf8')).toBe('before\nduring 1\nduring 2\nafter the window\n');
  });

  it('a file that keeps growing while it is zipped does not break the ZIP', async () => {
    const {logs, stateDir} = setup();
    const state = stateFor(logs);
    state.onSnapshot = await snapshotRoles(state.roles);
    writeFileSync(join(logs, 'busy.log'), 'x'.repeat(2_000_000));
    state.offSnapshot = await snapshotRoles(state.roles);
    let growing = true;
    const grow = (async () => {
      while (growing) {
        appendFileSync(join(logs, 'busy.log'), 'y'.repeat(65_536));
        await new Promise(resolve => setImmediate(resolve));
      }
    })();
    const result = await collectWindow(state, {stateDir, now: Date.now});
    growing = false;
    await grow;
    const zip = await readWithYauzl(result.zipPath);
    expect(zip.get('Gateway_A_1/busy.log')!.equals(Buffer.from('x'.repeat(2_000_000)))).toBe(true);
  });

  it('shrunk files are taken whole with a warning; vanished files are skipped with a warning', async () => {
    const {logs} = setup();
    writeFileSync(join(logs, 'rotated.log'), 'a long old content\n');
    writeFileSync(join(logs, 'gone.log'), 'old\n');
    const state = stateFor(logs);
    state.onSnapshot = await snapshotRoles(state.roles);
    truncateSync(join(logs, 'rotated.log'), 0);
    appendFileSync(join(logs, 'rotated.log'), 'new\n');
    appendFileSync(join(logs, 'gone.log'), 'more\n');
    state.offSnapshot = await snapshotRoles(state.roles);
    const warnings: string[] = [];
    const files = windowFiles(state, warnings);
    expect(files.map(file => [file.zipName, file.start, file.end])).toEqual([
      ['Gateway_A_1/gone.excerpt.log', 4, 9],
      ['Gateway_A_1/rotated.log', 0, 4],
    ]);
    expect(warnings.join()).toContain('shrank');
    rmSync(join(logs, 'gone.log'));
    const result = await collectWindow(state, {stateDir: join(logs, '..', 'st'), now: Date.now});
    expect(result.manifest.warnings.join()).toContain('could not be read');
    expect(result.manifest.files).toHaveLength(1);
  });

  it('an existing ZIP is never overwritten and a failed write leaves no partial file', async () => {
    const {logs, stateDir} = setup();
    const state = stateFor(logs, 'run-y');
    state.onSnapshot = {};
    writeFileSync(join(logs, 'a.log'), 'a\n');
    state.offSnapshot = await snapshotRoles(state.roles);
    mkdirSync(join(stateDir, 'output'), {recursive: true});
    writeFileSync(join(stateDir, 'output', 'logflow-run-y.zip'), 'someone else');
    await expect(collectWindow(state, {stateDir, now: Date.now})).rejects.toThrow();
    expect(readFileSync(join(stateDir, 'output', 'logflow-run-y.zip'), 'utf8')).toBe('someone else');
    const aborted = new AbortController();
    aborted.abort();
    const other = {...state, runId: 'run-z'};
    await expect(collectWindow(other, {stateDir, now: Date.now, signal: aborted.signal})).rejects.toThrow(/Aborted/);
    expect(existsSync(join(stateDir, 'output', 'logflow-run-z.zip'))).toBe(false);
    expect(readdirSync(join(stateDir, 'output'))).toEqual(['logflow-run-y.zip']);
  });
});

describe('run records', () => {
  it('lists runs newest first and skips damaged records', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'logflow-runs-'));
    expect(await listLogflowRuns(stateDir)).toEqual([]);
    const older = {id: newRunId(Date.parse('2026-01-01T10:00:00Z')), startedAt: '2026-01-01T10:00:00.000Z', endedAt: '2026-01-01T10:06:00.000Z', zipPath: '/a.zip', roles: ['GW'], protocols: ['DNS']};
    const newer = {...older, id: newRunId(Date.parse('2026-02-01T10:00:00Z')), startedAt: '2026-02-01T10:00:00.000Z'};
    await writeRunRecord(stateDir, older);
    await writeRunRecord(stateDir, newer);
    writeFileSync(join(stateDir, 'logflow', 'runs', 'broken.json'), '{');
    writeFileSync(join(stateDir, 'logflow', 'runs', 'bad-time.json'), JSON.stringify({...older, id: 'bad-time', startedAt: 'yesterday'}));
    writeFileSync(join(stateDir, 'logflow', 'runs', 'bad-roles.json'), JSON.stringify({...older, id: 'bad-roles', roles: [7]}));
    expect((await listLogflowRuns(stateDir)).map(run => run.id)).toEqual([newer.id, older.id]);
    expect(older.id).toMatch(/^20260101-100000-[0-9a-f]{4}$/);
  });
});

describe('the collector test hook and leftovers', () => {
  it('the slow-collection hook is off unless set, and bounded to 5 s per file', () => {
    expect(testCollectDelayMs({})).toBe(0);
    expect(testCollectDelayMs({[collectDelayVariable]: 'soon'})).toBe(0);
    expect(testCollectDelayMs({[collectDelayVariable]: '-5'})).toBe(0);
    expect(testCollectDelayMs({[collectDelayVariable]: '250'})).toBe(250);
    expect(testCollectDelayMs({[collectDelayVariable]: '9999999'})).toBe(5_000);
  });

  it("removeRunZip removes the run's ZIP and its temporary ZIPs, nothing of another run", async () => {
    const {stateDir} = setup();
    mkdirSync(outputDir(stateDir), {recursive: true});
    const mine = ['logflow-run-a.zip', '.logflow-run-a.zip.0a1b2c.partial', '.logflow-run-a.zip.ffee00.partial'];
    const others = ['logflow-run-b.zip', '.logflow-run-b.zip.0a1b2c.partial', 'logflow-run-a.zip.txt'];
    for (const name of [...mine, ...others]) writeFileSync(join(outputDir(stateDir), name), 'x');
    await removeRunZip(stateDir, 'run-a');
    expect(existsSync(zipPathFor(stateDir, 'run-a'))).toBe(false);
    expect(readdirSync(outputDir(stateDir)).sort()).toEqual([...others].sort());
  });
});
