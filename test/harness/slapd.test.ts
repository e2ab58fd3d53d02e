import {createServer, type Server} from 'node:net';
import {describe, expect, it} from 'vitest';
import {freePort, startSlapd} from './slapd.js';

describe('the slapd harness', () => {
  it('starts on another port when the one it picked was taken before slapd could bind it', async () => {
    const squatter: Server = createServer();
    await new Promise<void>(resolve => squatter.listen(0, '127.0.0.1', resolve));
    const taken = (squatter.address() as {port: number}).port;
    const picked: number[] = [];
    try {
      const slapd = await startSlapd({
        pickPort: async () => {
          const port = picked.length === 0 ? taken : await freePort();
          picked.push(port);
          return port;
        },
      });
      try {
        expect(picked[0]).toBe(taken);
        expect(slapd.port).not.toBe(taken);
        expect(slapd.port).toBe(picked.at(-1));
      } finally {
        await slapd.stop();
      }
    } finally {
      await new Promise(resolve => squatter.close(resolve));
    }
  });
});
