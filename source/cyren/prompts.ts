import type {CommandIo} from '../commands/types.js';

type TtyStream = NodeJS.ReadableStream & {isTTY?: boolean; setRawMode?: (mode: boolean) => unknown};

/** Everything on stdin until it ends (for --password-stdin); one trailing line break is dropped. */
export async function readAllStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** A password typed on the terminal: raw mode, one '*' per character, never echoed. */
export function readMaskedLine(io: CommandIo, question: string): Promise<string> {
  const stdin = io.stdin as TtyStream;
  io.stderr.write(question);
  return new Promise((resolve, reject) => {
    let value = '';
    stdin.setRawMode?.(true);
    const done = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      io.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      for (const char of chunk.toString()) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003') return done(new Error('Cancelled.'));
        if (char === '\u007f' || char === '\b') {
          if (value.length > 0) {
            value = [...value].slice(0, -1).join('');
            io.stderr.write('\b \b');
          }
        } else if (char >= ' ') {
          value += char;
          io.stderr.write('*');
        }
      }
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}
