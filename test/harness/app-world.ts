// What the whole-console screen tests share: a key-server test world for the file's tests, the
// environment report they show, and a fresh copy of the demo sandbox per test.
import {cp, mkdir, mkdtemp} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll} from 'vitest';
import {shippedSandboxDir} from '../../source/context.js';
import type {EnvironmentReport} from '../../source/environment.js';
import {startTestWorld, type TestWorld} from './keyserver-world.js';

export const demoReport: EnvironmentReport = {root: '/demo', isDemo: true, stateDir: '/state', hostName: 'gw1', nspVersion: '14.0.5.39', files: []};

/** Starts a test world before the file's tests and stops it after; call at the top level of a test file. */
export function sharedTestWorld(): () => TestWorld {
  let world: TestWorld | undefined;
  beforeAll(async () => {
    world = await startTestWorld();
  }, 60_000);
  afterAll(async () => {
    await world?.stop();
  });
  return () => {
    if (!world) throw new Error('the test world is started in beforeAll');
    return world;
  };
}

/** A copy of the shipped sandbox as the data root, and an empty state dir (created when asked). */
export async function sandboxCopy(prefix: string, options: {createStateDir?: boolean} = {}): Promise<{base: string; root: string; stateDir: string}> {
  const base = await mkdtemp(join(tmpdir(), prefix));
  const root = join(base, 'root');
  await cp(shippedSandboxDir, root, {recursive: true});
  const stateDir = join(base, 'state');
  if (options.createStateDir) await mkdir(stateDir, {recursive: true});
  return {base, root, stateDir};
}
