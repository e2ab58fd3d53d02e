import {chmod, readFile, writeFile} from 'node:fs/promises';
import {delimiter} from 'node:path';

/** Shared plumbing of the stand-ins for Windows tools: an executable script, PATH, the JSON-lines call record. */
export async function writeExecutable(path: string, source: string): Promise<void> {
  await writeFile(path, source);
  await chmod(path, 0o755);
}

/** Puts `dir` first on PATH; returns the function that puts PATH back. */
export function prependToPath(dir: string): () => void {
  const previous = process.env.PATH;
  process.env.PATH = `${dir}${delimiter}${previous ?? ''}`;
  return () => {
    process.env.PATH = previous;
  };
}

/** Every record a stub appended (one JSON object per line). */
export async function readJsonLines<T>(file: string): Promise<T[]> {
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter(line => line.length > 0)
    .map(line => JSON.parse(line) as T);
}
