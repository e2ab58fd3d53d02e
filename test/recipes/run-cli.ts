import {cp, mkdtemp} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {PassThrough, Readable} from 'node:stream';
import {main} from '../../source/cli.js';
import {shippedSandboxDir} from '../../source/context.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function collector(): {stream: PassThrough; text: () => string} {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', chunk => chunks.push(Buffer.from(chunk)));
  return {stream, text: () => Buffer.concat(chunks).toString('utf8')};
}

/**
 * Runs `nsp-console <args>` in-process through main() (the same parsing, errors and exit codes).
 * `answer` is what the admin types at a prompt (stdin counts as a terminal then); without it,
 * stdin is not a terminal.
 */
export async function runCli(args: string[], options: {answer?: string} = {}): Promise<CliResult> {
  const stdout = collector();
  const stderr = collector();
  const code = await main(args, {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin: Readable.from(options.answer === undefined ? [] : [options.answer]),
    isTTY: false,
    stdinIsTTY: options.answer !== undefined,
  });
  return {code, stdout: stdout.text(), stderr: stderr.text()};
}

/** A fresh copy of the shipped sandbox (a data root) and a state dir. */
export async function freshRoot(): Promise<{root: string; stateDir: string}> {
  const base = await mkdtemp(join(tmpdir(), 'nsp-recipes-'));
  const root = join(base, 'root');
  await cp(shippedSandboxDir, root, {recursive: true});
  return {root, stateDir: join(base, 'state')};
}
