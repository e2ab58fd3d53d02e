import {cp, mkdtemp} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import {main} from '../../source/cli.js';
import {shippedSandboxDir} from '../../source/context.js';
import {captureIo} from '../helpers/capture.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `nsp-console <args>` in-process through main() (the same parsing, errors and exit codes).
 * `answer` is what the admin types at a prompt (stdin counts as a terminal then); without it,
 * stdin is not a terminal.
 */
export async function runCli(args: string[], options: {answer?: string} = {}): Promise<CliResult> {
  const captured = captureIo({stdin: Readable.from(options.answer === undefined ? [] : [options.answer]), stdinIsTTY: options.answer !== undefined});
  const code = await main(args, captured.io);
  return {code, stdout: captured.stdout(), stderr: captured.stderr()};
}

/** A fresh copy of the shipped sandbox (a data root) and a state dir. */
export async function freshRoot(): Promise<{root: string; stateDir: string}> {
  const base = await mkdtemp(join(tmpdir(), 'nsp-recipes-'));
  const root = join(base, 'root');
  await cp(shippedSandboxDir, root, {recursive: true});
  return {root, stateDir: join(base, 'state')};
}
