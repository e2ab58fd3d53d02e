import type {Directory} from './catalogue.js';
import {parseDirectoryUrl} from './catalogue.js';
import type {BindCredentials} from './credentials.js';
import {extractCertificates} from './entry-certificates.js';
import {classifyError, DirectoryError, formatSeconds, type ClassifiedError} from './errors.js';
import {openSession, type LdapSession} from './ldap-session.js';
import {searchAddress, searchPlan, summarize, unlimitedBases, type AddressSearch, type DirectoryResult} from './lookup.js';
import {batchAttributeNames, matchKey, searchBatch, type BatchAnswer} from './batch-search.js';

export interface PipelineOptions {
  /** Per address: connect, bind and search must fit in it (as for a single lookup). */
  timeoutMs: number;
  /** Searches in flight on this directory at once, over all its connections. */
  window: number;
  /** Connections opened to this directory (lazily, searches spread round-robin). */
  connections: number;
  /** Addresses asked in one search (an OR of equality assertions) where the filter allows it; 1: one search each. */
  batch?: number;
}

/** An address waiting for its batch to be sent. */
interface Queued {
  address: string;
  now: Date;
  resolve: (result: DirectoryResult) => void;
  /** A failure that is not a lookup result (a bug) reaches the caller, as it would without batching. */
  reject: (error: unknown) => void;
}

