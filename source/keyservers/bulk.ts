import type {Directory} from './catalogue.js';
import {parseDirectoryUrl} from './catalogue.js';
import {resolveCredentials, type BindCredentials} from './credentials.js';
import {extractCertificates} from './entry-certificates.js';
import {classifyError, DirectoryError, type ClassifiedError} from './errors.js';
import {openSession, type LdapSession} from './ldap-session.js';
import {defaultTimeoutMs, searchAddress, summarize, unlimitedBases, type DirectoryResult} from './lookup.js';

export const defaultConcurrency = 16;

export interface BulkOptions {
  timeoutMs?: number;
  /** Addresses in flight at once (each asks every directory over that directory's one connection). */
  concurrency?: number;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  /** Called in input order, once per address. */
  onAddress?: (index: number, address: string, results: DirectoryResult[]) => void;
}

export interface BulkSummary {
  addresses: number;
  withCertificate: number;
  /** Directories that failed for every address. */
  directoriesDown: string[];
  elapsedMs: number;
}

/**
 * Looks up many addresses with one connection per directory, reused for all of them (LDAP lets
 * several searches share a connection). A directory whose connection fails is retried once, then
 * reported down for the remaining addresses instead of being waited for a thousand times.
 */
export async function bulkLookup(directories: readonly Directory[], addresses: readonly string[], options: BulkOptions = {}): Promise<BulkSummary> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const connections = directories.map(directory => new DirectoryConnection(directory, resolveCredentials(directory, options.env), timeoutMs));
  const concurrency = Math.max(1, Math.min(options.concurrency ?? defaultConcurrency, addresses.length));
  const pending = new Map<number, DirectoryResult[]>();
  let nextToEmit = 0;
  let nextToStart = 0;
  let withCertificate = 0;
  const emit = () => {
    while (pending.has(nextToEmit)) {
      const results = pending.get(nextToEmit)!;
      pending.delete(nextToEmit);
      if (results.some(result => result.certificates.length > 0)) withCertificate++;
      options.onAddress?.(nextToEmit, addresses[nextToEmit]!, results);
      nextToEmit++;
    }
  };
  const worker = async () => {
    while (nextToStart < addresses.length) {
      const index = nextToStart++;
      const address = addresses[index]!;
      pending.set(index, await Promise.all(connections.map(connection => connection.lookup(address, options.now?.() ?? new Date()))));
      emit();
    }
  };
  try {
    await Promise.all(Array.from({length: concurrency}, worker));
  } finally {
    await Promise.all(connections.map(connection => connection.close()));
  }
  return {
    addresses: addresses.length,
    withCertificate,
    directoriesDown: connections.filter(connection => connection.down).map(connection => connection.directory.id),
    elapsedMs: Math.round(performance.now() - started),
  };
}

class DirectoryConnection {
  down?: ClassifiedError;
  private session?: Promise<LdapSession>;
  private bases?: Promise<string[]>;
  private generation = 0;
  private retried = false;
  private readonly endpoint: {host: string; port: number; timeoutMs: number};

  constructor(
    readonly directory: Directory,
    private readonly credentials: BindCredentials,
    private readonly timeoutMs: number,
  ) {
    const {host, port} = parseDirectoryUrl(directory.url);
    this.endpoint = {host, port, timeoutMs};
  }

  async lookup(address: string, now: Date): Promise<DirectoryResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const base = {id: this.directory.id, name: this.directory.name, url: this.directory.url, entries: 0, certificates: [], truncated: false, skippedValues: 0};
    if (this.credentials.kind === 'missing') return {...base, status: 'needs-credentials', message: this.credentials.reason, elapsedMs: 0};
    for (;;) {
      if (this.down) return {...base, status: 'error', errorKind: this.down.kind, message: `${this.down.message} (directory unavailable for this run)`, elapsedMs: elapsed()};
      const generation = this.generation;
      try {
        const session = await this.connect();
        const bases = this.directory.baseDn === null ? await (this.bases ??= unlimitedBases(session)) : undefined;
        const {entries, truncated} = await searchAddress(session, this.directory, address, bases);
        const {certificates, skippedValues} = extractCertificates(entries, now);
        return {...summarize(this.directory, entries.length, certificates, truncated, skippedValues), elapsedMs: elapsed()};
      } catch (error) {
        const classified = classifyError(error, this.endpoint);
        // An LDAP result (no such base, size limit …) concerns this address; the connection is fine.
        if (typeof (error as {code?: unknown}).code === 'number' && !(error instanceof DirectoryError)) {
          return {...base, status: 'error', errorKind: classified.kind, message: classified.message, elapsedMs: elapsed()};
        }
        this.drop(generation);
        if (this.retried || this.neverConnected) this.down ??= classified;
        else this.retried = true;
      }
    }
  }

  private neverConnected = true;

  private connect(): Promise<LdapSession> {
    this.session ??= openSession(this.directory, this.credentials, {timeoutMs: this.timeoutMs}).then(session => {
      this.neverConnected = false;
      return session;
    });
    return this.session;
  }

  /** Forgets a broken connection once, however many lookups saw it break. */
  private drop(generation: number): void {
    if (generation !== this.generation) return;
    this.generation++;
    const broken = this.session;
    this.session = undefined;
    this.bases = undefined;
    void broken?.then(session => session.close(), () => {});
  }

  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    await session?.then(opened => opened.close(), () => {});
  }
}
