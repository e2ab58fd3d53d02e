import React from 'react';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it, vi} from 'vitest';
import {BundleScreen} from '../../components/bundle/BundleScreen.js';
import {KeyRouter} from '../../components/input/key-router.js';
import {LayoutProvider} from '../../components/layout.js';
import {Footer} from '../../components/shell/Footer.js';
import {verifyBundle} from '../../source/bundle/verify.js';
import {keys, press, renderScreen, settle, waitForFrame, type Rendered} from '../helpers/ink.js';
import {makeContext, makeLogflowRun, sandboxWithSecrets, tempDir} from './fixtures.js';

async function open(rows = 24) {
  const stateDir = tempDir('screen');
  const root = sandboxWithSecrets();
  makeLogflowRun(stateDir, 'run-screen', '2026-11-27T09:00:00Z', '2026-11-27T09:15:00Z', {'gw/smtp.log': 'EHLO x\n'});
  const context = makeContext(stateDir, root, {ascii: true});
  const back = vi.fn();
  const rendered = await renderScreen(
    <KeyRouter>
      <LayoutProvider ascii color={false}>
        <BundleScreen context={context} back={back} setKeyHelp={() => {}} quit={() => {}} />
        {/* The shell's footer: each view's keys come from its key table. */}
        <Footer />
      </LayoutProvider>
    </KeyRouter>,
  );
  // The console is 80x24: make the test terminal that size too.
  Object.defineProperty(rendered.stdout, 'columns', {value: 80, configurable: true});
  Object.defineProperty(rendered.stdout, 'rows', {value: rows, configurable: true});
  rendered.stdout.emit('resize');
  await waitForFrame(rendered, 'Support data:');
  // Wait until the items are in and the frame has been laid out at 80 columns.
  if (rows >= 24) await waitForFrame(rendered, /Configuration \(redacted\)\s+5 file/);
  const deadline = Date.now() + 5000;
  // (Between Ink's re-layout and the layout context's resize update, Ink may truncate a line with its own ellipsis.)
  while ((rendered.lastFrame() ?? '').split('\n').some(line => line.length > 80 || !/^[\x20-\x7e]*$/.test(line)) && Date.now() < deadline) await settle(2);
  return {rendered, stateDir, root, back};
}

function expectFits(frame: string, rows = 17): void {
  const lines = frame.split('\n');
  expect(lines.length, frame).toBeLessThanOrEqual(rows);
  for (const line of lines) {
    expect(line.length, line).toBeLessThanOrEqual(80);
    expect(line, 'ASCII only').toMatch(/^[\x20-\x7e]*$/);
  }
}

async function moveTo(rendered: Rendered, label: string): Promise<void> {
  for (let step = 0; step < 12; step++) {
    const line = (rendered.lastFrame() ?? '').split('\n').find(candidate => candidate.includes(label));
    if (line?.startsWith('> ')) return;
    await press(rendered, keys.down);
  }
  throw new Error(`could not select ${label}:\n${rendered.lastFrame()}`);
}

