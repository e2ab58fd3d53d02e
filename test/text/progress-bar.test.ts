import {describe, expect, it} from 'vitest';
import {progressBar} from '../../source/progress-bar.js';
import {progressBar as logflowBar} from '../../source/logflow/format.js';

describe('the one progress bar', () => {
  it('draws [###---] in ASCII and [███░░░] otherwise, clamped, as wide as asked', () => {
    expect(progressBar(0.5, 10, true)).toBe('[#####-----]');
    expect(progressBar(0.5, 10, false)).toBe('[█████░░░░░]');
    expect(progressBar(2, 4, true)).toBe('[####]');
    expect(progressBar(Number.NaN, 4, false)).toBe('[░░░░]');
    // The log flow's countdown and zipping use the same one.
    expect(logflowBar).toBe(progressBar);
  });
});
