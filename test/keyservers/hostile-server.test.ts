import {describe, expect, it} from 'vitest';
import type {Directory} from '../../source/keyservers/catalogue.js';
import {lookupDirectory} from '../../source/keyservers/lookup.js';
import {DerError, maxDerDepth, readNode} from '../../source/keyservers/der.js';
import {guardResponses, readMessageHeader} from '../../source/keyservers/ldap-response-guard.js';
import {startHostileLdapProcess, type HostileMode} from '../harness/hostile-ldap.js';

const deadlineMs = 5000;

function directoryAt(url: string): Directory {
  return {id: 'hostile', name: 'Hostile', url, startTls: false, bindDn: null, password: null, baseDn: 'o=hostile', filter: '(mail=%e)', attributes: ['userCertificate;binary']};
}

/** Peak RSS while `work` runs, sampled every 20 ms, minus the RSS before. */
async function rssGrowth<T>(work: () => Promise<T>): Promise<{result: T; growthMb: number}> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return {result, growthMb: (peak - before) / (1024 * 1024)};
  } finally {
    clearInterval(timer);
  }
}

// mode, the status and errorKind the lookup must end with, what the message says
const cases: [HostileMode, string, string | undefined, RegExp][] = [
  ['endless-message', 'error', 'too-large', /passes 8 MB/],
  ['oversized-answer', 'error', 'too-large', /passes 8 MB/],
  ['entry-flood', 'error', 'too-large', /more than 100 entries/],
  ['thousands-of-certificates', 'error', 'too-large', /5000 certificates in one entry/],
  ['deeply-nested-ber', 'no-certificate', undefined, /./],
  ['trickle', 'error', 'timeout', /deadline/],
  ['garbage', 'error', 'too-large', /not an LDAP message/],
];

describe('a hostile LDAP server (127.0.0.1)', () => {
  for (const [mode, status, errorKind, message] of cases) {
    it(`${mode}: ends within the deadline as ${status}${errorKind ? `/${errorKind}` : ''}, RSS growth under 50 MB`, async () => {
      const server = await startHostileLdapProcess(mode);
      try {
        const started = performance.now();
        const {result, growthMb} = await rssGrowth(() => lookupDirectory(directoryAt(server.url), 'victim@example.com', {timeoutMs: deadlineMs}));
        const elapsed = performance.now() - started;
        expect(result.status, result.message).toBe(status);
        expect(result.errorKind).toBe(errorKind);
        expect(result.message).toMatch(message);
        expect(elapsed).toBeLessThan(deadlineMs + 1000);
        expect(growthMb).toBeLessThan(50);
        console.log(`${mode}: ${result.status}/${result.errorKind ?? '-'} after ${Math.round(elapsed)} ms, peak RSS growth ${growthMb.toFixed(1)} MB`);
      } finally {
        await server.stop();
      }
    });
  }
});

