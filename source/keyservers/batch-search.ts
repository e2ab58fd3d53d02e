import type {Entry} from 'ldapts';
import type {Directory} from './catalogue.js';
import type {LdapSession} from './ldap-session.js';
import {searchPlan} from './lookup.js';

/**
 * Several addresses in one search: (|(mail=a)(mail=b)…). A directory spends most of its time per
 * request, not per entry, so a batch of 8 costs it about what one search did (measured: slapd CPU
 * for 10,000 addresses 770 ms one by one, 150 ms in batches of 8; the default is 16, see bulk.ts).
 * Each entry that comes back is given to the address(es) its own mail values name. Whenever that
 * is not certain, the batch is not used and its addresses are searched one by one, so every answer
 * stays what a single search gives: a cut answer (size limit), an entry none of the batch's
 * addresses names, an error.
 */

/** Attribute names that mean the same attribute, for the equality attributes a batch may use (all compare ignoring ASCII case). */
const sameAttribute: readonly (readonly string[])[] = [
  ['mail', 'rfc822mailbox'],
  ['email', 'emailaddress', 'pkcs9email'],
  ['userprincipalname'],
];

/** The names an entry may carry the batch attribute under, or undefined when this filter cannot be batched. */
export function batchAttributeNames(attribute: string | undefined): ReadonlySet<string> | undefined {
  if (attribute === undefined) return undefined;
  const names = sameAttribute.find(group => group.includes(attribute.toLowerCase()));
  return names ? new Set(names) : undefined;
}

const hasAsciiUpper = /[A-Z]/;
const asciiUpper = /[A-Z]+/g;

/** An address or a stored value as these attributes compare them (caseIgnoreIA5Match): ASCII case and outer spaces ignored. */
export function matchKey(text: string): string {
  const trimmed = text.trim();
  // Most addresses are lower case already: no replacement (and no string) for them.
  return hasAsciiUpper.test(trimmed) ? trimmed.replace(asciiUpper, upper => upper.toLowerCase()) : trimmed;
}

export type BatchAnswer =
  /** entries[i] are the entries of addresses[i], as a search for it alone would give them. */
  | {kind: 'assigned'; entries: Entry[][]}
  /** The answer was cut (size limit): a smaller batch may fit. */
  | {kind: 'cut'}
  /** An entry came back that no address of the batch names (the attribute is hidden, or compared otherwise). */
  | {kind: 'unmatched'};

/**
 * Gives each entry to every address whose key one of its values has. The addresses must have
 * distinct keys (two that differ only in case would both claim one entry). undefined when an entry
 * names none of them.
 */
export function assignEntries(entries: readonly Entry[], names: ReadonlySet<string>, addresses: readonly string[]): Entry[][] | undefined {
  // Plain loops: this runs for every entry of a bulk run, mostly before the code is optimized.
  const slot = new Map<string, number>();
  for (let index = 0; index < addresses.length; index++) {
    const key = matchKey(addresses[index]!);
    if (slot.has(key)) return undefined;
    slot.set(key, index);
  }
  const assigned: Entry[][] = [];
  for (let index = 0; index < addresses.length; index++) assigned.push([]);
  for (const entry of entries) {
    const owners: number[] = [];
    for (const attribute in entry) {
      if (!names.has(attribute.toLowerCase())) continue;
      const stored = entry[attribute];
      const values = Array.isArray(stored) ? stored : [stored];
      for (const value of values) {
        const text = typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('utf8') : undefined;
        const owner = text === undefined ? undefined : slot.get(matchKey(text));
        if (owner !== undefined && !owners.includes(owner)) owners.push(owner);
      }
    }
    if (owners.length === 0) return undefined;
    for (const owner of owners) assigned[owner]!.push(entry);
  }
  return assigned;
}

/** One OR search per base for the batch; entries found under two bases count once (as for one address). */
export async function searchBatch(session: LdapSession, directory: Directory, addresses: readonly string[], bases: readonly string[]): Promise<BatchAnswer> {
  const {attributes, equalityAttribute} = searchPlan(directory);
  const names = batchAttributeNames(equalityAttribute);
  if (equalityAttribute === undefined || names === undefined) return {kind: 'unmatched'};
  // The values of the filter's attribute are what tells the entries apart.
  const added = !attributes.some(name => names.has(name.toLowerCase()));
  const requested = added ? [...attributes, equalityAttribute] : attributes;
  const assertions = addresses.map(address => ({attribute: equalityAttribute, value: Buffer.from(address, 'utf8')}));
  const outcomes = await Promise.allSettled(bases.map(base => session.search(base, assertions, requested)));
  const succeeded = outcomes.filter(outcome => outcome.status === 'fulfilled');
  if (succeeded.length === 0) throw (outcomes[0] as PromiseRejectedResult).reason;
  const byDn = new Map<string, Entry>();
  for (const {value} of succeeded) {
    if (value.truncated) return {kind: 'cut'};
    for (const entry of value.entries) if (!byDn.has(entry.dn)) byDn.set(entry.dn, entry);
  }
  const entries = assignEntries([...byDn.values()], names, addresses);
  if (!entries) return {kind: 'unmatched'};
  // An attribute asked for only to tell entries apart is not part of the answer (a single search has not got it).
  if (!added) return {kind: 'assigned', entries};
  // Copies without it rather than `delete`, which turns each entry into a slow dictionary object.
  const stripped = new Map<Entry, Entry>();
  const strip = (entry: Entry): Entry => {
    let copy = stripped.get(entry);
    if (copy === undefined) {
      copy = {dn: entry.dn} as Entry;
      for (const attribute in entry) if (attribute !== 'dn' && !names.has(attribute.toLowerCase())) copy[attribute] = entry[attribute]!;
      stripped.set(entry, copy);
    }
    return copy;
  };
  return {kind: 'assigned', entries: entries.map(list => list.map(strip))};
}