describe('BundleScreen', () => {
  it('shows every item with its state, fits 80x24 in ASCII', async () => {
    const {rendered} = await open();
    const frame = await waitForFrame(rendered, /Configuration \(redacted\)\s+5 file/);
    for (const label of ['NoSpamProxy version', 'Problem description', 'Environment', 'Configuration (redacted)', 'Event log warnings/errors', 'Message tracks (JSON)', 'Queues / emails on hold', 'Troubleshooting logs', 'Screenshots & attachments']) {
      expect(frame).toContain(label);
    }
    expect(frame).toMatch(/to enter\s+Problem description/);
    expect(frame).toMatch(/found\s+Configuration/);
    expect(frame).toMatch(/to enter\s+Troubleshooting logs\s+1 run\(s\) available/);
    expectFits(frame);
    rendered.unmount();
  });

  it('fills in the description with the multi-line editor and the version with a field', async () => {
    const {rendered} = await open();
    await moveTo(rendered, 'Problem description');
    await press(rendered, keys.enter);
    await waitForFrame(rendered, 'Describe the problem');
    await press(rendered, 'Mails stuck\rsince 09:00');
    await press(rendered, keys.up);
    await press(rendered, `${keys.backspace}${keys.backspace}${keys.backspace}${keys.backspace}${keys.backspace}`);
    expectFits(rendered.lastFrame() ?? '');
    await press(rendered, 'Queued');
    await press(rendered, '\u0004'); // Ctrl-D saves
    await waitForFrame(rendered, /found\s+Problem description\s+2 lines: Mails Queued/);
    await moveTo(rendered, 'NoSpamProxy version');
    await press(rendered, keys.enter);
    await waitForFrame(rendered, 'Version:');
    await press(rendered, '15.2.1.7\r');
    await waitForFrame(rendered, /found\s+NoSpamProxy version\s+15\.2\.1\.7 \(entered\)/);
    rendered.unmount();
  });

  it('picks message tracks with the keyboard file picker (folders, filter)', async () => {
    const {rendered, root} = await open();
    await moveTo(rendered, 'Message tracks');
    await press(rendered, keys.enter);
    let frame = await waitForFrame(rendered, 'message-track-4711.json');
    expect(frame).toContain(join(root, 'MessageTracks'));
    expectFits(frame);
    // ".." is first; move to the file and pick it, then finish with d.
    await press(rendered, keys.down);
    await press(rendered, ' ');
    frame = await waitForFrame(rendered, '[x] message-track-4711.json');
    expect(frame).toContain('1 chosen');
    // Up to the parent folder and back down into Configuration: only JSON files are listed until 'a'.
    await press(rendered, keys.backspace);
    frame = await waitForFrame(rendered, 'Configuration/');
    expect(frame).not.toContain('ctasd.conf');
    await press(rendered, 'd');
    await waitForFrame(rendered, /found\s+Message tracks \(JSON\)\s+1 valid of 1 file/);
    rendered.unmount();
  });

  it('skips and includes with s, chooses a log run, and writes the bundle from the summary', async () => {
    const {rendered, stateDir} = await open();
    await moveTo(rendered, 'Configuration');
    await press(rendered, 's');
    await waitForFrame(rendered, /skipped\s+Configuration/);
    await press(rendered, 's');
    await waitForFrame(rendered, /found\s+Configuration/);
    await moveTo(rendered, 'Troubleshooting logs');
    await press(rendered, keys.enter);
    await waitForFrame(rendered, 'latest: run-screen');
    await press(rendered, keys.enter);
    await waitForFrame(rendered, /found\s+Troubleshooting logs\s+run run-screen: 1 file/);
    await press(rendered, 'c');
    // The summary shows 'reading the settings...' until the output folder is known; wait for the path.
    let frame = await waitForFrame(rendered, /^(?![\s\S]*reading the settings)[\s\S]*Summary: write the support bundle\?/);
    // The path wraps instead of being cut.
    expect(frame.replace(/\n/g, '')).toMatch(/to ?\S*nsp-support-gw-test01-\d{8}-\d{4}\.zip/);
    expect(frame).toMatch(/missing: Problem description/);
    expectFits(frame);
    await press(rendered, keys.enter);
    frame = await waitForFrame(rendered, 'Support bundle written');
    expectFits(frame);
    const path = /(\/\S+nsp-support-\S+\.zip)/.exec(frame.replace(/\n/g, ''))![1]!;
    expect(path.startsWith(join(stateDir, 'output'))).toBe(true);
    expect(existsSync(path)).toBe(true);
    const report = await verifyBundle(path);
    expect(report.ok).toBe(true);
    expect(report.manifest.entries.map(entry => entry.path)).toContain('logs/run-screen/gw_smtp.log');
    rendered.unmount();
  });

  it('after writing shows the whole verify command (not cut) and records a typed description as typed', async () => {
    const {rendered, stateDir} = await open();
    await moveTo(rendered, 'Problem description');
    await press(rendered, keys.enter);
    await waitForFrame(rendered, 'Describe the problem');
    await press(rendered, 'Mails stuck');
    await press(rendered, '\u0004');
    await waitForFrame(rendered, /found\s+Problem description/);
    await press(rendered, 'c');
    await waitForFrame(rendered, 'Summary: write the support bundle?');
    await press(rendered, keys.enter);
    const frame = await waitForFrame(rendered, 'Support bundle written');
    expectFits(frame);
    const path = /(\/\S+nsp-support-\S+\.zip)/.exec(frame.replace(/\n/g, ''))![1]!;
    // Longer than the terminal is wide: Ink keeps blank rows for it (the terminal wraps it there, see
    // the tmux test); never a part of it on a line of its own.
    expect(frame).toContain('Check it with:');
    expect(frame).not.toContain('nsp-console bundle verify');
    // s saves it: the whole command, one line, in the output folder.
    await press(rendered, 's');
    const saved = await waitForFrame(rendered, 'Saved:');
    const file = /Saved:\s*(\S+\.txt)/.exec(saved.replace(/\n/g, ''))![1]!;
    expect(file.startsWith(join(stateDir, 'output', 'bundle-verify-'))).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(`nsp-console bundle verify "${path}"\n`);
    const report = await verifyBundle(path);
    expect(report.manifest.entries.find(entry => entry.path === 'description.txt')?.source).toBe('typed in the console');
    rendered.unmount();
  });

  it('pages the checklist on a small terminal (80x14)', async () => {
    const {rendered} = await open(14);
    const deadline = Date.now() + 5000;
    while (!(rendered.lastFrame() ?? '').includes('page 1/') && Date.now() < deadline) await settle(2);
    let frame = rendered.lastFrame() ?? '';
    expect(frame).toContain('page 1/');
    expectFits(frame, 7);
    await press(rendered, keys.up); // wraps to "Create the bundle" on the last page
    frame = await waitForFrame(rendered, '> >> Create the bundle');
    expect(frame).toMatch(/page (\d+)\/\1/);
    expect(frame).not.toContain('NoSpamProxy version');
    expectFits(frame, 7);
    rendered.unmount();
  });

  it('the summary uses the caps from settings.json and names the files that will be cut', async () => {
    const {rendered, stateDir} = await open();
    writeFileSync(join(stateDir, 'settings.json'), JSON.stringify({bundle: {maxFileBytes: 2048}}));
    const big = join(tempDir('big'), 'big.txt');
    writeFileSync(big, 'x'.repeat(10_000));
    await moveTo(rendered, 'Screenshots & attachments');
    await press(rendered, keys.enter);
    await waitForFrame(rendered, 'g go to a path');
    await press(rendered, 'g');
    await press(rendered, `\u0015${big}\r`);
    await waitForFrame(rendered, '1 chosen');
    await press(rendered, 'd');
    await waitForFrame(rendered, /found\s+Screenshots & attachments/);
    await press(rendered, 'c');
    await waitForFrame(rendered, 'Summary: write the support bundle?');
    const frame = await waitForFrame(rendered, 'will be cut');
    expect(frame).toMatch(/will be cut: big\.txt \(9\.8 KB, the first 2\.0 KB are kept\)/);
    expectFits(frame);
    rendered.unmount();
  });

  it('keeps the page indicator visible on a narrow terminal (60x14)', async () => {
    const {rendered} = await open(14);
    Object.defineProperty(rendered.stdout, 'columns', {value: 60, configurable: true});
    rendered.stdout.emit('resize');
    const frame = await waitForFrame(rendered, /page 1\/\d/);
    for (const line of frame.split('\n')) expect(line.length, line).toBeLessThanOrEqual(60);
    rendered.unmount();
  });

  it('goes back with Esc', async () => {
    const {rendered, back} = await open();
    await press(rendered, keys.escape);
    expect(back).toHaveBeenCalled();
    rendered.unmount();
  });
});
