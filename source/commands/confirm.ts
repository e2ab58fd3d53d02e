import {createInterface} from 'node:readline';
import {UsageError} from '../errors.js';
import type {CommandIo} from './types.js';

/** main() says whether stdin is a terminal (stdinIsTTY); callers that do not (tests calling a command directly) are judged by the stream. */
export function stdinIsTerminal(io: CommandIo): boolean {
  const told = (io as CommandIo & {stdinIsTTY?: boolean}).stdinIsTTY;
  return told ?? Boolean((io.stdin as NodeJS.ReadableStream & {isTTY?: boolean}).isTTY);
}

/** One line from stdin; undefined when stdin ends first (nobody answered). */
export function readAnswerLine(stream: NodeJS.ReadableStream): Promise<string | undefined> {
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

export interface ConfirmOptions {
  /** --yes: answered in advance, nothing is asked. */
  yes: boolean;
  /** Thrown as a UsageError when nobody can answer, so nothing changes unasked. */
  refusal: string;
  /** Whether someone can answer; default: stdin is a terminal. */
  canAsk?: boolean;
  /** Where the question goes; default stderr. */
  promptTo?: NodeJS.WritableStream;
}

/** The one "refuse without --yes when nobody can answer, else ask y/N" rule of every command that changes something. */
export async function confirmOrRefuse(io: CommandIo, question: string, options: ConfirmOptions): Promise<boolean> {
  if (options.yes) return true;
  if (!(options.canAsk ?? stdinIsTerminal(io))) throw new UsageError(options.refusal);
  return askYesNo(io, question, options.promptTo);
}

/** Asks "question [y/N]"; yes only for y/yes (or the German j/ja), anything else or no answer is no. */
export async function askYesNo(io: CommandIo, question: string, promptTo: NodeJS.WritableStream = io.stderr): Promise<boolean> {
  promptTo.write(`${question} [y/N] `);
  return /^(y|yes|j|ja)$/i.test(((await readAnswerLine(io.stdin)) ?? '').trim());
}
