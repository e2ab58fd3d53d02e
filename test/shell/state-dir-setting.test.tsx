// The state dir chosen in Settings: a pointer file next to the default state dir names it for the next
// start; --state-dir and NSP_CONSOLE_STATE_DIR still win; a run not finished in this state dir blocks it.
import React from 'react';
import {existsSync, readFileSync} from 'node:fs';
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {App} from '../../components/shell/App.js';
import {createContext, type ConsoleContext, type GlobalOptions} from '../../source/context.js';
import type {EnvironmentReport} from '../../source/environment.js';
import {writeJournal} from '../../source/logflow/journal.js';
import {initialFlowState} from '../../source/logflow/machine.js';
import {press, renderScreen, waitForFrame, type Rendered} from '../helpers/ink.js';

let base: string;
let rendered: Rendered | undefined;
const report: EnvironmentReport = {root: '/demo', isDemo: true, stateDir: '/state', hostName: 'gw1', nspVersion: 'unknown', files: []};

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'nsp-state-dir-'));
  await mkdir(join(base, 'root'));
});
afterEach(async () => {
  rendered?.unmount();
  rendered = undefined;
  await rm(base, {recursive: true, force: true});
});

const env = () => ({XDG_STATE_HOME: join(base, 'xdg')});
const pointerFile = () => join(base, 'xdg', 'nsp-console.state-dir');

/** What the pointer holds, the flag and the variable given, and the state dir the console then uses. */
const precedence: readonly {name: string; pointer?: string; flag?: string; variable?: string; expected: (base: string) => string; from: string; note?: RegExp}[] = [
  {name: 'no pointer: the default', expected: b => join(b, 'xdg', 'nsp-console'), from: 'default'},
  {name: 'a pointer with a full path', pointer: 'chosen', expected: b => join(b, 'chosen'), from: 'pointer'},
  {name: 'a pointer with a relative path is not used, and says so', pointer: 'relative/dir', expected: b => join(b, 'xdg', 'nsp-console'), from: 'default', note: /nsp-console\.state-dir \(the state dir chosen in Settings\) does not hold a full path; using the default state dir/},
  {name: 'an empty pointer is not used, and says so', pointer: '', expected: b => join(b, 'xdg', 'nsp-console'), from: 'default', note: /is empty; using the default state dir/},
  {name: 'NSP_CONSOLE_STATE_DIR wins over the pointer', pointer: 'chosen', variable: 'from-env', expected: b => join(b, 'from-env'), from: 'env'},
  {name: '--state-dir wins over both', pointer: 'chosen', variable: 'from-env', flag: 'from-flag', expected: b => join(b, 'from-flag'), from: 'flag'},
];

describe('the state dir pointer', () => {
  it.each(precedence.map(entry => ({...entry, label: entry.name})))('$label', async entry => {
    if (entry.pointer !== undefined) {
      await mkdir(join(base, 'xdg'), {recursive: true});
      await writeFile(pointerFile(), entry.pointer === 'relative/dir' || entry.pointer === '' ? entry.pointer : `${join(base, entry.pointer)}\n`);
    }
    const options: GlobalOptions = {root: join(base, 'root'), ...(entry.flag ? {stateDir: join(base, entry.flag)} : {})};
    const context = await createContext(options, {...env(), ...(entry.variable ? {NSP_CONSOLE_STATE_DIR: join(base, entry.variable)} : {})}, 'linux');
    expect(context.stateDir).toBe(entry.expected(base));
    expect(context.stateDirFrom).toBe(entry.from);
    if (entry.note) expect(context.stateDirNote).toMatch(entry.note);
    else expect(context.stateDirNote).toBeUndefined();
  });
});

async function openStateField(context: ConsoleContext): Promise<Rendered> {
  rendered = await renderScreen(<App context={context} report={report} />);
  await waitForFrame(rendered, 'What do you want to do?');
  await press(rendered, '6\r');
  await waitForFrame(rendered, 'Change the state dir');
  await press(rendered, '4\r');
  await waitForFrame(rendered, 'State dir from the next start (');
  return rendered;
}

describe('an unusable pointer at start', () => {
  it('the main menu says it once, in one line, and the default state dir is used', async () => {
    await mkdir(join(base, 'xdg'), {recursive: true});
    await writeFile(pointerFile(), 'relative/dir\n');
    const context = await createContext({root: join(base, 'root')}, env(), 'linux');
    rendered = await renderScreen(<App context={context} report={report} />);
    const frame = await waitForFrame(rendered, 'What do you want to do?');
    expect(frame.replace(/\n/g, ' ')).toMatch(/does not hold a full path; using the default state dir/);
  });
});

describe('Settings: change the state dir', () => {
  it('names the new folder in the pointer (created, writable); the next start uses it', async () => {
    const context = await createContext({root: join(base, 'root')}, env(), 'linux');
    const screen = await openStateField(context);
    expect(screen.lastFrame()).toContain(`State dir: ${join(base, 'xdg', 'nsp-console')}`);
    const chosen = join(base, 'elsewhere', 'state');
    await press(screen, `\u0015${chosen}\r`);
    const frame = await waitForFrame(screen, /State dir from the next start: [^(]*\(saved/);
    expect(frame.replace(/\n/g, '')).toContain(chosen);
    expect(readFileSync(pointerFile(), 'utf8')).toBe(`${chosen}\n`);
    expect(existsSync(chosen)).toBe(true);
    const next = await createContext({root: join(base, 'root')}, env(), 'linux');
    expect(next.stateDir).toBe(chosen);
  });

  it('refuses a relative path, and refuses while a troubleshooting run is not finished in this state dir', async () => {
    const context = await createContext({root: join(base, 'root'), stateDir: join(base, 'current')}, env(), 'linux');
    const screen = await openStateField(context);
    await press(screen, '\u0015relative/dir\r');
    await waitForFrame(screen, 'Not a full path: relative/dir');
    await writeJournal(context.stateDir, {version: 1, ownerPid: process.pid, watchdogGraceMs: 0, commandTimeoutMs: 0, state: initialFlowState('run-1', 60_000, Date.now(), []), history: []});
    await press(screen, `\u0015${join(base, 'other')}\r`);
    await waitForFrame(screen, /Not changed: a troubleshooting run is not finished/);
    expect(existsSync(pointerFile())).toBe(false);
  });
});
