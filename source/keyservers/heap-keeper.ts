import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * Keeps a long bulk run's memory flat. Measured on 100,000 addresses: V8 lets promoted garbage
 * pile up in the old space to more than three times the live heap (13 MB live, 47 MB used) before
 * it collects, which put the run's peak RSS at 122 MiB. A full collection (about 10 ms here)
 * whenever the old space has grown by 8 MB since the last one holds it at 107 MiB; 4 MB gave
 * 105 MiB for more collections (see docs/keyservers.md, "Performance").
 */
export interface HeapKeeperOptions {
  /** Old-space growth that triggers a collection. */
  growthBytes?: number;
  /** Reported addresses between two looks at the heap (a look costs microseconds, not nothing). */
  checkEvery?: number;
  /** Injected by tests; by default the old space's used bytes and V8's full collection. */
  oldSpaceUsed?: () => number;
  /** Runs a collection; false when none could be run. */
  collect?: () => boolean | void;
}

export interface HeapKeeper {
  /** Called once per reported address. */
  tick(): void;
  /** Collections run so far. */
  readonly collections: number;
}

export const defaultGrowthBytes = 8 * 1024 * 1024;
export const defaultCheckEvery = 500;

export function createHeapKeeper(options: HeapKeeperOptions = {}): HeapKeeper {
  const growthBytes = options.growthBytes ?? defaultGrowthBytes;
  const checkEvery = Math.max(1, options.checkEvery ?? defaultCheckEvery);
  const oldSpaceUsed = options.oldSpaceUsed ?? readOldSpaceUsed;
  // V8's collection is fetched when first needed: a short run never makes the context it takes.
  const collect =
    options.collect ??
    (() => {
      const gc = fullCollection();
      gc?.();
      return gc !== undefined;
    });
  let ticks = 0;
  let collections = 0;
  let floor: number | undefined;
  return {
    tick() {
      if (++ticks % checkEvery !== 0) return;
      const used = oldSpaceUsed();
      floor ??= used;
      if (used - floor < growthBytes) return;
      if (collect() !== false) collections++;
      floor = oldSpaceUsed();
    },
    get collections() {
      return collections;
    },
  };
}

function readOldSpaceUsed(): number {
  return v8.getHeapSpaceStatistics().find(space => space.space_name === 'old_space')?.space_used_size ?? 0;
}

let cachedCollection: (() => void) | null | undefined;

/**
 * V8's own full collection, or undefined where it cannot be had. Node's documented way: the flag
 * exposes `gc` to contexts made while it is set; it is unset at once, so no other code sees it.
 */
export function fullCollection(): (() => void) | undefined {
  if (cachedCollection !== undefined) return cachedCollection ?? undefined;
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc: unknown = vm.runInNewContext('gc');
    cachedCollection = typeof gc === 'function' ? () => (gc as () => void)() : null;
  } catch {
    cachedCollection = null;
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
  return cachedCollection ?? undefined;
}
