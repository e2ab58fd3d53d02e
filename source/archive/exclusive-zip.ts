import {randomBytes} from 'node:crypto';
import {rm} from 'node:fs/promises';
import {basename, dirname, join} from 'node:path';
import {OperationalError} from '../errors.js';
import {renameExclusive} from '../system/atomic-write.js';
import {writeZip, type WriteZipOptions, type WrittenZip, type ZipEntry} from './zip-writer.js';

/**
 * Two consoles writing ZIPs at once must not clobber each other or show a half-written file under
 * the final name: the ZIP is written to a unique temporary name in the output folder
 * (".<name>.<random>.partial", removed on failure), then moved to the final name only if no file
 * has that name yet. `names(n)` gives the n-th choice (1, 2, …); with `nextFree` a taken name
 * moves on to the next one ("-2"), otherwise a taken name is an error and nothing is overwritten.
 */
export async function writeZipExclusive(
  names: (attempt: number) => string,
  entries: readonly ZipEntry[],
  options: WriteZipOptions & {nextFree?: boolean} = {},
): Promise<WrittenZip> {
  const first = names(1);
  const temporary = join(dirname(first), `.${basename(first)}.${randomBytes(6).toString('hex')}.partial`);
  const written = await writeZip(temporary, entries, options);
  try {
    for (let attempt = 1; attempt <= 1000; attempt++) {
      const candidate = names(attempt);
      if (await renameExclusive(temporary, candidate)) return {...written, path: candidate};
      if (!options.nextFree) throw new OperationalError(`${candidate} exists already (another console wrote it meanwhile); nothing was overwritten.`);
    }
    throw new OperationalError(`No free name next to ${first}; nothing was written.`);
  } catch (error) {
    await rm(temporary, {force: true});
    throw error;
  }
}
