/**
 * Writes one chunk; when the stream's buffer is full, returns a promise that settles once it has
 * drained — or the stream closed or failed (a reader that went away), so the caller never waits
 * for a stream that will not drain.
 */
export function writeOrWait(stream: NodeJS.WritableStream, chunk: string): Promise<void> | undefined {
  if (stream.write(chunk)) return undefined;
  return new Promise(resolve => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.on('error', done);
  });
}

/** Bytes gathered before a write: one masked write and one system call per batch, not per line. */
export const batchBytes = 64 * 1024;

/**
 * Lines written in batches: a batch goes out when it reaches `batchBytes`, or at the end of the
 * event loop's turn (setImmediate), so a slow stream of answers still shows each line at once.
 * `add` returns a promise while the stream's buffer is full (back-pressure, as writeOrWait);
 * `flush` writes what is left and waits for the stream to take it.
 */
export function createLineBatcher(stream: NodeJS.WritableStream): {add(line: string): Promise<void> | undefined; flush(): Promise<void> | undefined} {
  let lines: string[] = [];
  let size = 0;
  let scheduled = false;
  let waiting: Promise<void> | undefined;
  const write = () => {
    if (lines.length === 0) return waiting;
    const chunk = lines.length === 1 ? lines[0]! : lines.join('');
    lines = [];
    size = 0;
    const drained = writeOrWait(stream, chunk);
    if (drained) waiting = drained.then(() => (waiting = undefined));
    return waiting;
  };
  return {
    add(line) {
      lines.push(line);
      size += line.length;
      if (size >= batchBytes) return write();
      if (!scheduled) {
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          write();
        });
      }
      return waiting;
    },
    flush: write,
  };
}
