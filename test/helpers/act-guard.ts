import {format} from 'node:util';
import {afterAll, afterEach} from 'vitest';

/**
 * React warns "An update to X inside a test was not wrapped in act(...)" when a state update lands
 * between act() scopes: the frame the test then reads may not show it yet. Such a warning is a test
 * that waits outside act (or a component that updates when it should not), so it fails the test it
 * happened in: the warning is still printed, and the test fails with where the update came from.
 */
const marker = 'not wrapped in act';
const seen: string[] = [];

const original = console.error.bind(console);
console.error = (...args: unknown[]) => {
  original(...args);
  const text = format(...args);
  if (!text.includes(marker)) return;
  // The caller's stack names the setState (or store notification) and the timer or I/O it came from.
  const frames = (new Error().stack ?? '').split('\n').slice(2).filter(frame => !frame.includes('node_modules') && !frame.includes('node:internal'));
  seen.push(`${text.split('\n')[0]}\n${frames.slice(0, 8).join('\n')}`);
};

function failOnWarnings(when: string): void {
  if (seen.length === 0) return;
  const warnings = seen.splice(0);
  throw new Error(`${warnings.length} React act() warning(s) ${when}:\n${warnings.join('\n---\n')}`);
}

// Registered in the setup file, so it runs after the test file's own afterEach (unmount, shutdown handlers).
afterEach(() => failOnWarnings('during this test'));
afterAll(() => failOnWarnings('after the last test of this file'));
