import {createInterface} from 'node:readline';
import type {CommandIo} from '../commands/types.js';
import {UsageError} from '../errors.js';

/**
 * Asks a yes/no question on the terminal. --yes answers it in advance; without a terminal on
 * stdin (scripts) and without --yes it is a usage error, so nothing changes unasked.
 */
export async function confirm(io: CommandIo, question: string, yes: boolean): Promise<boolean> {
  if (yes) return true;
  const stdinIsTTY = (io as CommandIo & {stdinIsTTY?: boolean}).stdinIsTTY;
  if (stdinIsTTY === false) throw new UsageError(`${question.replace(/\?$/, '')}: confirmation needed. Run it in a terminal, or add --yes.`);
  io.stdout.write(`${question} [y/N] `);
  const answer = await readLine(io.stdin);
  return /^\s*(y|yes|j|ja)\s*$/i.test(answer ?? '');
}

export function readLine(stream: NodeJS.ReadableStream): Promise<string | undefined> {
  return new Promise(resolve => {
    const lines = createInterface({input: stream, terminal: false});
    let done = false;
    const finish = (value: string | undefined) => {
      if (done) return;
      done = true;
      lines.close();
      resolve(value);
    };
    lines.once('line', line => finish(line));
    lines.once('close', () => finish(undefined));
  });
}

export function writeLines(stream: NodeJS.WritableStream, lines: readonly string[]): void {
  stream.write(`${lines.join('\n')}\n`);
}
