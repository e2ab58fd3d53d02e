// Pipelined bulk lookups against a real slapd, seen through an LDAP-aware proxy that counts the
// searches in flight and can hold, reorder or swallow the server's answers.
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {bulkLookup, defaultBatch, lookAhead, type BulkOptions} from '../../source/keyservers/bulk.js';
import type {Directory} from '../../source/keyservers/catalogue.js';
import type {DirectoryResult} from '../../source/keyservers/lookup.js';
import {bulkAddress, directory, domain, serverSizeLimit, startTestWorld, type TestWorld} from '../harness/keyserver-world.js';
import {startLdapCountingProxy, type LdapCountingProxy} from '../harness/ldap-counting-proxy.js';

let world: TestWorld;
let proxy: LdapCountingProxy;
const bulkEntries = 300;

beforeAll(async () => {
  world = await startTestWorld({bulkEntries});
});
afterAll(async () => {
  await world?.stop();
});
afterEach(async () => {
  await proxy?.stop();
});

async function proxied(): Promise<Directory> {
  proxy = await startLdapCountingProxy(world.open);
  return directory('proxied', proxy.url);
}

/** Waits for a condition by polling each turn of the event loop, with a deadline. */
async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 5));
  }
}

/** Runs a bulk lookup and collects what it reports, in the order reported. */
async function collect(directories: Directory[], addresses: string[], options: BulkOptions = {}) {
  const reported: {index: number; address: string; results: DirectoryResult[]}[] = [];
  const summary = await bulkLookup(directories, addresses, {
    ...options,
    onAddress: (index, address, results) => {
      reported.push({index, address, results});
      return options.onAddress?.(index, address, results);
    },
  });
  return {summary, reported};
}

const expectedStatus = (index: number) => (index % 3 === 2 ? 'no-certificate' : 'found');

// These two sections test one search per address (batch 1); batches have their own section below.
describe('bulk lookup: the window of searches in flight', () => {
  it('fills the window on one connection and never exceeds it; answers in reverse still come out in input order', async () => {
    const target = await proxied();
    const addresses = Array.from({length: 200}, (_, index) => bulkAddress(index));
    proxy.hold();
    const run = collect([target], addresses, {concurrency: 8, batch: 1, timeoutMs: 30_000});
    await until(() => proxy.outstanding() === 8, 'eight searches in flight');
    proxy.release({reverse: true});
    const {summary, reported} = await run;
    expect(proxy.peakOutstanding()).toBe(8);
    expect(summary.peakInFlight).toBe(8);
    expect(proxy.connections()).toBe(1);
    expect(proxy.searches()).toBe(200);
    expect(reported.map(item => item.index)).toEqual(addresses.map((_, index) => index));
    expect(reported.map(item => item.address)).toEqual(addresses);
    reported.forEach(({results}, index) => expect(results[0]!.status).toBe(expectedStatus(index)));
  });

  it('opens one connection per 8 searches of the window and spreads the window over them', async () => {
    const target = await proxied();
    const addresses = Array.from({length: 100}, (_, index) => bulkAddress(index));
    proxy.hold();
    const run = collect([target], addresses, {concurrency: 16, batch: 1, timeoutMs: 30_000});
    await until(() => proxy.outstanding() === 16, 'sixteen searches in flight');
    proxy.release();
    const {reported} = await run;
    expect(proxy.connections()).toBe(2);
    expect(proxy.peakOutstanding()).toBe(16);
    expect(reported.map(item => item.results[0]!.status)).toEqual(addresses.map((_, index) => expectedStatus(index)));
  });

  it('starts no more addresses than the look-ahead while the reader is not taking results (back-pressure)', async () => {
    const target = await proxied();
    const addresses = Array.from({length: bulkEntries}, (_, index) => bulkAddress(index));
    let open!: () => void;
    const gate = new Promise<void>(resolve => (open = resolve));
    const run = collect([target], addresses, {concurrency: 4, batch: 1, onAddress: index => (index === 0 ? gate : undefined)});
    const limit = lookAhead(4);
    await until(() => proxy.searches() >= limit && proxy.outstanding() === 0, 'the look-ahead answered');
    // Give the client a few turns to (wrongly) send more.
    for (let turn = 0; turn < 20; turn++) await new Promise(resolve => setImmediate(resolve));
    expect(proxy.searches()).toBe(limit);
    open();
    const {reported} = await run;
    expect(reported).toHaveLength(bulkEntries);
    expect(proxy.searches()).toBe(bulkEntries);
  });
});

