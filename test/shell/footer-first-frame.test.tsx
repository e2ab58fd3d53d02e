// The footer belongs to the screen it is drawn with: no frame Ink writes may pair a new screen's body
// with the previous screen's keys (the debug renderer records every frame, one per commit).
import React from 'react';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {stripVTControlCharacters} from 'node:util';
import {App} from '../../components/shell/App.js';
import {createContext, type ConsoleContext} from '../../source/context.js';
import type {EnvironmentReport} from '../../source/environment.js';
import {keys, press, renderScreen, waitForFrame, type Rendered} from '../helpers/ink.js';

let stateDir: string;
let context: ConsoleContext;
let rendered: Rendered | undefined;
const report: EnvironmentReport = {root: '/demo', isDemo: true, stateDir: '/state', hostName: 'gw1', nspVersion: 'unknown', files: []};

const lines = (frame: string) => stripVTControlCharacters(frame).trimEnd().split('\n');
const footerOf = (frame: string) => lines(frame).at(-1) ?? '';
const bodyOf = (frame: string) => lines(frame).slice(0, -1).join('\n');

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'nsp-footer-'));
  context = await createContext({stateDir}, {});
});
afterEach(async () => {
  rendered?.unmount();
  rendered = undefined;
  await rm(stateDir, {recursive: true, force: true});
});

/** A key that changes the screen, the text the new screen's body shows, and what its footer must say. */
type Change = readonly [name: string, keys: string, body: string, footer: RegExp];

const changes: readonly Change[] = [
  ['main menu to settings', '6\r', 'ASCII mode:', /Esc back/],
  ['settings back to the main menu', keys.escape, 'What do you want to do?', /^(?!.*Esc).*q quit/],
  ['main menu to the key-server address field', '2\r', 'Address:', /^(?!.*q quit).*Enter/],
  ['address field back to the main menu', keys.escape, 'What do you want to do?', /^(?!.*Esc).*q quit/],
  ['main menu to recipes', '5\r', 'TCP proxy tunnel', /Esc back/],
  ['recipes to the database rights recipe', '3\r', 'Account (DOMAIN', /^(?!.*q quit).*Esc/],
  // Within one screen: the account field gives way to the role menu (the screen's own state, not the shell's).
  ['account field to the role menu', 'EXAMPLE\\jdoe\r', "Which role's database?", /Esc back.*q quit/],
];

describe('the footer is drawn in the same frame as the screen it belongs to', () => {
  it('every frame after a screen change pairs the new body with the new footer', async () => {
    rendered = await renderScreen(<App context={context} report={report} />);
    await waitForFrame(rendered, 'What do you want to do?');
    const mismatched: string[] = [];
    for (const [name, chunk, body, footer] of changes) {
      const before = rendered.frames.length;
      await press(rendered, chunk);
      const last = await waitForFrame(rendered, body);
      const expected = footerOf(last);
      expect(expected, `${name}: the settled footer`).toMatch(footer);
      const written = rendered.frames.slice(before).filter(frame => bodyOf(frame).includes(body));
      expect(written.length, `${name}: frames with the new body`).toBeGreaterThan(0);
      for (const frame of written) if (footerOf(frame) !== expected) mismatched.push(`${name}: "${footerOf(frame)}" instead of "${expected}"`);
    }
    expect(mismatched).toEqual([]);
  });
});
