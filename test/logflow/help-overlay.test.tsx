import React from 'react';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {App} from '../../components/shell/App.js';
import {createContext, type ConsoleContext} from '../../source/context.js';
import type {EnvironmentReport} from '../../source/environment.js';
import {resetShutdownForTests, runShutdownHandlers} from '../../source/system/shutdown.js';
import {press, renderScreen, settle, waitForFrame, type Rendered} from '../helpers/ink.js';

// `?` during the troubleshooting-log flow (QA at 80x24): the help must fit and must not cost the flow its state.

let stateDir: string;
let context: ConsoleContext;
let rendered: Rendered | undefined;
const report: EnvironmentReport = {root: '/demo', isDemo: true, stateDir: '/state', hostName: 'gw1', nspVersion: 'unknown', files: []};

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'nsp-logflow-help-'));
  context = await createContext({stateDir, ascii: true}, {});
});
afterEach(async () => {
  rendered?.unmount();
  rendered = undefined;
  await runShutdownHandlers('test cleanup');
  resetShutdownForTests();
  await rm(stateDir, {recursive: true, force: true});
});

async function openAt80x24(): Promise<Rendered> {
  const screen = await renderScreen(<App context={{...context, ascii: true}} report={report} />);
  Object.defineProperty(screen.stdout, 'columns', {value: 80, configurable: true});
  Object.defineProperty(screen.stdout, 'rows', {value: 24, configurable: true});
  screen.stdout.emit('resize');
  await settle();
  await press(screen, '\r');
  await waitForFrame(screen, 'Step 1/8');
  return screen;
}

describe('help overlay over the troubleshooting-log flow', () => {
  it('fits 80x24 without overlapping lines: title, every flow key, the closing hint', async () => {
    rendered = await openAt80x24();
    await press(rendered, '?');
    const frame = await waitForFrame(rendered, 'Keys: Troubleshooting logs');
    const lines = frame.split('\n');
    expect(lines.length, frame).toBeLessThanOrEqual(23);
    expect(lines[0], frame).toMatch(/^nsp-console {2}Troubleshooting logs DEMO\s*$/);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    const boxRows = lines.filter(line => line.startsWith('| '));
    for (const row of boxRows) expect(row, frame).toMatch(/^\| .* \|$/);
    // Step 1's own key table: exactly the keys that work here, none of the later steps'.
    for (const text of ['Space', 'choose', 'continue (1 chosen)', 'Up/Down', 'new', 'location', 'remove', 'any key closes this help']) {
      expect(frame, text).toContain(text);
    }
    for (const later of ['finish now', 'extend', 'leave it on']) expect(frame, later).not.toContain(later);
    // The flow's own Esc meaning is not contradicted by the generic one.
    expect(frame).not.toContain('back one screen');
  });

  it('keeps the flow where it was: closing the help shows the same step with its choices', async () => {
    rendered = await openAt80x24();
    await press(rendered, '\r');
    await waitForFrame(rendered, 'Step 2/8');
    await press(rendered, ' ');
    await waitForFrame(rendered, '[ ] AntiSpam service');
    await press(rendered, '?');
    await waitForFrame(rendered, 'any key closes this help');
    await press(rendered, 'z');
    const frame = await waitForFrame(rendered, 'Step 2/8');
    expect(frame).toContain('[ ] AntiSpam service');
    expect(frame).toContain('[x] Mailvalidation');
  });
});
