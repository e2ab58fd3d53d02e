import {join} from 'node:path';

/** The Gateway Role.config corpus. */
export const fixtureDir = join(import.meta.dirname, '..', 'fixtures', 'recipes');

/** True when `after` is `before` with `removed` replaced by `added` at exactly one place, everything else identical. */
export function isSingleSplice(before: string, after: string, removed: string, added: string): boolean {
  if (after.length - before.length !== added.length - removed.length) return false;
  for (let index = before.indexOf(removed); index >= 0; index = before.indexOf(removed, index + 1)) {
    if (after === before.slice(0, index) + added + before.slice(index + removed.length)) return true;
    if (index >= before.length) break;
  }
  return false;
}
