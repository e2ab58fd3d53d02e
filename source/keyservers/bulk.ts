import type {Directory} from './catalogue.js';
import {resolveCredentials} from './credentials.js';
import {DirectoryPipeline} from './bulk-directory.js';
import {createHeapKeeper} from './heap-keeper.js';
import {defaultTimeoutMs, type DirectoryResult} from './lookup.js';

/** Searches in flight per directory (measured: see docs/keyservers.md, "Bulk lookups"). */
export const defaultConcurrency = 8;
export const maxConcurrency = 256;
/**
 * Searches in flight per connection. OpenLDAP runs at most half its threads (8 by default) of one
 * connection's operations at once and defers the rest, logging a line for each: a wider window
 * gets another connection instead (up to maxConnections).
 */
export const perConnection = 8;
export const maxConnections = 4;
/**
 * Addresses asked in one search, (|(mail=a)(mail=b)…), where the directory's filter is a plain
 * (mail=%e): the directory's cost is mostly per request (see batch-search.ts and
 * docs/keyservers.md, "Performance"; 16 measured about a tenth faster than 8 end to end, 32 no
 * better). A directory whose size limit cuts a batch gets smaller ones (halved each time). Anything
 * uncertain falls back to one search per address.
 */
export const defaultBatch = 16;
export const maxBatch = 32;

export interface BulkOptions {
  timeoutMs?: number;
  /** Searches in flight at once on each directory (its window), spread over its connections. */
  concurrency?: number;
  /** Connections per directory (default: one per 8 searches of the window, at most 4). */
  connections?: number;
  /** Addresses per search where the filter allows it (default 16; 1: one search per address). */
  batch?: number;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  /**
   * Called in input order, once per address. Returning a promise (e.g. until stdout drains) holds
   * the run: no new address starts while too many wait to be reported.
   */
  onAddress?: (index: number, address: string, results: DirectoryResult[]) => void | Promise<void>;
}

export interface BulkSummary {
  addresses: number;
  withCertificate: number;
  /** Directories that failed for every address. */
  directoriesDown: string[];
  elapsedMs: number;
  /** Most searches in flight at once on any one directory. */
  peakInFlight: number;
  /** Searches sent to all directories together (a batch counts once). */
  requests: number;
}

/** Addresses started but not yet reported, at most: the bound that keeps memory flat (back-pressure). */
export function lookAhead(window: number, batch = 1): number {
  // Enough to keep every search of the window full twice over, batches included.
  return Math.max(64, window * 4, window * batch * 2);
}

/**
 * Looks up many addresses: every directory keeps `concurrency` searches in flight over its
 * connection(s), results come back in input order. At most a few windows' worth of addresses are
 * started ahead of the one being reported, so memory stays flat however long the list is.
 */
export async function bulkLookup(directories: readonly Directory[], addresses: readonly string[], options: BulkOptions = {}): Promise<BulkSummary> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const window = Math.max(1, Math.min(options.concurrency ?? defaultConcurrency, maxConcurrency));
  const connections = Math.max(1, Math.min(options.connections ?? Math.ceil(window / perConnection), maxConnections, window));
  const batch = Math.max(1, Math.min(options.batch ?? defaultBatch, maxBatch));
  const pipelines = directories.map(directory => new DirectoryPipeline(directory, resolveCredentials(directory, options.env), {timeoutMs, window, connections, batch}));
  const aheadLimit = lookAhead(window, batch);
  const pending: Promise<DirectoryResult[]>[] = [];
  let head = 0;
  let nextToStart = 0;
  let withCertificate = 0;
  const heap = createHeapKeeper();
  try {
    for (let index = 0; index < addresses.length; index++) {
      while (nextToStart < addresses.length && nextToStart - index < aheadLimit) {
        const address = addresses[nextToStart++]!;
        const now = options.now?.() ?? new Date();
        pending.push(Promise.all(pipelines.map(pipeline => pipeline.lookup(address, now))));
      }
      const results = await pending[head]!;
      // Drop the reference so a long run does not keep every result.
      pending[head++] = undefined as unknown as Promise<DirectoryResult[]>;
      if (head > aheadLimit) {
        pending.splice(0, head);
        head = 0;
      }
      if (results.some(result => result.certificates.length > 0)) withCertificate++;
      // Awaited only when it holds the run: an await of nothing still costs a turn per address.
      const held = options.onAddress?.(index, addresses[index]!, results);
      if (held) await held;
      heap.tick();
    }
  } finally {
    await Promise.all(pipelines.map(pipeline => pipeline.close()));
  }
  return {
    addresses: addresses.length,
    withCertificate,
    directoriesDown: pipelines.filter(pipeline => pipeline.down).map(pipeline => pipeline.directory.id),
    elapsedMs: Math.round(performance.now() - started),
    peakInFlight: Math.max(0, ...pipelines.map(pipeline => pipeline.peakInFlight)),
    requests: pipelines.reduce((sum, pipeline) => sum + pipeline.requests, 0),
  };
}