describe('bulk lookup: per-address results', () => {
  it('reports size limits, no entry and no certificate per address, and a bad base per address without giving up the directory', async () => {
    const target = await proxied();
    const addresses = [`many@${domain}`, `bare@${domain}`, `nocert@${domain}`, `nobody@${domain}`, `alice@${domain}`];
    const {summary, reported} = await collect([target, world.directories.wrongBase], addresses, {concurrency: 3});
    const plain = reported.map(item => item.results[0]!);
    expect(plain.map(result => result.status)).toEqual(['found', 'error', 'no-certificate', 'no-entry', 'found']);
    expect(plain[0]!.truncated).toBe(true);
    expect(plain[1]).toMatchObject({errorKind: 'size-limit', truncated: true});
    expect(plain[4]!.certificates).toHaveLength(2);
    for (const item of reported) expect(item.results[1]).toMatchObject({id: 'wrongbase', status: 'error', errorKind: 'no-such-base'});
    expect(summary.directoriesDown).toEqual([]);
    expect(summary.withCertificate).toBe(2);
  });

  it('gives an address that gets no answer a time-out at the deadline, and the others their answers (one fresh connection)', async () => {
    const target = await proxied();
    // More than the look-ahead: the run has to go on after the time-out, over a fresh connection.
    const addresses = Array.from({length: 150}, (_, index) => bulkAddress(index));
    proxy.swallow(bulkAddress(5));
    const {summary, reported} = await collect([target], addresses, {concurrency: 4, batch: 1, timeoutMs: 1_500});
    const stuck = reported[5]!.results[0]!;
    expect(stuck).toMatchObject({status: 'error', errorKind: 'timeout', message: 'no complete answer within 1.5 s (the deadline)'});
    expect(stuck.elapsedMs).toBeGreaterThanOrEqual(1_490);
    reported.forEach(({results}, index) => {
      if (index !== 5) expect(results[0]!.status).toBe(expectedStatus(index));
    });
    expect(summary.directoriesDown).toEqual([]);
    expect(proxy.connections()).toBe(2);
  });

  it('counts a directory unavailable after its fresh connection got stuck too, and finishes', async () => {
    const target = await proxied();
    // 150 is started only after 5 was reported (look-ahead 64): it goes over the fresh connection;
    // from 215 on, addresses start only after 150 was reported.
    const addresses = Array.from({length: 260}, (_, index) => bulkAddress(index));
    proxy.swallow(bulkAddress(5));
    proxy.swallow(bulkAddress(150));
    const {summary, reported} = await collect([target, world.directories.plain], addresses, {concurrency: 4, batch: 1, timeoutMs: 1_200});
    expect(reported).toHaveLength(260);
    expect(reported[150]!.results[0]).toMatchObject({errorKind: 'timeout'});
    const last = reported[259]!.results;
    expect(last[0]).toMatchObject({status: 'error', errorKind: 'timeout'});
    expect(last[0]!.message).toContain('(directory unavailable for this run)');
    // The healthy directory answered every address regardless.
    reported.forEach(({results}, index) => expect(results[1]!.status).toBe(expectedStatus(index)));
    expect(summary.directoriesDown).toEqual(['proxied']);
    expect(proxy.connections()).toBe(2);
  });
});

/** Results without their timings, to compare runs. */
const answers = (reported: {results: DirectoryResult[]}[]) => reported.map(item => item.results.map(({elapsedMs: _elapsed, ...rest}) => rest));

