import React from 'react';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {App} from '../../components/shell/App.js';
import {createContext, type ConsoleContext} from '../../source/context.js';
import type {EnvironmentReport} from '../../source/environment.js';
import {SandboxServiceControl} from '../../source/system/services.js';
import {frameProblem, resizeTerminal, standardSizes} from '../helpers/frame.js';
import {keys, press, renderScreen, waitForFrame, type Rendered} from '../helpers/ink.js';

let stateDir: string;
let context: ConsoleContext;
let rendered: Rendered | undefined;
const report: EnvironmentReport = {root: '/demo', isDemo: true, stateDir: '/state', hostName: 'gw1', nspVersion: 'unknown', files: []};

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'nsp-health-screen-'));
  context = await createContext({stateDir}, {});
});
afterEach(async () => {
  rendered?.unmount();
  rendered = undefined;
  await rm(stateDir, {recursive: true, force: true});
});

/** The console's one status vocabulary: marks, not colours, carry the status (NO_COLOR keeps them). */
const modes = [
  {label: 'box drawing, colours', ascii: false, color: true, ok: '✔', attention: '✖'},
  {label: 'ASCII, NO_COLOR', ascii: true, color: false, ok: '[ok]', attention: '[!!]'},
];

const escaped = (text: string) => text.replace(/[[\]]/g, '\\$&');

describe('the health screen', () => {
  it.each(modes)('opens from the main menu, shows each section with what to do next, checks again with r, and goes back with Esc ($label)', async mode => {
    rendered = await renderScreen(<App context={{...context, ascii: mode.ascii, color: mode.color}} report={report} />);
    const size = standardSizes[0]!;
    resizeTerminal(rendered, size);
    const expectFits = (shown: Rendered) => expect(frameProblem(shown.lastFrame() ?? '', size)).toBeUndefined();
    expect(rendered.lastFrame()).toContain('Health check');
    await press(rendered, '7\r');
    const frame = await waitForFrame(rendered, /Health: (nothing|something)/);
    expect(frame).toContain('Services:');
    expect(frame).toMatch(new RegExp(`^  ${escaped(mode.ok)} NoSpamProxy . Gateway Role \\(NetatworkMailGatewayGatewayRole\\): running`, 'm'));
    expect(frame).not.toMatch(/^\s+(ok|!!) /m);
    // Long lines wrap under their text instead of being cut, and the keys are on the footer only.
    expect(frame).not.toMatch(/(…|\.\.\.)$/m);
    expect(frame.replace(/\n\s+/g, ' ')).toMatch(/Gateway Role \(NetatworkMailGatewayGatewayRole\): running, start type \w+/);
    expect(frame).not.toContain('r: check again');
    expectFits(rendered);

    // A service stops meanwhile: r shows it, with the next step.
    const services = new SandboxServiceControl(context.root);
    await services.stop('NetatworkMailGatewayGatewayRole');
    await press(rendered, 'r');
    const again = await waitForFrame(rendered, 'Health: something needs attention');
    expect(again).toMatch(new RegExp(`^  ${escaped(mode.attention)} NoSpamProxy . Gateway Role \\(NetatworkMailGatewayGatewayRole\\): stopped`, 'm'));
    expect(again).toContain(`Health: something needs attention (${mode.attention})`);
    if (mode.ascii) expect(again).toMatch(/^[\x20-\x7e\n]*$/);
    expect(again).toMatch(/next: Start it \(Start-Service NetatworkMailGatewayGatewayRole\)/);
    expectFits(rendered);

    await press(rendered, keys.escape);
    await waitForFrame(rendered, 'What do you want to do?');
  });
});
