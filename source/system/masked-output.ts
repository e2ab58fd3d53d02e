import {maskText} from './secret-registry.js';

/**
 * The stream every printed line goes through: each write is masked (every secret known to the
 * session, in any spelling, and the userinfo of URLs) before it reaches the terminal or a pipe.
 * The marker "***" is never wider than a hunted secret, so a masked line never gets longer.
 */
export function maskedWritable<T extends NodeJS.WritableStream>(stream: T): T {
  const write = (chunk: unknown, ...rest: unknown[]): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : chunk;
    const masked = typeof text === 'string' ? maskText(text) : text;
    return (stream.write as (...args: unknown[]) => boolean)(masked, ...rest);
  };
  return new Proxy(stream, {
    get(target, property) {
      if (property === 'write') return write;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