/** What one request came to, before it is turned into the results of its address(es). */
type Attempt<T> = {kind: 'done'; value: T} | {kind: 'timeout'; message: string} | {kind: 'answer-error'; error: ClassifiedError} | {kind: 'down'};

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
  /** Addresses per search now: halved when a batch's answer is cut, 1 once batching cannot work here. */
  private batchSize: number;
  private readonly queue: Queued[] = [];
  private flushScheduled = false;
  /** True once a turn has passed since the last address was queued: a partial batch may go. */
  private partialAllowed = false;
  /** Searches sent, batches counted once (reported by the benchmark). */
  requests = 0;

  constructor(
    readonly directory: Directory,
    private readonly credentials: BindCredentials,
    private readonly options: PipelineOptions,
  ) {
    const {host, port} = parseDirectoryUrl(directory.url);
    this.endpoint = {host, port, timeoutMs: options.timeoutMs};
    this.lines = Array.from({length: Math.max(1, options.connections)}, () => ({generation: 0}));
    const batchable = batchAttributeNames(searchPlan(directory).equalityAttribute) !== undefined;
    this.batchSize = batchable ? Math.max(1, options.batch ?? 1) : 1;
  }

  /** Not async: the queued promise is handed on as it is (an async wrapper costs a promise and turns per address). */
  lookup(address: string, now: Date): Promise<DirectoryResult> {
    if (this.credentials.kind === 'missing') return Promise.resolve({...this.emptyResult(), status: 'needs-credentials', message: this.credentials.reason, elapsedMs: 0});
    if (this.down) return Promise.resolve(this.unavailable(0));
    if (this.batchSize > 1) return this.enqueue(address, now);
    return this.single(address, now);
  }

  private async single(address: string, now: Date): Promise<DirectoryResult> {
    if (this.down) return this.unavailable(0);
    await this.acquire();
    try {
      return await this.search(address, now);
    } finally {
      this.release();
    }
  }

  /**
   * Batches are formed when a slot of the window is free, at the size of that moment (so a cut
   * answer shrinks the batches still waiting). A partial batch waits one turn of the event loop
   * for more addresses (the caller queues its look-ahead in one go), then goes as it is.
   */
  private enqueue(address: string, now: Date): Promise<DirectoryResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({address, now, resolve, reject});
      this.partialAllowed = false;
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => {
          this.flushScheduled = false;
          this.partialAllowed = true;
          this.pump();
        });
      }
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0 && this.inFlight < this.options.window && this.waiting.length === 0) {
      if (this.queue.length < this.batchSize && !this.partialAllowed) return;
      this.inFlight++;
      this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
      void this.sendBatch(this.takeBatch());
    }
  }

  /** Up to batchSize queued addresses, in order, no two with one key (those wait for the next batch). */
  private takeBatch(): Queued[] {
    const batch: Queued[] = [];
    const keys = new Set<string>();
    for (let index = 0; index < this.queue.length && batch.length < this.batchSize; ) {
      const key = matchKey(this.queue[index]!.address);
      if (keys.has(key)) {
        index++;
        continue;
      }
      keys.add(key);
      batch.push(...this.queue.splice(index, 1));
    }
    return batch;
  }

  /** Runs in a slot of the window taken by pump(). */
  private async sendBatch(batch: Queued[]): Promise<void> {
    if (batch.length === 1 || this.batchSize === 1 || this.down) {
      this.release();
      this.oneByOne(batch);
      return;
    }
    const started = performance.now();
    this.requests++;
    let attempt: Attempt<BatchAnswer>;
    try {
      attempt = await this.attempt(line => this.searchBatchOn(line, batch.map(item => item.address)));
    } catch (error) {
      // attempt() classifies every failure; this only keeps a surprise from stranding the batch.
      attempt = {kind: 'answer-error', error: {kind: 'other', message: (error as Error).message}};
    }
    const elapsedMs = Math.round(performance.now() - started);
    if (attempt.kind === 'done' && attempt.value.kind === 'assigned') {
      this.release();
      const entries = attempt.value.entries;
      batch.forEach((item, index) => answer(item, () => this.found(entries[index]!, false, item.now, elapsedMs)));
      return;
    }
    if (attempt.kind === 'timeout' || attempt.kind === 'down') {
      this.release();
      for (const item of batch) answer(item, () => this.resultOf(attempt, item.now, elapsedMs));
      return;
    }
    // Not certain: these addresses are searched one by one, as without batching, before any new
    // batch (they queue for the slot this batch still holds), and later batches are smaller.
    if (attempt.kind === 'done' && attempt.value.kind === 'cut') this.batchSize = Math.max(1, Math.floor(this.batchSize / 2));
    else this.batchSize = 1;
    this.oneByOne(batch);
    this.release();
  }

  private oneByOne(batch: readonly Queued[]): void {
    for (const item of batch) this.single(item.address, item.now).then(item.resolve, item.reject);
  }

  private async searchBatchOn(line: Line, addresses: readonly string[]): Promise<BatchAnswer> {
    const session = await this.connect(line);
    const bases = this.directory.baseDn === null ? await (this.bases ??= unlimitedBases(session)) : [this.directory.baseDn];
    return searchBatch(session, this.directory, addresses, bases);
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
    this.requests++;
    const attempt = await this.attempt(line => this.searchOn(line, address));
    return this.resultOf(attempt, now, Math.round(performance.now() - started));
  }

  private resultOf(attempt: Attempt<AddressSearch>, now: Date, elapsedMs: number): DirectoryResult {
    switch (attempt.kind) {
      case 'done':
        return this.found(attempt.value.entries, attempt.value.truncated, now, elapsedMs);
      case 'timeout':
        return {...this.emptyResult(), status: 'error', errorKind: 'timeout', message: attempt.message, elapsedMs};
      case 'answer-error':
        return {...this.emptyResult(), status: 'error', errorKind: attempt.error.kind, message: attempt.error.message, elapsedMs};
      case 'down':
        return this.unavailable(elapsedMs);
    }
  }

  private found(entries: AddressSearch['entries'], truncated: boolean, now: Date, elapsedMs: number): DirectoryResult {
    const {certificates, skippedValues} = extractCertificates(entries, now);
    return summarize(this.directory, entries.length, certificates, truncated, skippedValues, elapsedMs);
  }

  /**
   * One request with the single lookup's deadline. A broken connection is thrown away and the
   * request tried on a fresh one (once per run, see fail); a deadline that passes throws the
   * connection away too, since its answer may still be coming.
   */
  private async attempt<T>(work: (line: Line) => Promise<T>): Promise<Attempt<T>> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<typeof expired>(resolve => {
      timer = setTimeout(() => resolve(expired), this.options.timeoutMs);
    });
    try {
      for (;;) {
        if (this.down) return {kind: 'down'};
        const line = this.lines[this.nextLine++ % this.lines.length]!;
        const generation = line.generation;
        const running = work(line);
        try {
          const outcome = await Promise.race([running, deadline]);
          if (outcome === expired) {
            // Settles later when the thrown-away connection closes; nobody waits for it.
            running.catch(() => {});
            const error = new DirectoryError('timeout', `no complete answer within ${formatSeconds(this.options.timeoutMs)} (the deadline)`);
            this.fail(line, generation, {kind: error.kind, message: error.message});
            return {kind: 'timeout', message: error.message};
          }
          return {kind: 'done', value: outcome as T};
        } catch (error) {
          const classified = classifyError(error, this.endpoint);
          // An LDAP result (no such base, size limit …) concerns this request; the connection is fine.
          if (typeof (error as {code?: unknown}).code === 'number' && !(error instanceof DirectoryError)) return {kind: 'answer-error', error: classified};
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
    else {
      this.inFlight--;
      this.pump();
    }
  }

  private unavailable(elapsedMs: number): DirectoryResult {
    return {...this.emptyResult(), status: 'error', errorKind: this.down!.kind, message: `${this.down!.message} (directory unavailable for this run)`, elapsedMs};
  }

  private emptyResult(): Omit<DirectoryResult, 'status' | 'message' | 'elapsedMs'> {
    return {id: this.directory.id, name: this.directory.name, url: this.directory.url, entries: 0, certificates: [], truncated: false, skippedValues: 0};
  }
}

/** Settles a queued address with what `work` gives, or with its failure: never left waiting. */
function answer(item: Queued, work: () => DirectoryResult): void {
  try {
    item.resolve(work());
  } catch (error) {
    item.reject(error);
  }
}
