// An LDAP-aware TCP proxy on 127.0.0.1 in front of a real slapd: it cuts both directions into
// LDAPMessages (BER framing only) to count the searches a client has in flight, and can hold the
// server's answers back, hand them over in reverse order, or swallow the answers for one address.
import {connect, createServer, type Socket} from 'node:net';

const searchRequest = 0x63;
const searchResultDone = 0x65;

export interface LdapCountingProxy {
  url: string;
  /** Searches the client sent that have not had their SearchResultDone delivered yet. */
  outstanding(): number;
  /** The most that were outstanding at once. */
  peakOutstanding(): number;
  /** Search requests received from clients so far. */
  searches(): number;
  /** Client connections accepted so far. */
  connections(): number;
  /** Keeps every answer from the server until release(). */
  hold(): void;
  /** Delivers the held answers (whole messages; `reverse`: the last answered first) and stops holding. */
  release(options?: {reverse?: boolean}): void;
  /** Answers to searches whose request contains this text are never delivered. */
  swallow(text: string): void;
  stop(): Promise<void>;
}

/** Splits a byte stream into complete LDAPMessages (SEQUENCE, definite length). */
function framer(onFrame: (frame: Buffer) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return chunk => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    for (;;) {
      if (pending.length < 2) return;
      let length = pending[1]!;
      let header = 2;
      if (length & 0x80) {
        const octets = length & 0x7f;
        if (pending.length < 2 + octets) return;
        length = 0;
        for (let index = 0; index < octets; index++) length = length * 256 + pending[2 + index]!;
        header += octets;
      }
      if (pending.length < header + length) return;
      onFrame(pending.subarray(0, header + length));
      pending = pending.subarray(header + length);
    }
  };
}

/** The message id and the protocol-operation tag of one LDAPMessage. */
function parseFrame(frame: Buffer): {messageId: number; operation: number} {
  let offset = frame[1]! & 0x80 ? 2 + (frame[1]! & 0x7f) : 2;
  if (frame[offset] !== 0x02) throw new Error('LDAPMessage without a message id');
  const idLength = frame[offset + 1]!;
  let messageId = 0;
  for (let index = 0; index < idLength; index++) messageId = messageId * 256 + frame[offset + 2 + index]!;
  offset += 2 + idLength;
  return {messageId, operation: frame[offset]!};
}

export async function startLdapCountingProxy(target: {port: number}): Promise<LdapCountingProxy> {
  let outstanding = 0;
  let peak = 0;
  let searches = 0;
  let connections = 0;
  let holding = false;
  const swallowed: Buffer[] = [];
  const sockets = new Set<Socket>();
  const held: {client: Socket; messageId: number; frames: Buffer[]}[] = [];

  const deliver = (client: Socket, frame: Buffer, operation: number) => {
    client.write(frame);
    if (operation === searchResultDone) outstanding--;
  };

  const server = createServer(client => {
    connections++;
    const upstream = connect({port: target.port, host: '127.0.0.1'});
    sockets.add(client).add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const dropped = new Set<number>();
    client.on('data', framer(frame => {
      const {messageId, operation} = parseFrame(frame);
      if (operation === searchRequest) {
        searches++;
        outstanding++;
        peak = Math.max(peak, outstanding);
        if (swallowed.some(text => frame.includes(text))) dropped.add(messageId);
      }
      upstream.write(frame);
    }));
    upstream.on('data', framer(frame => {
      const {messageId, operation} = parseFrame(frame);
      if (dropped.has(messageId)) {
        if (operation === searchResultDone) outstanding--;
        return;
      }
      if (!holding) return deliver(client, frame, operation);
      const group = held.find(item => item.client === client && item.messageId === messageId);
      if (group) group.frames.push(frame);
      else held.push({client, messageId, frames: [frame]});
    }));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `ldap://127.0.0.1:${port}`,
    outstanding: () => outstanding,
    peakOutstanding: () => peak,
    searches: () => searches,
    connections: () => connections,
    hold: () => {
      holding = true;
    },
    release(options = {}) {
      holding = false;
      const groups = held.splice(0);
      if (options.reverse) groups.reverse();
      for (const group of groups) for (const frame of group.frames) deliver(group.client, frame, parseFrame(frame).operation);
    },
    swallow: text => {
      swallowed.push(Buffer.from(text));
    },
    stop: () =>
      new Promise<void>(resolve => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
