import {EventEmitter} from 'node:events';
import {act} from 'react';
import type React from 'react';
import {render} from 'ink';
import {KeyStdin, type KeyScheduler} from '../../components/input/key-stdin.js';

/** A terminal for screen tests: 100 columns (tests may change columns/rows and emit 'resize'). */
class FakeStdout extends EventEmitter {
  columns = 100;
  rows: number | undefined;
  readonly frames: string[] = [];
  private last: string | undefined;
  write = (frame: string) => {
    this.frames.push(frame);
    this.last = frame;
    return true;
  };
  lastFrame = () => this.last;
  /** A resize is a terminal event like a key: React sees its updates inside act(). */
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event !== 'resize') return super.emit(event, ...args);
    let result = false;
    act(() => {
      result = super.emit(event, ...args);
    });
    return result;
  }
}

/** The keyboard side of the fake terminal: write() is what the user types (one chunk = one read). */
class FakeTerminalInput extends EventEmitter {
  isTTY = true;
  write(chunk: string): void {
    this.emit('data', chunk);
  }
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

/**
 * The key boundary's waits, driven by the tests instead of the clock: every step runs inside act(),
 * so React sees each key's updates in scope (no act() warning is silenced anywhere).
 */
class DrivenScheduler implements KeyScheduler {
  private tasks: {fn: () => void; dueMs: number; cancelled: boolean}[] = [];
  private nowMs = 0;
  schedule(fn: () => void, delayMs = 0): () => void {
    const task = {fn, dueMs: this.nowMs + Math.max(0, delayMs), cancelled: false};
    this.tasks.push(task);
    return () => {
      task.cancelled = true;
    };
  }
  /** Takes the next due task; when none is due, moves the clock to the earliest one. */
  take(): (() => void) | undefined {
    this.tasks = this.tasks.filter(task => !task.cancelled);
    if (this.tasks.length === 0) return undefined;
    const earliest = Math.min(...this.tasks.map(task => task.dueMs));
    if (earliest > this.nowMs) this.nowMs = earliest;
    const index = this.tasks.findIndex(task => task.dueMs <= this.nowMs);
    const [task] = this.tasks.splice(index, 1);
    return task!.fn;
  }
}

export interface Rendered {
  stdin: {write: (chunk: string) => void};
  stdout: FakeStdout;
  frames: string[];
  lastFrame: () => string | undefined;
  rerender: (element: React.ReactElement) => void;
  unmount: () => void;
  cleanup: () => void;
  /** Runs the key boundary until every typed key is handled (or nobody listens for the rest). */
  drive: () => Promise<void>;
}

/** Renders the way the console does (the KeyStdin boundary in front of Ink), inside act(). */
export async function renderScreen(element: React.ReactElement): Promise<Rendered> {
  const stdout = new FakeStdout();
  const stderr = new FakeStdout();
  const terminal = new FakeTerminalInput();
  const scheduler = new DrivenScheduler();
  const keyStdin = new KeyStdin(terminal, scheduler);
  let instance!: ReturnType<typeof render>;
  await act(async () => {
    instance = render(element, {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stderr: stderr as unknown as NodeJS.WriteStream,
      stdin: keyStdin as unknown as NodeJS.ReadStream,
      debug: true,
      exitOnCtrlC: false,
      patchConsole: false,
    });
  });
  const drive = async () => {
    for (let step = 0; step < 100_000; step++) {
      const task = scheduler.take();
      if (!task) return;
      await act(async () => {
        task();
        // Ink hands a lone Esc on after a setImmediate of its own; let it happen in this scope.
        await new Promise(resolve => setImmediate(resolve));
      });
    }
    throw new Error('The key boundary did not come to rest');
  };
  const rendered: Rendered = {
    stdin: {write: chunk => terminal.write(chunk)},
    stdout,
    frames: stdout.frames,
    lastFrame: stdout.lastFrame,
    rerender: next => instance.rerender(next),
    unmount: () => {
      live.delete(rendered);
      act(() => instance.unmount());
    },
    cleanup: () => instance.cleanup(),
    drive,
  };
  live.add(rendered);
  await settle();
  return rendered;
}

/** Rendered screens not yet unmounted: settle() drives their keys. */
const live = new Set<Rendered>();

async function driveAll(): Promise<void> {
  for (const rendered of live) await rendered.drive();
}

/** Lets queued keys, promises and renders finish. */
export async function settle(rounds = 20): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    await driveAll();
    await act(async () => {
      await new Promise(resolve => setImmediate(resolve));
    });
  }
  await driveAll();
}

export const keys = {
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  enter: '\r',
  escape: '\u001B',
  backspace: '\u007F',
  tab: '\t',
  shiftTab: '\u001B[Z',
  f1: '\u001BOP',
  ctrlC: '\u0003',
  pasteStart: '\u001B[200~',
  pasteEnd: '\u001B[201~',
} as const;

/** Writes one chunk (one read of the terminal: possibly a burst of several keys) and waits until every key is applied. */
export async function press(rendered: Rendered, chunk: string, rounds?: number): Promise<void> {
  await act(async () => {
    rendered.stdin.write(chunk);
  });
  await settle(Math.min(rounds ?? 20, 40));
}

/**
 * Real asynchronous work of a test while a screen is shown (shutdown handlers, reading what the
 * screen's work wrote): it runs inside act, so the screen's own updates meanwhile (timers, file I/O)
 * are applied in scope instead of landing between two act() scopes.
 */
export async function inAct<T>(work: () => Promise<T>): Promise<T> {
  let result!: T;
  await act(async () => {
    result = await work();
  });
  return result;
}

/**
 * Polls check (real I/O allowed) inside act until it gives a value (not undefined, null or false),
 * or fails after the deadline; keys typed into shown screens keep being driven meanwhile.
 */
export async function waitUntil<T>(check: () => Promise<T | undefined | null | false> | T | undefined | null | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await driveAll();
    let value: T | undefined | null | false;
    await act(async () => {
      value = await check();
      if (value === undefined || value === null || value === false) await new Promise(resolve => setTimeout(resolve, 20));
    });
    if (value !== undefined && value !== null && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
  }
}

/** Waits until the last frame contains the text (real I/O may take a moment), or fails with the frame. */
export async function waitForFrame(rendered: Rendered, text: string | RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await rendered.drive();
    const frame = rendered.lastFrame() ?? '';
    if (typeof text === 'string' ? frame.includes(text) : text.test(frame)) return frame;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${String(text)} in frame:\n${frame}`);
    await act(async () => {
      await new Promise(resolve => setTimeout(resolve, 20));
    });
  }
}
