import React from 'react';
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {FilePicker} from '../../components/bundle/FilePicker.js';
import {KeyRouter} from '../../components/input/key-router.js';
import {LayoutProvider} from '../../components/layout.js';
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
