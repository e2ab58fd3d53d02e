import {mkdir, mkdtemp, readdir, rm, writeFile, appendFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {writeZip} from '../../source/archive/zip-writer.js';
import {windowFiles} from '../../source/logflow/collect.js';
import {deleteCreatedFiles, filesCreatedInWindow, verifiedInZip} from '../../source/logflow/cleanup.js';
import {offerCleanup} from '../../source/logflow/cleanup-offer.js';
import {isUncPath, measureLocation, sizeWarning, unreachableGuidance} from '../../source/logflow/location-reach.js';
import type {FlowState} from '../../source/logflow/machine.js';
import {snapshotLocation} from '../../source/logflow/snapshot.js';
import {captureIo} from '../helpers/capture.js';

let base: string;
let logs: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'nsp-cleanup-'));
  logs = join(base, 'Logs');
  await mkdir(logs);
});
afterEach(() => rm(base, {recursive: true, force: true}));

/** A finished run: old.log existed before (and grew), new-1.log and sub/new-2.log were created in the window. */
async function finishedRun(): Promise<FlowState> {
  await writeFile(join(logs, 'old.log'), 'before\n');
  const onSnapshot = {GW: await snapshotLocation(logs)};
  await appendFile(join(logs, 'old.log'), 'during\n');
  await writeFile(join(logs, 'new-1.log'), 'a'.repeat(300));
  await mkdir(join(logs, 'sub'));
  await writeFile(join(logs, 'sub', 'new-2.log'), 'b'.repeat(70));
  const offSnapshot = {GW: await snapshotLocation(logs)};
  const state = {runId: 'r1', phase: 'finished', roles: [{name: 'GW', driver: 'guided', location: logs, logging: 'off'}], protocols: ['smtp'], onSnapshot, offSnapshot} as unknown as FlowState;
  const zipPath = join(base, 'run.zip');
  const entries = windowFiles(state, []).map(file => ({name: file.zipName, source: {kind: 'file' as const, path: file.source, start: file.start, end: file.end}}));
  await writeZip(zipPath, entries);
  return {...state, zipPath, zipBytes: 1};
}

describe('deleting the log files a run created', () => {
  it('lists only files created in the window; never one that existed before', async () => {
    const state = await finishedRun();
    expect(filesCreatedInWindow(state).map(file => `${file.relative}:${file.size}`)).toEqual(['new-1.log:300', 'sub/new-2.log:70']);
    const {verified} = await verifiedInZip(state.zipPath!, filesCreatedInWindow(state), windowFiles(state, []));
    expect(verified).toHaveLength(2);
  });

  it('asks, deletes on y, and keeps old.log and a file that changed since the ZIP', async () => {
    const state = await finishedRun();
    await appendFile(join(logs, 'sub', 'new-2.log'), 'more');
    const {stdout, io} = captureIo({stdin: Readable.from([Buffer.from('y\n')])});
    (io as {stdinIsTTY?: boolean}).stdinIsTTY = true;
    const lines: string[] = [];
    await offerCleanup(io, state, line => lines.push(line));
    expect(lines.join('\n')).toMatch(/This run created 2 log files \(370 B\)/);
    expect(lines.join('\n')).toContain('Files that existed before the run are never deleted.');
    expect(stdout()).toContain('Delete these 2 files? [y/N]');
    expect(lines.join('\n')).toMatch(/Deleted 1 of 2\.\n {2}kept .*new-2\.log: changed since the ZIP was made/);
    expect((await readdir(logs)).sort()).toEqual(['old.log', 'sub']);
  });

  it('keeps everything without a terminal or without y', async () => {
    const state = await finishedRun();
    for (const [answer, tty] of [['y\n', false], ['n\n', true], ['\n', true]] as const) {
      const {io} = captureIo({stdin: Readable.from([Buffer.from(answer)])});
      (io as {stdinIsTTY?: boolean}).stdinIsTTY = tty;
      const lines: string[] = [];
      await offerCleanup(io, state, line => lines.push(line));
      expect(lines.at(-1)).toMatch(/^Kept/);
    }
    expect((await readdir(logs)).sort()).toEqual(['new-1.log', 'old.log', 'sub']);
  });

  it('refuses a file of the "on" snapshot even when asked to delete it, and offers nothing when the ZIP cannot be read', async () => {
    const state = await finishedRun();
    const [result] = await deleteCreatedFiles([{role: 'GW', path: join(logs, 'old.log'), relative: 'old.log', size: 14}], state);
    expect(result).toMatchObject({deleted: false, problem: 'existed before the run: never deleted'});
    await writeFile(state.zipPath!, 'not a zip');
    const lines: string[] = [];
    await offerCleanup(captureIo({stdin: Readable.from([Buffer.from('y\n')])}).io, state, line => lines.push(line));
    expect(lines.join('\n')).toMatch(/The log files are kept: the ZIP cannot be read back/);
    expect((await readdir(logs)).sort()).toEqual(['new-1.log', 'old.log', 'sub']);
  });
});

describe('log locations on other servers', () => {
  it('tells UNC paths, measures, and says unreachable (with what to do) instead of missing', async () => {
    expect(['\\\\gw2\\d$\\NSP-Logs', '//gw2/logs/x'].map(isUncPath)).toEqual([true, true]);
    expect(['D:\\NSP-Logs', '/var/log', '\\\\gw2'].map(isUncPath)).toEqual([false, false, false]);
    await writeFile(join(logs, 'a.log'), 'x'.repeat(10));
    expect(await measureLocation(logs)).toEqual({state: 'reachable', files: 1, bytes: 10});
    expect(await measureLocation(join(base, 'none'))).toEqual({state: 'missing'});
    // On this (non-Windows) machine a UNC path is never reachable: what matters is the word and the guidance.
    expect(await measureLocation('\\\\gw2\\d$\\NSP-Logs')).toMatchObject({state: 'unreachable'});
    expect(unreachableGuidance('\\\\gw2\\d$\\NSP-Logs').join(' ')).toMatch(/on gw2: share the log folder there .* port 445/);
    expect(sizeWarning(6 * 1024 ** 3)).toMatch(/holds 6 GB, more than 5 GB: logs are never deleted automatically/);
    expect(sizeWarning(1024)).toBeUndefined();
  });
});