describe('bulk lookup: several addresses in one search', () => {
  it('asks 16 addresses per search by default and gives exactly the answers of one search per address', async () => {
    const target = await proxied();
    const addresses = Array.from({length: 200}, (_, index) => bulkAddress(index));
    const batched = await collect([target], addresses, {concurrency: 4});
    // 12 batches of 16 and the last 8.
    expect(proxy.searches()).toBe(13);
    expect(batched.summary.requests).toBe(13);
    const single = await collect([world.directories.plain], addresses, {concurrency: 4, batch: 1});
    expect(single.summary.requests).toBe(200);
    expect(answers(batched.reported).map(results => results.map(result => ({...result, id: 'x', name: 'x', url: 'x'})))).toEqual(
      answers(single.reported).map(results => results.map(result => ({...result, id: 'x', name: 'x', url: 'x'}))),
    );
    expect(batched.reported.map(item => item.address)).toEqual(addresses);
    expect(batched.summary.withCertificate).toBe(single.summary.withCertificate);
  });

  // One line per hard case: the addresses of one run, and what must make it still match the single searches.
  const hardCases: [string, string[], Directory[] | (() => Directory[])][] = [
    ['an address with two entries, a cut answer (30 entries) and no entry, in one batch', [`twin@${domain}`, `many@${domain}`, `nobody@${domain}`, `bare@${domain}`, `alice@${domain}`, bulkAddress(1)], () => [world.directories.plain]],
    ['one address twice in different case (never in one batch)', [`alice@${domain}`, `ALICE@${domain.toUpperCase()}`, `Alice@${domain}`, bulkAddress(0), bulkAddress(2)], () => [world.directories.plain]],
    ['a bad base: every address gets its own error', [bulkAddress(0), bulkAddress(1), bulkAddress(2), `alice@${domain}`], () => [world.directories.wrongBase]],
    ['an unlimited search (every naming context)', [bulkAddress(0), `twin@${domain}`, `nobody@${domain}`, `dave@${domain}`], () => [world.directories.unlimited]],
    ['a filter that is not (mail=%e) is never batched', [bulkAddress(0), `alice@${domain}`], () => [{...world.directories.plain, filter: '(|(mail=%e)(uid=%e))'}]],
    ['StartTLS and LDAPS', [bulkAddress(0), bulkAddress(2), `bob@${domain}`], () => [world.directories.startTls, world.directories.ldaps]],
  ];
  for (const [label, addresses, directories] of hardCases) {
    it(`${label}: the same answers as one search per address`, async () => {
      const chosen = typeof directories === 'function' ? directories() : directories;
      const batched = await collect(chosen, addresses, {batch: 8});
      const single = await collect(chosen, addresses, {batch: 1});
      expect(answers(batched.reported)).toEqual(answers(single.reported));
    });
  }

  it('halves the batch after a cut answer, and asks a batch the directory cannot tell apart again one by one', async () => {
    // 24 addresses with one entry each: a batch of 24 passes the server's size limit of 20.
    expect(serverSizeLimit).toBe(20);
    const addresses = Array.from({length: 48}, (_, index) => bulkAddress(index));
    const cut = await collect([world.directories.plain], addresses, {batch: 24, concurrency: 1});
    const single = await collect([world.directories.plain], addresses, {batch: 1, concurrency: 1});
    expect(answers(cut.reported)).toEqual(answers(single.reported));
    // 24 cut, 24 singles, then two batches of 12: 1 + 24 + 2 = 27.
    expect(cut.summary.requests).toBe(27);
  });

  it('gives every address of a batch that gets no answer a time-out at the deadline, the others their answers', async () => {
    const target = await proxied();
    const addresses = Array.from({length: 40}, (_, index) => bulkAddress(index));
    proxy.swallow(bulkAddress(5));
    const {summary, reported} = await collect([target], addresses, {concurrency: 2, timeoutMs: 1_500});
    reported.forEach(({results}, index) => {
      // The swallowed address's batch: the first defaultBatch addresses.
      if (index < defaultBatch) expect(results[0]).toMatchObject({status: 'error', errorKind: 'timeout', message: 'no complete answer within 1.5 s (the deadline)'});
      else expect(results[0]!.status).toBe(expectedStatus(index));
    });
    expect(reported[5]!.results[0]!.elapsedMs).toBeGreaterThanOrEqual(1_490);
    expect(summary.directoriesDown).toEqual([]);
    // The other batches were answered on the same connection before the deadline; none was left to need a fresh one.
    expect(proxy.connections()).toBe(1);
  });
});
