import React from 'react';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {App} from '../../components/shell/App.js';
import {createContext, type ConsoleContext} from '../../source/context.js';
import type {EnvironmentReport} from '../../source/environment.js';
import {keys, press, renderScreen, waitForFrame, type Rendered} from '../helpers/ink.js';

let stateDir: string;
let context: ConsoleContext;
let rendered: Rendered | undefined;
const report: EnvironmentReport = {root: '/demo', isDemo: true, stateDir: '/state', hostName: 'gw1', nspVersion: 'unknown', files: []};
const footer = () => (rendered!.lastFrame() ?? '').trimEnd().split('\n').at(-1) ?? '';

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'nsp-keytable-'));
  context = await createContext({stateDir}, {});
});
afterEach(async () => {
  rendered?.unmount();
  rendered = undefined;
  await rm(stateDir, {recursive: true, force: true});
});

describe('one key table drives keys, footer and help', () => {
  it('the main menu footer shows its keys, help and quit, and no Esc (there is nothing to go back to)', async () => {
    rendered = await renderScreen(<App context={context} report={report} />);
    await waitForFrame(rendered, 'What do you want to do?');
    expect(footer()).toContain('Enter select');
    expect(footer()).toContain('? keys');
    expect(footer()).toContain('q quit');
    expect(footer()).not.toContain('Esc');
    await press(rendered, '?');
    const help = await waitForFrame(rendered, 'Keys: Main menu');
    expect(help).toMatch(/1-[6-9]/);
    expect(help).toContain('highlight that entry');
    expect(help).not.toMatch(/Esc\s+back/);
  });

  it('in a text field the footer drops ? and q, and q is typed; Esc leaves the field', async () => {
    rendered = await renderScreen(<App context={context} report={report} />);
    await press(rendered, '2\r');
    await waitForFrame(rendered, 'Address:');
    expect(footer()).toContain('Enter confirm');
    expect(footer()).not.toContain('q quit');
    await press(rendered, 'q?');
    await waitForFrame(rendered, 'Address: q?');
    await press(rendered, keys.escape);
    await waitForFrame(rendered, 'What do you want to do?');
  });

  it('a sub-screen menu shows Esc back; Shift+Tab and F1 there do nothing', async () => {
    rendered = await renderScreen(<App context={context} report={report} />);
    await press(rendered, '6\r');
    await waitForFrame(rendered, 'ASCII mode: off');
    expect(footer()).toContain('Esc back');
    await press(rendered, `${keys.shiftTab}${keys.f1}`);
    expect(rendered.lastFrame()).toContain('ASCII mode: off');
    await press(rendered, keys.escape);
    await waitForFrame(rendered, 'What do you want to do?');
  });
});
