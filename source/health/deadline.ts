/**
 * Resolves with the probe's result, or with `onTimeout()` when the deadline passes first. The probe's
 * own commands carry the same deadline (and are killed by it); this only guarantees the view never
 * waits longer.
 */
export async function withDeadline<T>(work: Promise<T>, timeoutMs: number, onTimeout: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>(resolve => {
    timer = setTimeout(() => resolve(onTimeout()), timeoutMs);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
