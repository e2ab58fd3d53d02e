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
