import {EventEmitter} from 'node:events';
import {createKeyParser, isCtrlC, type Key} from '../../source/input/keys.js';

/** Where the bytes come from: process.stdin, or a test's fake terminal. */
export interface ByteSource extends EventEmitter {
  isTTY?: boolean;
  setRawMode?(enabled: boolean): unknown;
  setEncoding?(encoding: BufferEncoding): unknown;
  ref?(): unknown;
  unref?(): unknown;
  resume?(): unknown;
  pause?(): unknown;
}

/** How the boundary waits: the real clock in the console, a driven one in tests. */
export interface KeyScheduler {
  /** Runs fn soon (after the current task), or after delayMs. Returns a cancel function. */
  schedule(fn: () => void, delayMs?: number): () => void;
}

export const realScheduler: KeyScheduler = {
  schedule(fn, delayMs) {
    if (delayMs === undefined || delayMs <= 0) {
      const handle = setImmediate(fn);
      return () => clearImmediate(handle);
    }
    const handle = setTimeout(fn, delayMs);
    return () => clearTimeout(handle);
  },
};

/** How long a lone Esc waits for the rest of a sequence (Alt+x, an arrow cut between two reads). */
export const escapeDelayMs = 25;
/** Typed-ahead keys kept at most (a runaway paste without markers cannot grow memory without end). */
export const maxQueuedKeys = 4096;

/**
 * The one place keys enter the console. Handed to Ink as its stdin: it reads the terminal, parses
 * the bytes into keys and gives Ink one key at a time. The next key is given only after the key
 * router says the previous one has been handled and rendered (next()), so every component, Ink's
 * useInput and ink-select-input included, sees a burst ("2\raddress\r") as single keys, each
 * reaching the screen the previous key left on top.
 */
export class KeyStdin extends EventEmitter {
  readonly isTTY: boolean;
  private readonly parser = createKeyParser();
  private readonly queue: Key[] = [];
  private handed: string | undefined;
  private current: Key | undefined;
  private inFlight = false;
  private open = false;
  private attached = false;
  private cancelEscape: (() => void) | undefined;

  constructor(
    private readonly source: ByteSource,
    private readonly scheduler: KeyScheduler = realScheduler,
  ) {
    super();
    this.isTTY = source.isTTY ?? false;
  }

  // --- what Ink calls ---------------------------------------------------------------------------
  setRawMode(enabled: boolean): this {
    this.source.setRawMode?.(enabled);
    if (enabled && !this.attached) {
      this.attached = true;
      this.source.on('data', this.onData);
      this.source.resume?.();
      this.scheduler.schedule(() => this.pump());
    } else if (!enabled && this.attached) {
      this.attached = false;
      this.source.off('data', this.onData);
      this.source.pause?.();
    }
    return this;
  }
  setEncoding(): this {
    return this;
  }
  ref(): this {
    this.source.ref?.();
    return this;
  }
  unref(): this {
    this.source.unref?.();
    return this;
  }
  /** Ink reads after 'readable': the one key handed out, then null. */
  read(): string | null {
    const handed = this.handed;
    this.handed = undefined;
    return handed ?? null;
  }

  // --- what the key router calls ----------------------------------------------------------------
  /** The key Ink is delivering now. */
  currentKey(): Key | undefined {
    return this.current;
  }
  /** Someone listens (a key handler is registered and does not hold keys). */
  setOpen(open: boolean): void {
    this.open = open;
    if (open) this.scheduler.schedule(() => this.pump());
  }
  /** The previous key has been handled and rendered: the next may go. */
  next(): void {
    this.inFlight = false;
    this.current = undefined;
    this.scheduler.schedule(() => this.pump());
  }
  /** Keys typed ahead and not yet handed out (tests wait for 0). */
  waiting(): number {
    return this.queue.length + (this.inFlight ? 1 : 0) + (this.parser.pending() ? 1 : 0);
  }

  // --- inside -----------------------------------------------------------------------------------
  private readonly onData = (chunk: Buffer | string) => {
    this.cancelEscape?.();
    this.cancelEscape = undefined;
    this.enqueue(this.parser.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8')));
    if (this.parser.pending()) {
      this.cancelEscape = this.scheduler.schedule(() => {
        this.cancelEscape = undefined;
        this.enqueue(this.parser.flush());
      }, escapeDelayMs);
    }
  };

  private enqueue(keys: Key[]): void {
    for (const key of keys) {
      // Ctrl-C goes first and alone: whatever was typed ahead is dropped.
      if (isCtrlC(key)) this.queue.length = 0;
      if (this.queue.length < maxQueuedKeys) this.queue.push(key);
    }
    this.pump();
  }

  private pump(): void {
    if (this.inFlight || this.listenerCount('readable') === 0) return;
    // An escape sequence the console does not know is dropped here: never taken for Esc.
    while (this.queue[0]?.name === 'unknown') this.queue.shift();
    const key = this.queue[0];
    if (!key || (!this.open && !isCtrlC(key))) return;
    this.queue.shift();
    this.inFlight = true;
    this.current = key;
    this.handed = rawFor(key);
    this.emit('readable');
  }
}

/** What Ink gets for a key: its bytes, or a paste's text (Ink's useInput passes a paste as one input). */
function rawFor(key: Key): string {
  if (key.name === 'paste') return key.input.replace(/\n/g, '\r') || ' ';
  return key.sequence || key.input || ' ';
}
