import {randomBytes} from 'node:crypto';
import {rm} from 'node:fs/promises';
import {join} from 'node:path';
import type {ConsoleContext} from '../context.js';
import {collectItems, type Collected} from './items.js';
import type {BundleLimits, BundleRequest} from './types.js';
import {writeBundle, type BundleProgress, type WrittenBundle} from './write.js';

/** Temporary exports (event log) live here until the bundle is written, then go. */
export function newWorkFolder(stateDir: string): string {
  return join(stateDir, 'tmp', `bundle-${randomBytes(4).toString('hex')}`);
}

/** Temporary files (event-log export) go once the bundle is written or the screen is left. */
export async function removeWorkFolder(folder: string): Promise<void> {
  await rm(folder, {recursive: true, force: true});
}

export interface CreateOptions {
  out?: string;
  limits?: BundleLimits;
  signal?: AbortSignal;
  onProgress?: (progress: BundleProgress) => void;
  onCollected?: (collected: Collected) => void;
  /** zlib level 0-9 (default 6). */
  level?: number;
}

/** Collect, then write; temporary files are removed whatever happens. */
export async function createBundle(context: ConsoleContext, request: BundleRequest, options: CreateOptions = {}): Promise<{collected: Collected; written: WrittenBundle}> {
  const workFolder = newWorkFolder(context.stateDir);
  try {
    const collected = await collectItems(context, request, {workFolder});
    options.onCollected?.(collected);
    const written = await writeBundle(context, collected.items, {out: options.out, nspVersion: collected.nspVersion, limits: options.limits, signal: options.signal, onProgress: options.onProgress, level: options.level});
    return {collected, written};
  } finally {
    await removeWorkFolder(workFolder);
  }
}

export function emptyRequest(): BundleRequest {
  return {messageTracks: [], queueFiles: [], attachments: [], skip: []};
}
