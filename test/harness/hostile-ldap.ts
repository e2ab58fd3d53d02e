import {spawn} from 'node:child_process';
import {createServer, type Server, type Socket} from 'node:net';
import {createInterface} from 'node:readline';
import {fileURLToPath} from 'node:url';

/**
 * A small LDAP "server" on 127.0.0.1 that answers binds politely and searches with hostility.
 * Each mode is one way a remote directory can try to exhaust the console.
 */
export type HostileMode =
  /** Announces a 2 GB message, then sends bytes for as long as the client reads. */
  | 'endless-message'
  /** Endless 1 MB search entries for the one search (each message is fine, the answer is not). */
  | 'oversized-answer'
  /** Endless tiny entries, ignoring the size limit. */
  | 'entry-flood'
  /** One entry carrying thousands of certificate values. */
  | 'thousands-of-certificates'
  /** One entry whose certificate is BER nested 200 000 indefinite-length levels deep. */
  | 'deeply-nested-ber'
  /** Announces a 4 MB entry (within the bound) and sends it a few bytes at a time. */
  | 'trickle'
  /** Not LDAP at all: random bytes. */
  | 'garbage';

export interface HostileLdap {
  url: string;
  port: number;
  /** Bytes written to clients so far. */
  bytesSent(): number;
  stop(): Promise<void>;
}

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), encodeLength(body.length), body]);
}

const octets = (text: string | Buffer) => tlv(0x04, Buffer.isBuffer(text) ? text : Buffer.from(text));
const messageId = (id: number) => tlv(0x02, Buffer.from([id]));
const result = (tag: number) => tlv(tag, tlv(0x0a, Buffer.from([0])), octets(''), octets(''));

function message(id: number, operation: Buffer): Buffer {
  return tlv(0x30, messageId(id), operation);
}

function entry(id: number, dn: string, type: string, values: Buffer[]): Buffer {
  return message(id, tlv(0x64, octets(dn), tlv(0x30, tlv(0x30, octets(type), tlv(0x31, ...values.map(octets))))));
}

function nestedBer(levels: number): Buffer {
  return Buffer.concat([Buffer.alloc(levels * 2, Buffer.from([0x30, 0x80])), Buffer.alloc(levels * 2, 0)]);
}

/** Writes chunks from `next` while the socket accepts them (backpressure), until it closes. */
function pump(socket: Socket, next: () => Buffer | undefined, count: (bytes: number) => void): void {
  const write = () => {
    for (;;) {
      if (socket.destroyed) return;
      const chunk = next();
      if (!chunk) return;
      count(chunk.length);
      if (!socket.write(chunk)) {
        socket.once('drain', write);
        return;
      }
    }
  };
  write();
}

function answerSearch(socket: Socket, mode: HostileMode, id: number, count: (bytes: number) => void): void {
  const done = message(id, result(0x65));
  switch (mode) {
    case 'endless-message': {
      const header = Buffer.concat([Buffer.from([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff]), messageId(id), Buffer.from([0x64, 0x84, 0x7f, 0xff, 0xff, 0xf0])]);
      let first = true;
      const junk = Buffer.alloc(64 * 1024, 0x41);
      pump(socket, () => (first ? ((first = false), header) : junk), count);
      return;
    }
    case 'oversized-answer': {
      const big = entry(id, 'cn=big,o=hostile', 'description', [Buffer.alloc(1024 * 1024, 0x42)]);
      pump(socket, () => big, count);
      return;
    }
    case 'entry-flood': {
      let index = 0;
      pump(socket, () => entry(id, `cn=e${index++},o=hostile`, 'mail', [Buffer.from('x@example.com')]), count);
      return;
    }
    case 'thousands-of-certificates': {
      const values = Array.from({length: 5000}, (_v, index) => Buffer.from(`not-a-certificate-${index}`));
      const sent = [entry(id, 'cn=many,o=hostile', 'userCertificate;binary', values), done];
      pump(socket, () => sent.shift(), count);
      return;
    }
    case 'deeply-nested-ber': {
      const sent = [entry(id, 'cn=nested,o=hostile', 'userCertificate;binary', [nestedBer(200_000)]), done];
      pump(socket, () => sent.shift(), count);
      return;
    }
    case 'trickle': {
      const header = Buffer.concat([Buffer.from([0x30, 0x83, 0x40, 0x00, 0x00]), messageId(id)]);
      count(header.length);
      socket.write(header);
      const timer = setInterval(() => {
        if (socket.destroyed) return clearInterval(timer);
        count(4);
        socket.write(Buffer.from('abcd'));
        return undefined;
      }, 20);
      socket.once('close', () => clearInterval(timer));
      return;
    }
    case 'garbage': {
      const junk = Buffer.from(Array.from({length: 4096}, (_v, index) => (index * 7919 + 13) & 0xff));
      pump(socket, () => junk, count);
      return;
    }
  }
}

/** Starts the server; every connection gets the same hostile treatment. */
export async function startHostileLdap(mode: HostileMode): Promise<HostileLdap> {
  let sent = 0;
  const count = (bytes: number) => (sent += bytes);
  const sockets = new Set<Socket>();
  const server: Server = createServer(socket => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => sockets.delete(socket));
    let pending = Buffer.alloc(0);
    socket.on('data', data => {
      pending = Buffer.concat([pending, data]);
      // Requests are small: tag, short or long length, message id, operation tag.
      while (pending.length >= 2) {
        let offset = 1;
        let length = pending[offset++]!;
        if (length & 0x80) {
          const n = length & 0x7f;
          length = 0;
          for (let index = 0; index < n; index++) length = length * 256 + pending[offset++]!;
        }
        if (pending.length < offset + length) return;
        const request = pending.subarray(0, offset + length);
        pending = pending.subarray(offset + length);
        const idLength = request[offset + 1]!;
        const id = request[offset + 2 + idLength - 1]!;
        const operation = request[offset + 2 + idLength]!;
        if (operation === 0x60) socket.write(message(id, result(0x61)));
        else if (operation === 0x63) answerSearch(socket, mode, id, count);
        else if (operation === 0x42) socket.end();
      }
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as {port: number}).port;
  return {
    url: `ldap://127.0.0.1:${port}`,
    port,
    bytesSent: () => sent,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}

/**
 * The same server in a child process, so that measuring the console's memory (RSS) does not count
 * what the server allocates to attack it.
 */
export async function startHostileLdapProcess(mode: HostileMode): Promise<Omit<HostileLdap, 'bytesSent'>> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), mode], {stdio: ['ignore', 'pipe', 'inherit']});
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the hostile LDAP server did not start within 20 s')), 20_000);
    child.once('exit', code => reject(new Error(`the hostile LDAP server exited (${code})`)));
    createInterface({input: child.stdout}).once('line', line => {
      clearTimeout(timer);
      resolve(Number(line));
    });
  });
  return {
    url: `ldap://127.0.0.1:${port}`,
    port,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise(resolve => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  void startHostileLdap(process.argv[2] as HostileMode).then(server => console.log(server.port));
}
