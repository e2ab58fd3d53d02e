import React from 'react';
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {FilePicker} from '../../components/bundle/FilePicker.js';
import {KeyRouter} from '../../components/input/key-router.js';
import {LayoutProvider} from '../../components/layout.js';
import {renderScreen, settle, waitForFrame} from '../helpers/ink.js';
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
