import {chmod, mkdtemp, readFile, readdir, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import fc from 'fast-check';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {FileChangedError, ReadOnlyFileError, TextFileError, contentHash, insertLines, isModified, parseTextBytes, readTextFile, removeLine, replaceLine, serializeTextDocument, unencodableCharacters} from '../../source/system/text-document.js';
import {listBackups, restoreBackup, saveTextFileSafely} from '../../source/system/file-backups.js';

const utf16 = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
const bom8 = (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);

describe('parseTextBytes / serializeTextDocument', () => {
  const samples: [string, Buffer, string, string[]][] = [
    ['CRLF', Buffer.from('a\r\nb\r\n'), 'utf8', ['a', 'b']],
    ['LF, no trailing newline', Buffer.from('a\nb'), 'utf8', ['a', 'b']],
    ['mixed', Buffer.from('a\r\nb\nc\r\n'), 'utf8', ['a', 'b', 'c']],
    ['BOM', bom8('x = 1\r\n'), 'utf8-bom', ['x = 1']],
    ['UTF-16 LE', utf16('k = \u00e4\r\nz\n'), 'utf16le-bom', ['k = \u00e4', 'z']],
    ['lone CR stays text', Buffer.from('a\rb\n'), 'utf8', ['a\rb']],
    ['not UTF-8 (ANSI)', Buffer.from([0x61, 0xe4, 0x20, 0x80, 0x81, 0x0d, 0x0a]), 'windows-1252', ['a\u00e4 \u20ac\u0081']],
    ['UTF-16 BE', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('k = \u00e4\r\nz\n', 'utf16le').swap16()]), 'utf16be-bom', ['k = \u00e4', 'z']],
    ['empty', Buffer.alloc(0), 'utf8', []],
  ];
  for (const [label, bytes, encoding, texts] of samples) {
    it(`reads and writes back ${label} byte for byte`, () => {
      const document = parseTextBytes(bytes);
      expect(document.encoding).toBe(encoding);
      expect(document.lines.map(line => line.text)).toEqual(texts);
      expect(serializeTextDocument(document).equals(bytes)).toBe(true);
      expect(document.originalHash).toBe(contentHash(bytes));
      expect(isModified(document)).toBe(false);
    });
  }

  it('refuses BOM-less UTF-16 and half a UTF-16 character with a clear message', () => {
    expect(() => parseTextBytes(Buffer.from('a\u0000b\u0000'), 'x.conf')).toThrow(/NUL bytes/);
    expect(() => parseTextBytes(Buffer.from([0xfe, 0xff, 0, 0x61, 0]), 'x.conf')).toThrow(/half a UTF-16/);
  });

  it('edits one line and keeps its ending, the BOM and every other byte', () => {
    const bytes = utf16('one\r\ntwo\nthree');
    const edited = replaceLine(parseTextBytes(bytes), 1, 'TWO \u20ac');
    expect(serializeTextDocument(edited).equals(utf16('one\r\nTWO \u20ac\nthree'))).toBe(true);
    expect(() => replaceLine(edited, 0, 'a\nb')).toThrow(TextFileError);
  });

  it('inserts with the neighbour\'s ending and keeps a missing trailing newline missing', () => {
    const document = parseTextBytes(Buffer.from('a\r\nb'));
    expect(serializeTextDocument(insertLines(document, 1, ['x'])).toString()).toBe('a\r\nx\r\nb');
    expect(serializeTextDocument(insertLines(document, 2, ['x', 'y'])).toString()).toBe('a\r\nb\r\nx\r\ny');
    expect(serializeTextDocument(insertLines(parseTextBytes(Buffer.from('a\n')), 1, ['x'])).toString()).toBe('a\nx\n');
    expect(serializeTextDocument(insertLines(parseTextBytes(Buffer.alloc(0)), 0, ['x'])).toString()).toBe('x\r\n');
  });

  it('removes a line without inventing or dropping the trailing newline', () => {
    expect(serializeTextDocument(removeLine(parseTextBytes(Buffer.from('a\nb\nc')), 2)).toString()).toBe('a\nb');
    expect(serializeTextDocument(removeLine(parseTextBytes(Buffer.from('a\nb\n')), 0)).toString()).toBe('b\n');
  });

  it('names characters an encoding cannot hold', () => {
    expect(unencodableCharacters('abc\u00e4\u20ac', 'windows-1252')).toEqual([]);
    expect(unencodableCharacters('\u0141', 'windows-1252')).toEqual(['\u0141']);
    expect(unencodableCharacters('\u20ac', 'utf8')).toEqual([]);
    expect(unencodableCharacters('a\ud800', 'utf16le-bom')).toEqual(['\ud800']);
  });

  const lineArb = fc.record({
    text: fc.string({unit: fc.constantFrom('a', 'b', ' ', '=', '#', '\u00e4', '\u20ac', '\t', '\r'), maxLength: 8}),
    ending: fc.constantFrom('\r\n', '\n'),
  });
  const fileArb = fc.record({lines: fc.array(lineArb, {maxLength: 12}), trailing: fc.boolean(), encoding: fc.constantFrom('utf8', 'utf8-bom', 'utf16le-bom')});
  const build = (file: {lines: {text: string; ending: string}[]; trailing: boolean; encoding: string}) => {
    let text = file.lines.map(line => line.text + line.ending).join('');
    if (!file.trailing && text.endsWith('\n')) text = text.replace(/\r?\n$/, '');
    return file.encoding === 'utf16le-bom' ? utf16(text) : file.encoding === 'utf8-bom' ? bom8(text) : Buffer.from(text, 'utf8');
  };

  it('round-trips any file byte for byte (property)', () => {
    fc.assert(fc.property(fileArb, file => {
      const bytes = build(file);
      expect(serializeTextDocument(parseTextBytes(bytes)).equals(bytes)).toBe(true);
    }));
  });

  it('replacing one line leaves the bytes of every other line alone (property)', () => {
    fc.assert(fc.property(fileArb, fc.nat(), fc.string({maxLength: 6}).filter(text => !/[\r\n]/.test(text)), (file, pick, text) => {
      const document = parseTextBytes(build(file));
      fc.pre(document.lines.length > 0);
      const index = pick % document.lines.length;
      const written = serializeTextDocument(replaceLine(document, index, text));
      const before = Buffer.concat([document.bom, ...document.lines.slice(0, index).map(line => line.raw!)]);
      const after = Buffer.concat(document.lines.slice(index + 1).map(line => line.raw!));
      const line = document.lines[index]!;
      const middle = Buffer.from(text + line.ending, file.encoding === 'utf16le-bom' ? 'utf16le' : 'utf8');
      expect(written.equals(Buffer.concat([before, middle, after]))).toBe(true);
    }));
  });
});

