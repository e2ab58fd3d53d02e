import fc from 'fast-check';
import {beforeEach, describe, expect, it} from 'vitest';
import {EntryNames, maxEntryPathLength, safeEntryName, unsafeEntryName} from '../../source/bundle/entry-names.js';
import {forgetSecrets, learnSecret} from '../../source/system/secret-registry.js';

describe('bundle entry names', () => {
  beforeEach(() => forgetSecrets());

  const cases: [string, string][] = [
    ['Gateway Role.config', 'Gateway-Role.config'],
    ['..\\..\\Windows\\win.ini', 'win.ini'],
    ['/etc/passwd', 'passwd'],
    ['C:\\temp\\CON', '_CON'],
    ['nul.txt', '_nul.txt'],
    ['COM1.log', '_COM1.log'],
    ['lpt9', '_lpt9'],
    ['report. ', 'report'],
    ['trailing...', 'trailing'],
    ['Größe für Straße.txt', 'Gro_e-fur-Stra_e.txt'],
    ['a<b>c:d"e|f?g*h.txt', 'a_b_c_d_e_f_g_h.txt'],
  ];
  for (const [given, expected] of cases) {
    it(`${JSON.stringify(given)} -> ${expected}`, () => {
      expect(new EntryNames().take('attachments', given)).toBe(`attachments/${expected}`);
    });
  }

  it('keeps names unique without regard to case, and short with their extension', () => {
    const names = new EntryNames();
    expect(names.take('a', 'x.json')).toBe('a/x.json');
    expect(names.take('a', 'X.JSON')).toBe('a/X-2.JSON');
    const long = names.take('attachments', `${'y'.repeat(400)}.png`);
    expect(long.length).toBeLessThanOrEqual(maxEntryPathLength);
    expect(long.endsWith('.png')).toBe(true);
  });

  it('masks a known secret in a file name', () => {
    learnSecret('Proxy Pass;801', 'ctasd.conf ProxyPassword');
    expect(new EntryNames().take('attachments', 'notes Proxy Pass;801.txt')).toBe('attachments/notes-REDACTED.txt');
  });

  it('any name becomes one the writer accepts (property)', () => {
    fc.assert(
      fc.property(fc.string({maxLength: 300}), fc.string({maxLength: 60}), (fileName, folder) => {
        const name = new EntryNames().take(safeEntryName(folder), fileName);
        expect(unsafeEntryName(name)).toBeUndefined();
      }),
    );
  });
});
