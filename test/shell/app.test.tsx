import React from 'react';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {App} from '../../components/shell/App.js';
import {filesLine} from '../../components/shell/Header.js';
import {createContext, type ConsoleContext} from '../../source/context.js';
import type {EnvironmentReport} from '../../source/environment.js';
import {keys, press, renderScreen, waitForFrame, type Rendered} from '../helpers/ink.js';

let stateDir: string;
let context: ConsoleContext;
let rendered: Rendered | undefined;
const report: EnvironmentReport = {root: '/demo', isDemo: true, stateDir: '/state', hostName: 'gw1', nspVersion: 'unknown', files: []};

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'nsp-shell-'));
  context = await createContext({stateDir}, {});
});
afterEach(async () => {
  rendered?.unmount();
  rendered = undefined;
  await rm(stateDir, {recursive: true, force: true});
});

const selectedLine = (frame: string) => frame.split('\n').find(line => line.includes('❯'))?.trim();

describe('the interactive shell', () => {
  it('shows the main menu with every capability and the DEMO badge', async () => {
    rendered = await renderScreen(<App context={context} report={report} />);
    const frame = rendered.lastFrame()!;
    for (const label of ['Troubleshooting logs', 'Key-server lookup', 'CYREN proxy settings', 'Support data bundle', 'Recipes', 'Settings & about']) {
      expect(frame).toContain(label);
    }
    expect(frame).toContain('DEMO');
    expect(frame).toContain(`Host ${context.hostName}`);
  });

  it('moves with arrows and j/k, one key at a time and in bursts', async () => {
    rendered = await renderScreen(<App context={context} report={report} />);
    await press(rendered, keys.down);
    expect(selectedLine(rendered.lastFrame()!)).toContain('Key-server lookup');
    await press(rendered, 'jj');
    expect(selectedLine(rendered.lastFrame()!)).toContain('Support data bundle');
    await press(rendered, `k${keys.up}`);
    expect(selectedLine(rendered.lastFrame()!)).toContain('Key-server lookup');
  });

  it('opens the settings screen with a burst and goes back with Esc', async () => {
    rendered = await renderScreen(<App context={context} report={report} />);
    await press(rendered, 'jjjjj\r');
    await waitForFrame(rendered, 'ASCII mode: off');
    await press(rendered, keys.escape);
    await waitForFrame(rendered, 'What do you want to do?');
  });

  it('applies Esc followed by more keys in the same chunk in order', async () => {
    rendered = await renderScreen(<App context={context} report={report} />);
    await press(rendered, 'jjjjj\r');
    await waitForFrame(rendered, 'ASCII mode');
    await press(rendered, `${keys.escape}${keys.down.repeat(5)}\r`);
    await waitForFrame(rendered, 'ASCII mode');
  });

  it('keeps the keys typed while a screen is being opened and gives them to that screen', async () => {
    rendered = await renderScreen(<App context={context} report={report} />);
    // One burst: open Recipes, then (while its code loads) choose Azure reverse DNS and type into its first field.
    await press(rendered, '5\r2\rrg-mail');
    const frame = await waitForFrame(rendered, 'Azure reverse DNS (PTR)');
    expect(frame).toContain('Resource group: rg-mail');
  });

  it('keeps the keys typed while a screen is still reading its data (no handler yet)', async () => {
    rendered = await renderScreen(<App context={context} report={report} />);
    // CYREN reads its files before its menu exists: the Enter for "Set the proxy..." must not be lost.
    await press(rendered, '3\r\r10.0.0.1');
    const frame = await waitForFrame(rendered, 'Proxy server:');
    expect(frame).toContain('10.0.0.1');
  });

  it('shows the keys of the current screen with ? and closes them with any key', async () => {
    rendered = await renderScreen(<App context={context} report={report} />);
    await press(rendered, '?');
    expect(rendered.lastFrame()).toContain('Keys: Main menu');
    await press(rendered, 'x');
    expect(rendered.lastFrame()).not.toContain('Keys: Main menu');
    expect(rendered.lastFrame()).toContain('What do you want to do?');
  });

  it('toggles ASCII mode in settings, redraws without box characters and saves the setting', async () => {
    rendered = await renderScreen(<App context={context} report={report} />);
    await press(rendered, '6\r');
    await waitForFrame(rendered, 'ASCII mode: off');
    await press(rendered, '\r');
    const frame = await waitForFrame(rendered, 'ASCII mode: on');
    expect(frame).toContain('> 1 ASCII mode: on');
    expect(frame).not.toMatch(/[❯↑↓✔]/);
    // Nothing outside ASCII anywhere in the frame (the version line had a middle dot).
    expect(frame).toMatch(/^[\x00-\x7f]*$/);
    // The screen says the setting is saved once it is written (waited for in act: it is the screen's update).
    await waitForFrame(rendered, 'ASCII mode on (saved)');
    const {loadSettings} = await import('../../source/settings.js');
    expect((await loadSettings(stateDir)).ascii).toBe(true);
  });
});

describe('the header at 80 columns', () => {
  it('names all five configuration files without cutting the last one', () => {
    const files = ['CYREN/ctasd.conf', 'CYREN/ctipd.conf', 'CYREN/ctwsd.conf', 'Configuration/Gateway Role.config', 'Configuration/Intranet Role.config'].map(path => ({path, exists: true}));
    for (const ascii of [false, true]) {
      const line = filesLine(files, 80, ascii);
      expect(line).toContain('Intranet Role');
      expect(line).not.toMatch(/…|\.\.\./);
      expect(line.length).toBeLessThanOrEqual(80);
    }
    expect(filesLine(files, 120, false)).toContain('Intranet Role.config');
  });
});