describe('saveTextFileSafely, backups and restore', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'nsp-textfile-'));
  });
  afterEach(async () => {
    await rm(folder, {recursive: true, force: true});
  });

  it('backs up, writes atomically, keeps the mode, and restores', async () => {
    const path = join(folder, 'ctasd.conf');
    const original = Buffer.from('[A]\r\n#Key = 1\r\nother\r\n');
    await writeFile(path, original, {mode: 0o640});
    await chmod(path, 0o640);
    const document = await readTextFile(path);
    const now = new Date(2026, 10, 27, 23, 5, 9);
    const result = await saveTextFileSafely(path, replaceLine(document, 1, 'Key = 2'), {now});
    expect(result.written).toBe(true);
    expect(result.backupPath).toBe(join(folder, 'ctasd.conf.20261127-230509.nspbak'));
    expect((await readFile(result.backupPath!)).equals(original)).toBe(true);
    expect((await readFile(path)).toString()).toBe('[A]\r\nKey = 2\r\nother\r\n');
    expect((await stat(path)).mode & 0o777).toBe(0o640);
    expect((await readdir(folder)).filter(name => name.endsWith('.tmp'))).toEqual([]);

    // A second save in the same second never overwrites the first backup.
    const second = await saveTextFileSafely(path, replaceLine(await readTextFile(path), 1, 'Key = 3'), {now});
    expect(second.backupPath).toBe(join(folder, 'ctasd.conf.20261127-230509-2.nspbak'));
    const backups = await listBackups(path);
    expect(backups.map(entry => entry.stamp)).toEqual(['20261127-230509-2', '20261127-230509']);

    const restored = await restoreBackup(path, backups[1]!.path);
    expect((await readFile(path)).equals(original)).toBe(true);
    expect((await readFile(restored.safetyBackup!)).toString()).toContain('Key = 3');
  });

  it('does not write (or back up) when nothing changed', async () => {
    const path = join(folder, 'same.conf');
    await writeFile(path, 'a\n');
    const result = await saveTextFileSafely(path, await readTextFile(path));
    expect(result).toEqual({path, written: false});
    expect(await listBackups(path)).toEqual([]);
  });

  it('refuses a file changed since it was read and leaves it as it is', async () => {
    const path = join(folder, 'raced.conf');
    await writeFile(path, 'a\n');
    const document = await readTextFile(path);
    await writeFile(path, 'someone else\n');
    await expect(saveTextFileSafely(path, replaceLine(document, 0, 'b'))).rejects.toBeInstanceOf(FileChangedError);
    expect(await readFile(path, 'utf8')).toBe('someone else\n');
    expect(await listBackups(path)).toEqual([]);
  });

  it('refuses a read-only file with a clear message', async () => {
    const path = join(folder, 'locked.conf');
    await writeFile(path, 'a\n');
    await chmod(path, 0o444);
    const document = await readTextFile(path);
    const attempt = saveTextFileSafely(path, replaceLine(document, 0, 'b'));
    await expect(attempt).rejects.toBeInstanceOf(ReadOnlyFileError);
    await expect(attempt).rejects.toThrow(/read-only/);
    expect(await readFile(path, 'utf8')).toBe('a\n');
  });

  it('can keep backups in another folder', async () => {
    const path = join(folder, 'x.conf');
    const backupDir = join(folder, 'backups');
    await (await import('node:fs/promises')).mkdir(backupDir);
    await writeFile(path, 'a\n');
    const result = await saveTextFileSafely(path, replaceLine(await readTextFile(path), 0, 'b'), {backupDir});
    expect(result.backupPath!.startsWith(backupDir)).toBe(true);
    expect((await listBackups(path, {backupDir})).length).toBe(1);
    expect(await listBackups(path)).toEqual([]);
  });
});
