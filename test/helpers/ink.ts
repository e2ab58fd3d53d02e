import {act} from 'react';
import type React from 'react';
import {render} from 'ink-testing-library';

export type Rendered = ReturnType<typeof render>;

/** Renders inside act() so effects have run when it returns. */
export async function renderScreen(element: React.ReactElement): Promise<Rendered> {
  let rendered!: Rendered;
  await act(async () => {
    rendered = render(element);
  });
  await settle();
  return rendered;
}

/** Lets queued keys (one per macrotask), promises and renders finish. */
export async function settle(rounds = 20): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    await act(async () => {
      await new Promise(resolve => setImmediate(resolve));
    });
  }
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
  ctrlC: '\u0003',
} as const;

/** Writes one chunk (possibly a burst of several keys) and waits until every key is applied. */
export async function press(rendered: Rendered, chunk: string, rounds?: number): Promise<void> {
  await act(async () => {
    rendered.stdin.write(chunk);
  });
  await settle(rounds ?? Math.max(20, chunk.length * 3));
}

/** Waits until the last frame contains the text (real I/O may take a moment), or fails with the frame. */
export async function waitForFrame(rendered: Rendered, text: string | RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = rendered.lastFrame() ?? '';
    if (typeof text === 'string' ? frame.includes(text) : text.test(frame)) return frame;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${String(text)} in frame:\n${frame}`);
    await act(async () => {
      await new Promise(resolve => setTimeout(resolve, 20));
    });
  }
}
