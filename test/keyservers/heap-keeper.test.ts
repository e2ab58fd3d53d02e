import {describe, expect, it} from 'vitest';
import {createHeapKeeper, fullCollection} from '../../source/keyservers/heap-keeper.js';

const MB = 1024 * 1024;

describe('when a bulk run collects its garbage', () => {
  // [what, old-space sizes read at each look (MB), check every, growth (MB), collections expected, looks expected]
  const cases: [string, number[], number, number, number, number][] = [
    ['never while the old space stays within the growth', [10, 12, 17, 10], 1, 8, 0, 4],
    ['once it has grown by the growth since the first look', [10, 14, 18], 1, 8, 1, 4],
    ['measured again after each collection: growth counts from there', [10, 19, 11, 15, 20], 1, 8, 2, 7],
    ['looks only every n-th address', [10, 30], 3, 8, 1, 3],
  ];
  it.each(cases)('%s', (_what, sizes, checkEvery, growthMb, collectionsExpected, looksExpected) => {
    const read = [...sizes];
    let looks = 0;
    let collected = 0;
    // A collection brings the old space back to the floor: the next reading is the first of the table's next ones.
    const keeper = createHeapKeeper({
      checkEvery,
      growthBytes: growthMb * MB,
      oldSpaceUsed: () => {
        looks++;
        return (read.length > 1 ? read.shift()! : read[0]!) * MB;
      },
      collect: () => {
        collected++;
      },
    });
    for (let tick = 0; tick < sizes.length * checkEvery; tick++) keeper.tick();
    expect(collected).toBe(collectionsExpected);
    expect(keeper.collections).toBe(collectionsExpected);
    expect(looks).toBe(looksExpected);
  });

  it('counts no collection when none could be run', () => {
    let size = 0;
    const keeper = createHeapKeeper({checkEvery: 1, growthBytes: MB, oldSpaceUsed: () => (size += 2 * MB), collect: () => false});
    for (let tick = 0; tick < 5; tick++) keeper.tick();
    expect(keeper.collections).toBe(0);
  });

  it('runs a real full collection that frees what nobody holds, and leaves no gc() behind', () => {
    const collect = fullCollection();
    expect(collect).toBeTypeOf('function');
    expect((globalThis as {gc?: unknown}).gc).toBeUndefined();
    let held: object[] | undefined = Array.from({length: 200_000}, (_, index) => ({index, text: `value ${index}`}));
    collect!();
    collect!();
    const withGarbage = process.memoryUsage().heapUsed;
    expect(held.length).toBe(200_000);
    held = undefined;
    collect!();
    const after = process.memoryUsage().heapUsed;
    // 200,000 small objects and strings: well over 10 MB.
    expect(withGarbage - after).toBeGreaterThan(10 * MB);
    expect(held).toBeUndefined();
  });
});
