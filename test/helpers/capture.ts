import {PassThrough} from 'node:stream';
import type {MainIo} from '../../source/cli.js';

/** A stream that keeps everything written to it; text() decodes it as UTF-8. */
export function capturedStream(): {stream: PassThrough; text: () => string} {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', chunk => chunks.push(Buffer.from(chunk)));
  return {stream, text: () => Buffer.concat(chunks).toString('utf8')};
}

/** Command streams for an in-process run: stdout and stderr captured, stdin given (default: empty, not a terminal). */
export function captureIo(options: {stdin?: NodeJS.ReadableStream; stdinIsTTY?: boolean} = {}): {io: MainIo; stdout: () => string; stderr: () => string} {
  const stdout = capturedStream();
  const stderr = capturedStream();
  return {
    io: {stdout: stdout.stream, stderr: stderr.stream, stdin: options.stdin ?? new PassThrough(), isTTY: false, stdinIsTTY: options.stdinIsTTY ?? false},
    stdout: stdout.text,
    stderr: stderr.text,
  };
}
