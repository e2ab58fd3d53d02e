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

describe('the health screen', () => {
  it('opens from the main menu, shows each section with what to do next, checks again with r, and goes back with Esc', async () => {
    rendered = await renderScreen(<App context={context} report={report} />);
    const size = standardSizes[0]!;
    resizeTerminal(rendered, size);
    const expectFits = (shown: Rendered) => expect(frameProblem(shown.lastFrame() ?? '', size)).toBeUndefined();
    expect(rendered.lastFrame()).toContain('Health check');
    await press(rendered, '7\r');
    const frame = await waitForFrame(rendered, /Health: (nothing|something)/);
    expect(frame).toContain('Services:');
    expect(frame).toMatch(/ok +NoSpamProxy - Gateway Role \(NetatworkMailGatewayGatewayRole\): running/);
    expectFits(rendered);

    // A service stops meanwhile: r shows it, with the next step.
    const services = new SandboxServiceControl(context.root);
    await services.stop('NetatworkMailGatewayGatewayRole');
    await press(rendered, 'r');
    const again = await waitForFrame(rendered, 'Health: something needs attention');
    expect(again).toMatch(/!! +NoSpamProxy - Gateway Role \(NetatworkMailGatewayGatewayRole\): stopped/);
    expect(again).toMatch(/next: Start it \(Start-Service NetatworkMailGatewayGatewayRole\)/);
    expectFits(rendered);

    await press(rendered, keys.escape);
    await waitForFrame(rendered, 'What do you want to do?');
  });
});
