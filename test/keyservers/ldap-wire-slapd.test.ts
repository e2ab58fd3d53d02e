// The search read by ldap-wire.ts against the same search read by ldapts, on one real slapd
// connection each time: the entries (values byte for byte, Buffers and strings alike), the size
// limit and the LDAP errors must come out the same. `(&(mail=…))` means the same to the server as
// `(mail=…)` but is not a single equality assertion, so it still goes through ldapts: that is the
// reference.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Directory} from '../../source/keyservers/catalogue.js';
import {resolveCredentials} from '../../source/keyservers/credentials.js';
import {expandFilter} from '../../source/keyservers/filter.js';
import {certificateAttributes, openSession, type LdapSession, type SearchOutcome} from '../../source/keyservers/ldap-session.js';
import {parseEqualityFilter} from '../../source/keyservers/ldap-wire.js';
import {bulkAddress, domain, startTestWorld, type TestWorld} from '../harness/keyserver-world.js';

let world: TestWorld;
beforeAll(async () => {
  world = await startTestWorld({bulkEntries: 3});
});
afterAll(async () => {
  await world?.stop();
});

type Outcome = {entries: SearchOutcome['entries']; truncated: boolean} | {error: string; code: unknown; message: string};

async function outcome(session: LdapSession, base: string, filter: string, attributes: string[]): Promise<Outcome> {
  try {
    const {entries, truncated} = await session.search(base, filter, attributes);
    // Order within one answer is the server's; compare by DN.
    return {entries: [...entries].sort((a, b) => a.dn.localeCompare(b.dn)), truncated};
  } catch (error) {
    return {error: (error as Error).constructor.name, code: (error as {code?: unknown}).code, message: (error as Error).message};
  }
}

const addresses = [
  ['two certificates on one entry', `alice@${domain}`],
  ['an entry without a certificate', `nocert@${domain}`],
  ['two entries', `twin@${domain}`],
  ['an expired certificate', `bob@${domain}`],
  ['a PKCS#7 userSMIMECertificate', `dave@${domain}`],
  ['more entries than the server size limit, with certificates', `many@${domain}`],
  ['more entries than the server size limit, none with a certificate', `bare@${domain}`],
  ['no entry', `nobody@${domain}`],
  ['a bulk entry', bulkAddress(0)],
  ['filter specials, escaped', `a*b(c)\\d@${domain}`],
  ['non-ASCII', `jörg.müller@${domain}`],
] as const;

describe('the search on the wire answers as ldapts does, against slapd', () => {
  const cases: [string, () => Directory, string[]][] = [
    ['plain LDAP', () => world.directories.plain, []],
    ['StartTLS', () => world.directories.startTls, []],
    ['LDAPS', () => world.directories.ldaps, []],
    ['after a bind', () => world.directories.bindOnly, []],
    ['a base DN that does not exist', () => world.directories.wrongBase, []],
    ['more attributes asked for (text values as strings)', () => world.directories.plain, ['cn', 'mail', 'uid', 'objectClass', 'description']],
  ];
  it.each(cases)('%s', async (_, chosen, extra) => {
    const directory = chosen();
    const session = await openSession(directory, resolveCredentials(directory, {}), {timeoutMs: 10_000});
    try {
      const attributes = [...new Set([...directory.attributes, ...certificateAttributes, ...extra])];
      for (const [what, address] of addresses) {
        const filter = expandFilter(directory.filter, address);
        expect(parseEqualityFilter(filter), what).toBeDefined();
        const reference = await outcome(session, directory.baseDn!, `(&${filter})`, attributes);
        const wire = await outcome(session, directory.baseDn!, filter, attributes);
        expect(wire, `${what} (${address})`).toEqual(reference);
      }
    } finally {
      await session.close();
    }
  });

  it('finds what it should (the comparison above is not between two empty answers)', async () => {
    const directory = world.directories.plain;
    const session = await openSession(directory, resolveCredentials(directory, {}), {timeoutMs: 10_000});
    try {
      const attributes = [...new Set([...directory.attributes, ...certificateAttributes])];
      const alice = await session.search(directory.baseDn!, `(mail=alice@${domain})`, attributes);
      expect(alice.entries).toHaveLength(1);
      expect(alice.entries[0]!['userCertificate;binary']).toEqual([world.certs.alice.der, world.certs.alice2.der]);
      const many = await session.search(directory.baseDn!, `(mail=many@${domain})`, attributes);
      expect(many.truncated).toBe(true);
      await expect(session.search(world.directories.wrongBase.baseDn!, `(mail=alice@${domain})`, attributes)).rejects.toMatchObject({code: 32});
    } finally {
      await session.close();
    }
  });
});
