import {describe, expect, it} from 'vitest';
import type {Directory} from '../../source/keyservers/catalogue.js';
import {lookupDirectory} from '../../source/keyservers/lookup.js';
import {DerError, maxDerDepth, readNode} from '../../source/keyservers/der.js';
import {readMessageHeader} from '../../source/keyservers/ldap-response-guard.js';
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
  });
});
