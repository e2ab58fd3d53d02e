import {PassThrough, Writable} from 'node:stream';
import {setImmediate as nextTurn} from 'node:timers/promises';
import {describe, expect, it} from 'vitest';
import {batchBytes, createLineBatcher} from '../../source/keyservers/stream-write.js';

/** A stream that takes one chunk and then holds the next until release() (a slow reader). */
function slowStream(highWaterMark: number) {
  const chunks: string[] = [];
  const held: (() => void)[] = [];
  const stream = new Writable({
    highWaterMark,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      held.push(callback);
    },
  });
  return {
    stream,
    chunks,
    release() {
      for (const callback of held.splice(0)) callback();
    },
  };
}

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not within ${ms} ms`)), ms))]);

describe('lines written in batches', () => {
  it('writes every line once, in order, and a lone line within the same turn of the event loop', async () => {
    const sink = new PassThrough();
    let written = '';
    sink.on('data', (chunk: Buffer) => (written += chunk.toString('utf8')));
    const batcher = createLineBatcher(sink);
    const lines = Array.from({length: 5000}, (_, index) => `{"address":"bulk${index}@test.example","ü":"${'x'.repeat(index % 97)}"}\n`);
    for (const line of lines.slice(0, 1)) await batcher.add(line);
    await nextTurn();
    await nextTurn();
    expect(written).toBe(lines[0]);
    for (const line of lines.slice(1)) await batcher.add(line);
    await batcher.flush();
    await nextTurn();
    expect(written).toBe(lines.join(''));
  });

  it('goes out in chunks of about batchBytes, not one write per line', async () => {
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk.toString('utf8'));
        callback();
      },
    });
    const batcher = createLineBatcher(stream);
    const line = `${'y'.repeat(99)}\n`;
    const count = Math.ceil((batchBytes * 3) / line.length);
    for (let index = 0; index < count; index++) await batcher.add(line);
    await batcher.flush();
    expect(chunks.join('')).toBe(line.repeat(count));
    expect(chunks.length).toBeLessThanOrEqual(4);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
  });

  it('holds the writer while a slow reader has not drained, and lets it go on once it has', async () => {
    const {stream, chunks, release} = slowStream(16);
    const batcher = createLineBatcher(stream);
    const big = `${'z'.repeat(batchBytes)}\n`;
    const held = batcher.add(big);
    expect(held).toBeInstanceOf(Promise);
    let settled = false;
    void held!.then(() => (settled = true));
    await nextTurn();
    await nextTurn();
    expect(settled).toBe(false);
    release();
    await within(held!, 5_000);
    expect(chunks).toEqual([big]);
  });

  const ends: [string, (stream: Writable) => void][] = [
    ['closes', stream => stream.destroy()],
    ['fails', stream => stream.destroy(new Error('EPIPE'))],
  ];
  it.each(ends)('does not wait for a reader that %s instead of draining', async (_, end) => {
    const {stream} = slowStream(16);
    stream.on('error', () => {});
    const batcher = createLineBatcher(stream);
    const held = batcher.add(`${'z'.repeat(batchBytes)}\n`);
    expect(held).toBeInstanceOf(Promise);
    end(stream);
    await within(held!, 5_000);
  });
});
