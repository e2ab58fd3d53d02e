import {rmSync} from 'node:fs';
import {afterEach, beforeAll, expect} from 'vitest';
import {ensureBuilt} from './build.js';
import type {TmuxSession} from './tmux.js';

/**
 * For a test file that drives the built console in tmux, one session and one throw-away state dir
 * at a time: builds once, then after each test kills the session and removes the state dir.
 */
export function consoleInTmuxPerTest(session: () => TmuxSession | undefined, stateDir: () => string | undefined): void {
  beforeAll(() => ensureBuilt());
  afterEach(() => {
    session()?.kill();
    const folder = stateDir();
    // The console may still be closing files on a slow machine.
    if (folder) rmSync(folder, {recursive: true, force: true, maxRetries: 10, retryDelay: 200});
  });
}

/** A frame within the terminal: at most `rows` lines, none wider than `columns` characters. */
export function expectFrameWithin(screen: string, columns: number, rows: number): void {
  const lines = screen.replace(/\n+$/, '').split('\n');
  expect(lines.length, screen).toBeLessThanOrEqual(rows);
  for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(columns);
}