describe('the DER reader and the LDAP frame reader', () => {
  it('stops at the nesting limit with a DerError (no stack overflow)', () => {
    const levels = 100_000;
    const nested = Buffer.concat([Buffer.alloc(levels * 2, Buffer.from([0x30, 0x80])), Buffer.alloc(levels * 2, 0)]);
    expect(() => readNode(nested, 0)).toThrow(DerError);
    expect(() => readNode(nested, 0)).toThrow(new RegExp(`deeper than ${maxDerDepth}`));
    const shallow = Buffer.concat([Buffer.alloc(20, Buffer.from([0x30, 0x80])), Buffer.alloc(20, 0)]);
    expect(readNode(shallow, 0).next).toBe(shallow.length);
  });

  it.each([
    ['short form', [0x30, 0x05, 0x02, 0x01, 0x07, 0x42, 0x00], {complete: true, headerLength: 5, total: 7, messageId: 7}],
    ['long form', [0x30, 0x82, 0x01, 0x00, 0x02, 0x02, 0x01, 0x02], {complete: true, headerLength: 8, total: 260, messageId: 258}],
    ['incomplete', [0x30, 0x82, 0x01], {complete: false}],
    ['five length octets', [0x30, 0x85, 1, 2, 3, 4, 5], {complete: true, invalid: 'an LDAP message announcing a length of 5 octets'}],
    ['indefinite', [0x30, 0x80, 0x02, 0x01, 0x01], {complete: true, invalid: 'an LDAP message with an indefinite length'}],
    ['no message id', [0x30, 0x03, 0x04, 0x01, 0x01], {complete: true, invalid: 'an LDAP message without a message id'}],
    ['shorter than its header', [0x30, 0x01, 0x02, 0x01, 0x01], {complete: true, invalid: 'an LDAP message shorter than its own header'}],
  ])('reads a message header: %s', (_label, bytes, expected) => {
    expect(readMessageHeader(Uint8Array.from(bytes))).toEqual(expected);
    // The same header in the middle of a chunk reads the same.
    expect(readMessageHeader(Uint8Array.from([0x99, 0x99, 0x99, ...bytes]), 3)).toEqual(expected);
  });

  /** An LDAPMessage of `bodyLength` body bytes after the id (short, one-, two- and three-octet length forms). */
  function message(messageId: number, bodyLength: number): Buffer {
    const id = messageId < 0x80 ? [messageId] : messageId < 0x8000 ? [messageId >> 8, messageId & 0xff] : [messageId >> 16, (messageId >> 8) & 0xff, messageId & 0xff];
    const contentLength = 2 + id.length + bodyLength;
    const length = contentLength < 0x80 ? [contentLength] : contentLength < 0x100 ? [0x81, contentLength] : contentLength < 0x10000 ? [0x82, contentLength >> 8, contentLength & 0xff] : [0x83, contentLength >> 16, (contentLength >> 8) & 0xff, contentLength & 0xff];
    const body = Buffer.alloc(bodyLength);
    for (let index = 0; index < bodyLength; index++) body[index] = (messageId + index * 7) & 0xff;
    return Buffer.concat([Buffer.from([0x30, ...length, 0x02, id.length, ...id]), body]);
  }

  const messages = [message(1, 0), message(2, 3), message(300, 200), message(7, 1000), message(70_000, 70_000), message(9, 5)];
  const stream = Buffer.concat(messages);
  const cuts = (size: number) => Array.from({length: Math.ceil(stream.length / size)}, (_, index) => stream.subarray(index * size, (index + 1) * size));
  it.each([
    ['the whole stream in one chunk', [stream]],
    ['one byte at a time', cuts(1)],
    ['7-byte chunks (headers split)', cuts(7)],
    ['1,000-byte chunks', cuts(1000)],
    ['64 KB chunks', cuts(65_536)],
    ['a cut inside the first header', [stream.subarray(0, 1), stream.subarray(1)]],
    ['a cut inside a long-form length', [stream.subarray(0, 12), stream.subarray(12, 14), stream.subarray(14)]],
  ])('hands on every message whole and unchanged, in order: %s', (_label, chunks) => {
    const received: Buffer[] = [];
    const client = {socketDataHandler: (data: Buffer) => received.push(Buffer.from(data)), messageParser: {on() {}}, messageDetailsByMessageId: new Map(), _destroySocket() {}};
    const violations: string[] = [];
    guardResponses(client, {maxBytesPerSearch: 1 << 20, maxEntriesPerSearch: 10, maxCertificatesPerEntry: 5}, error => violations.push(error.message));
    for (const chunk of chunks) client.socketDataHandler(Buffer.from(chunk));
    expect(violations).toEqual([]);
    expect(received.map(each => each.toString('hex'))).toEqual(messages.map(each => each.toString('hex')));
  });

  it('cuts of a stream at every position hand on the same messages', () => {
    const small = Buffer.concat([message(1, 0), message(300, 130), message(5, 2)]);
    for (let cut = 1; cut < small.length; cut++) {
      const received: string[] = [];
      const client = {socketDataHandler: (data: Buffer) => received.push(data.toString('hex')), messageParser: {on() {}}, messageDetailsByMessageId: new Map(), _destroySocket() {}};
      guardResponses(client, {maxBytesPerSearch: 1 << 20, maxEntriesPerSearch: 10, maxCertificatesPerEntry: 5}, () => {});
      client.socketDataHandler(Buffer.from(small.subarray(0, cut)));
      client.socketDataHandler(Buffer.from(small.subarray(cut)));
      expect(received, `cut at ${cut}`).toEqual([message(1, 0), message(300, 130), message(5, 2)].map(each => each.toString('hex')));
    }
  });
});
