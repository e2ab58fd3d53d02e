import {createSocket, type Socket} from 'node:dgram';

/**
 * A minimal authoritative DNS server on 127.0.0.1 (UDP) for tests: answers A, CNAME and TXT queries from
 * a table, NXDOMAIN for anything else. Enough for node's Resolver; not a general DNS server.
 */
export interface DnsRecords {
  a?: Record<string, string[]>;
  cname?: Record<string, string>;
  /** TXT records: each a list of character strings (at most 255 bytes each). */
  txt?: Record<string, string[][]>;
}

export interface TestDnsServer {
  address: string;
  close(): Promise<void>;
}

export async function startDnsServer(records: DnsRecords): Promise<TestDnsServer> {
  const socket: Socket = createSocket('udp4');
  socket.on('message', (query, remote) => {
    const response = answer(query, records);
    if (response) socket.send(response, remote.port, remote.address);
  });
  await new Promise<void>(resolve => socket.bind(0, '127.0.0.1', resolve));
  const {port} = socket.address();
  return {
    address: `127.0.0.1:${port}`,
    close: () => new Promise(resolve => socket.close(() => resolve())),
  };
}

function answer(query: Buffer, records: DnsRecords): Buffer | undefined {
  if (query.length < 12) return undefined;
  const labels: string[] = [];
  let offset = 12;
  while (offset < query.length && query[offset]! > 0) {
    const length = query[offset]!;
    labels.push(query.subarray(offset + 1, offset + 1 + length).toString('ascii'));
    offset += length + 1;
  }
  const questionEnd = offset + 5;
  const type = query.readUInt16BE(offset + 1);
  const name = labels.join('.').toLowerCase();
  const answers: Buffer[] = [];
  if (type === 1) {
    for (const address of records.a?.[name] ?? []) {
      const rdata = Buffer.from(address.split('.').map(Number));
      answers.push(resourceRecord(1, rdata));
    }
  } else if (type === 5 && records.cname?.[name]) {
    answers.push(resourceRecord(5, encodeName(records.cname[name]!)));
  } else if (type === 16) {
    for (const strings of records.txt?.[name] ?? []) {
      answers.push(resourceRecord(16, Buffer.concat(strings.map(text => Buffer.concat([Buffer.from([Buffer.byteLength(text)]), Buffer.from(text)])))));
    }
  }
  const known = (records.a?.[name] ?? []).length > 0 || records.cname?.[name] !== undefined || (records.txt?.[name] ?? []).length > 0;
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2);
  header.writeUInt16BE(0x8400 | (query.readUInt16BE(2) & 0x0100) | (known ? 0 : 3), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  return Buffer.concat([header, query.subarray(12, questionEnd), ...answers]);
}

function resourceRecord(type: number, rdata: Buffer): Buffer {
  const fixed = Buffer.alloc(12);
  fixed.writeUInt16BE(0xc00c, 0); // pointer to the question name
  fixed.writeUInt16BE(type, 2);
  fixed.writeUInt16BE(1, 4);
  fixed.writeUInt32BE(60, 6);
  fixed.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([fixed, rdata]);
}

function encodeName(name: string): Buffer {
  const parts = name.replace(/\.$/, '').split('.').map(label => Buffer.concat([Buffer.from([label.length]), Buffer.from(label, 'ascii')]));
  return Buffer.concat([...parts, Buffer.from([0])]);
}
