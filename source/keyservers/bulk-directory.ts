import type {Directory} from './catalogue.js';
import {parseDirectoryUrl} from './catalogue.js';
import type {BindCredentials} from './credentials.js';
import {extractCertificates} from './entry-certificates.js';
import {classifyError, DirectoryError, formatSeconds, type ClassifiedError} from './errors.js';
import {openSession, type LdapSession} from './ldap-session.js';
import {searchAddress, summarize, unlimitedBases, type AddressSearch, type DirectoryResult} from './lookup.js';

export interface PipelineOptions {
  /** Per address: connect, bind and search must fit in it (as for a single lookup). */
  timeoutMs: number;
  /** Searches in flight on this directory at once, over all its connections. */
  window: number;
  /** Connections opened to this directory (lazily, searches spread round-robin). */
  connections: number;
}

/** One connection slot; `generation` changes whenever its connection is thrown away. */
interface Line {
  session?: Promise<LdapSession>;
  generation: number;
}

const expired = Symbol('expired');

/**
 * One directory's share of a bulk run: up to `window` searches in flight at once over a few
 * shared connections (LDAP answers each request by its message id, so they need not wait for one
 * another). Every address keeps the single lookup's deadline. A connection that breaks, or whose
 * search outlives the deadline, is thrown away; the directory gets one fresh start, then counts as
 * unavailable for the rest of the run instead of being waited for a thousand times.
 */
export class DirectoryPipeline {
  down?: ClassifiedError;
  /** Most searches that were in flight at once (reported by the benchmark). */
  peakInFlight = 0;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly lines: Line[];
  private nextLine = 0;
  private bases?: Promise<string[]>;
  private retried = false;
  private everConnected = false;
  private readonly endpoint: {host: string; port: number; timeoutMs: number};

  constructor(
    readonly directory: Directory,
    private readonly credentials: BindCredentials,
    private readonly options: PipelineOptions,
  ) {
    const {host, port} = parseDirectoryUrl(directory.url);
    this.endpoint = {host, port, timeoutMs: options.timeoutMs};
    this.lines = Array.from({length: Math.max(1, options.connections)}, () => ({generation: 0}));
  }

  async lookup(address: string, now: Date): Promise<DirectoryResult> {
    if (this.credentials.kind === 'missing') return {...this.emptyResult(), status: 'needs-credentials', message: this.credentials.reason, elapsedMs: 0};
    if (this.down) return this.unavailable(0);
    await this.acquire();
    try {
      return await this.search(address, now);
    } finally {
      this.release();
    }
  }

  async close(): Promise<void> {
    await Promise.all(
      this.lines.map(line => {
        const session = line.session;
        line.session = undefined;
        return session?.then(opened => opened.close(), () => {});
      }),
    );
  }

  private async search(address: string, now: Date): Promise<DirectoryResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<typeof expired>(resolve => {
      timer = setTimeout(() => resolve(expired), this.options.timeoutMs);
    });
    try {
      for (;;) {
        if (this.down) return this.unavailable(elapsed());
        const line = this.lines[this.nextLine++ % this.lines.length]!;
        const generation = line.generation;
        const work = this.searchOn(line, address);
        try {
          const outcome = await Promise.race([work, deadline]);
          if (outcome === expired) {
            // Settles later when the thrown-away connection closes; nobody waits for it.
            work.catch(() => {});
            const error = new DirectoryError('timeout', `no complete answer within ${formatSeconds(this.options.timeoutMs)} (the deadline)`);
            this.fail(line, generation, {kind: error.kind, message: error.message});
            return {...this.emptyResult(), status: 'error', errorKind: 'timeout', message: error.message, elapsedMs: elapsed()};
          }
          const {certificates, skippedValues} = extractCertificates(outcome.entries, now);
          return {...summarize(this.directory, outcome.entries.length, certificates, outcome.truncated, skippedValues), elapsedMs: elapsed()};
        } catch (error) {
          const classified = classifyError(error, this.endpoint);
          // An LDAP result (no such base, size limit …) concerns this address; the connection is fine.
          if (typeof (error as {code?: unknown}).code === 'number' && !(error instanceof DirectoryError)) {
            return {...this.emptyResult(), status: 'error', errorKind: classified.kind, message: classified.message, elapsedMs: elapsed()};
          }
          this.fail(line, generation, classified);
        }
      }
    } finally {
      clearTimeout(timer);
    }
  }

  private async searchOn(line: Line, address: string): Promise<AddressSearch> {
    const session = await this.connect(line);
    const bases = this.directory.baseDn === null ? await (this.bases ??= unlimitedBases(session)) : undefined;
    return searchAddress(session, this.directory, address, bases);
  }

  private connect(line: Line): Promise<LdapSession> {
    line.session ??= openSession(this.directory, this.credentials, {timeoutMs: this.options.timeoutMs}).then(session => {
      this.everConnected = true;
      return session;
    });
    return line.session;
  }

  /** Throws a broken (or stuck) connection away once, however many searches saw it break. */
  private fail(line: Line, generation: number, error: ClassifiedError): void {
    if (generation !== line.generation) return;
    line.generation++;
    const broken = line.session;
    line.session = undefined;
    this.bases = undefined;
    void broken?.then(
      session => {
        session.destroy();
        return session.close();
      },
      () => {},
    );
    if (this.retried || !this.everConnected) this.down ??= error;
    else this.retried = true;
  }

  private acquire(): Promise<void> | void {
    if (this.inFlight < this.options.window) {
      this.inFlight++;
      this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
      return;
    }
    return new Promise(resolve => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next waiting search; inFlight stays the same.
    if (next) next();
    else this.inFlight--;
  }

  private unavailable(elapsedMs: number): DirectoryResult {
    return {...this.emptyResult(), status: 'error', errorKind: this.down!.kind, message: `${this.down!.message} (directory unavailable for this run)`, elapsedMs};
  }

  private emptyResult(): Omit<DirectoryResult, 'status' | 'message' | 'elapsedMs'> {
    return {id: this.directory.id, name: this.directory.name, url: this.directory.url, entries: 0, certificates: [], truncated: false, skippedValues: 0};
  }
}
