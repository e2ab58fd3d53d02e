import {describe, expect, it} from 'vitest';
import {durationWords, localTime} from '../source/local-time.js';

describe('times as the admin reads them', () => {
  it.each([
    ['2026-12-03T08:50:26.000Z', 'Europe/Berlin', false, '09:50:26 CET'],
    ['2026-07-03T08:50:26.000Z', 'Europe/Berlin', false, '10:50:26 CEST'],
    ['2026-12-03T08:50:26.000Z', 'UTC', true, '2026-12-03 08:50:26 UTC'],
    [undefined, 'UTC', false, '?'],
    ['not a time', 'UTC', false, '?'],
  ])('%s in %s', (iso, timeZone, withDate, expected) => {
    expect(localTime(iso, {timeZone, withDate})).toBe(expected);
  });

  it.each([
    [300_000, '5 min'],
    [90_000, '90 s'],
    [30_000, '30 s'],
    [5_400_000, '1 h 30 min'],
    [7_200_000, '2 h'],
  ])('%i ms is "%s"', (ms, words) => {
    expect(durationWords(ms)).toBe(words);
  });
});
