import React from 'react';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {FilePicker} from '../../components/bundle/FilePicker.js';
import {pickerStartFolder} from '../../source/bundle/file-browser.js';
import {KeyRouter} from '../../components/input/key-router.js';
import {LayoutProvider} from '../../components/layout.js';
import {Footer} from '../../components/shell/Footer.js';
import {press, renderScreen, settle, waitForFrame} from '../helpers/ink.js';
import {tempDir} from './fixtures.js';

describe('FilePicker in ASCII mode at 80 columns', () => {
  it('cuts a long folder path with ASCII dots, never a Unicode ellipsis', async () => {
    const deep = join(tempDir('picker'), 'a very long folder name for the picker test', 'another quite long sub folder name here', 'and even deeper folder');
    mkdirSync(deep, {recursive: true});
    writeFileSync(join(deep, 'screenshot.png'), 'x');
    const rendered = await renderScreen(
      <KeyRouter>
        <LayoutProvider ascii color={false}>
          <FilePicker title="Screenshots & attachments" startFolder={deep} multiple onDone={() => {}} onCancel={() => {}} />
        </LayoutProvider>
      </KeyRouter>,
    );
    Object.defineProperty(rendered.stdout, 'columns', {value: 80, configurable: true});
    rendered.stdout.emit('resize');
    await settle();
    const frame = await waitForFrame(rendered, 'screenshot.png');
    const lines = frame.split('\n');
    for (const line of lines) {
      expect(line.length, line).toBeLessThanOrEqual(80);
      expect(line, 'ASCII only').toMatch(/^[\x20-\x7e]*$/);
    }
    expect(frame).toContain('and even deeper folder');
    rendered.unmount();
  });
});

describe('FilePicker: go to a typed path', () => {
  it('g opens a typed folder or picks a typed file (another drive, a huge folder); a wrong path says so', async () => {
    const base = tempDir('picker-go');
    const start = join(base, 'start');
    const other = join(base, 'elsewhere');
    mkdirSync(start, {recursive: true});
    mkdirSync(other, {recursive: true});
    writeFileSync(join(other, 'events.csv'), 'Level,Date\n');
    let done: string[] | undefined;
    const rendered = await renderScreen(
      <KeyRouter>
        <LayoutProvider ascii color={false}>
          <FilePicker title="Attachments" startFolder={start} multiple onDone={paths => (done = paths)} onCancel={() => {}} />
          <Footer />
        </LayoutProvider>
      </KeyRouter>,
    );
    await waitForFrame(rendered, 'g go to a path');
    await press(rendered, 'g');
    await waitForFrame(rendered, 'Go to (folder or file)');
    await press(rendered, `\u0015${join(base, 'missing.csv')}\r`);
    await waitForFrame(rendered, 'not found');
    await press(rendered, 'g');
    await press(rendered, `\u0015${join(other, 'events.csv')}\r`);
    let frame = await waitForFrame(rendered, '[x] events.csv');
    expect(frame).toContain('1 chosen');
    expect(frame).not.toContain('not found');
    expect(frame).toContain(other);
    await press(rendered, 'g');
    await press(rendered, `\u0015${start}\r`);
    // The folder line, then its listing (only "..") once it has been read.
    frame = await waitForFrame(rendered, new RegExp(`^${start.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n> +\\.\\./\\nEnter`, 'm'));
    expect(frame).not.toContain('events.csv');
    expect(frame).toContain('1 chosen');
    await press(rendered, 'd');
    expect(done).toEqual([join(other, 'events.csv')]);
    rendered.unmount();
  });
});

describe('FilePicker: where it opens, order, going up', () => {
  const picker = (props: Partial<React.ComponentProps<typeof FilePicker>> & {onDone?: (paths: string[]) => void}) => (
    <KeyRouter>
      <LayoutProvider ascii color={false}>
        <FilePicker title="Attachments" multiple onDone={() => {}} onCancel={() => {}} {...props} />
      </LayoutProvider>
    </KeyRouter>
  );

  it('sorts naturally (log2 before log10, case ignored) and going up puts the cursor on the folder you came from', async () => {
    const base = tempDir('picker-order');
    for (const folder of ['alpha', 'Beta', 'gamma', 'delta']) mkdirSync(join(base, folder));
    for (const file of ['log10.txt', 'log2.txt', 'Log3.txt', 'log1.txt']) writeFileSync(join(base, file), 'x');
    const rendered = await renderScreen(picker({startFolder: join(base, 'delta')}));
    await waitForFrame(rendered, /^> +\.\.\/$/m);
    await press(rendered, '\u007f');
    const frame = await waitForFrame(rendered, 'log10.txt');
    const names = frame.split('\n').filter(line => /^[> ] /.test(line)).map(line => line.slice(2).trim().replace(/^\[.\]\s*/, '').replace(/\s+\S+ ?B$/, ''));
    expect(names.slice(-8)).toEqual(['alpha/', 'Beta/', 'delta/', 'gamma/', 'log1.txt', 'log2.txt', 'Log3.txt', 'log10.txt']);
    expect(frame).toMatch(/^> +delta\/$/m);
    rendered.unmount();
  });

  it('without a start folder opens the last folder used (settings.json), and remembers where the pick was made', async () => {
    const base = tempDir('picker-last');
    const stateDir = join(base, 'state');
    const last = join(base, 'exports');
    const next = join(base, 'screens');
    mkdirSync(stateDir);
    mkdirSync(last);
    mkdirSync(next);
    writeFileSync(join(last, 'queue.csv'), 'x');
    writeFileSync(join(stateDir, 'settings.json'), JSON.stringify({ascii: true, filePicker: {lastFolder: last}}));
    let done: string[] | undefined;
    const rendered = await renderScreen(picker({stateDir, onDone: paths => (done = paths)}));
    const opened = await waitForFrame(rendered, 'queue.csv');
    expect(opened).toContain(last);
    await press(rendered, 'g');
    await waitForFrame(rendered, 'Go to (folder or file)');
    await press(rendered, `\u0015${next}\r`);
    await waitForFrame(rendered, new RegExp(`^${next.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    await press(rendered, 'd');
    expect(done).toEqual([]);
    await expect.poll(() => JSON.parse(readFileSync(join(stateDir, 'settings.json'), 'utf8')).filePicker?.lastFolder).toBe(next);
    expect(JSON.parse(readFileSync(join(stateDir, 'settings.json'), 'utf8')).ascii).toBe(true);
    rendered.unmount();
    // Opened again: the folder just used, its content listed.
    const again = await renderScreen(picker({stateDir}));
    await waitForFrame(again, new RegExp(`^${next.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    again.unmount();
    // A first start (no settings yet) opens the documents folder; shown, then closed before the
    // test's own file checks, so the picker's listing never lands outside act().
    const documents = await pickerStartFolder(join(base, 'fresh-state'));
    const first = await renderScreen(picker({stateDir: join(base, 'fresh-state')}));
    await waitForFrame(first, new RegExp(`^${documents.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    first.unmount();
    expect(await pickerStartFolder(join(base, 'fresh-state'), base)).toBe(base);
    mkdirSync(join(base, 'Documents'));
    expect(await pickerStartFolder(join(base, 'fresh-state'), base)).toBe(join(base, 'Documents'));
    expect(await pickerStartFolder(stateDir, base)).toBe(next);
  });
});
