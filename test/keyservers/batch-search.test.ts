import type {Entry} from 'ldapts';
import {describe, expect, it} from 'vitest';
import {assignEntries, batchAttributeNames, matchKey} from '../../source/keyservers/batch-search.js';

const mail = batchAttributeNames('mail')!;
const entry = (dn: string, values: Record<string, unknown>) => ({dn, ...values}) as Entry;

describe('which entry belongs to which address of a batch', () => {
  // [what, entries, addresses, the dns each address gets (undefined: the batch must be asked one by one)]
  const cases: [string, Entry[], string[], string[][] | undefined][] = [
    ['one entry each', [entry('a', {mail: 'a@x.example'}), entry('b', {mail: 'b@x.example'})], ['a@x.example', 'b@x.example'], [['a'], ['b']]],
    ['ASCII case and outer spaces ignored', [entry('a', {mail: ' A@X.Example '})], ['a@x.example', 'b@x.example'], [['a'], []]],
    ['the attribute under another case or its alias', [entry('a', {MAIL: 'a@x.example'}), entry('b', {rfc822Mailbox: 'b@x.example'})], ['a@x.example', 'b@x.example'], [['a'], ['b']]],
    ['several values: the entry goes to each address it names', [entry('a', {mail: ['a@x.example', 'b@x.example']})], ['a@x.example', 'b@x.example'], [['a'], ['a']]],
    ['one address twice on an entry (case, alias): the entry once', [entry('a', {mail: ['a@x.example', 'A@x.example'], rfc822Mailbox: 'a@x.example'})], ['a@x.example'], [['a']]],
    ['two entries for one address, none for another', [entry('t1', {mail: 'twin@x.example'}), entry('t2', {mail: 'twin@x.example'})], ['twin@x.example', 'none@x.example'], [['t1', 't2'], []]],
    ['values as bytes', [entry('a', {mail: Buffer.from('a@x.example')})], ['a@x.example'], [['a']]],
    ['an entry that names no address of the batch', [entry('a', {mail: 'a@x.example'}), entry('z', {mail: 'z@x.example'})], ['a@x.example', 'b@x.example'], undefined],
    ['an entry without the attribute (hidden from this reader)', [entry('a', {cn: 'a'})], ['a@x.example'], undefined],
    ['non-ASCII case is not folded (the server compares IA5 only)', [entry('a', {mail: 'ä@x.example'})], ['Ä@x.example'], undefined],
    ['two addresses with one key in one batch', [entry('a', {mail: 'a@x.example'})], ['a@x.example', 'A@x.example'], undefined],
  ];
  for (const [what, entries, addresses, expected] of cases) {
    it(what, () => {
      const assigned = assignEntries(entries, mail, addresses);
      expect(assigned?.map(list => list.map(found => found.dn))).toEqual(expected);
    });
  }

  it('batches only equality attributes known to ignore case', () => {
    for (const attribute of ['mail', 'rfc822Mailbox', 'emailAddress', 'email', 'userPrincipalName']) expect(batchAttributeNames(attribute)).toBeDefined();
    for (const attribute of [undefined, 'uid', 'cn', 'proxyAddresses', 'mailLocalAddress']) expect(batchAttributeNames(attribute)).toBeUndefined();
    expect(matchKey('  MiXeD@Example.COM ')).toBe('mixed@example.com');
  });
});
