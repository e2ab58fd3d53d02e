import React from 'react';
import {cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {CyrenScreen} from '../../components/cyren/CyrenScreen.js';
import {KeyRouter} from '../../components/input/key-router.js';
import {LayoutProvider} from '../../components/layout.js';
import {type ConsoleContext, contextFrom} from '../../source/context.js';
import {SandboxServiceControl} from '../../source/system/services.js';
import {keys, press, renderScreen, waitForFrame, type Rendered} from '../helpers/ink.js';
import {freePort} from '../harness/tinyproxy.js';

const sandboxCyren = join(import.meta.dirname, '..', '..', 'examples', 'sandbox', 'CYREN');
const password = 'Sup3r-Secret.pw';
const bodyRows = 24 - 4 - 2 - 1;

let base: string;
let context: ConsoleContext;
let backs = 0;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'nsp-cyren-screen-'));
  await cp(sandboxCyren, join(base, 'root', 'CYREN'), {recursive: true});
  await mkdir(join(base, 'state'));
  context = contextFrom({root: join(base, 'root'), isDemo: true, stateDir: join(base, 'state'), hostName: 'test', platform: 'linux', ascii: true, color: false, env: process.env});
  backs = 0;
});
afterEach(async () => {
  await rm(base, {recursive: true, force: true});
});

async function open(): Promise<Rendered> {
  const rendered = await renderScreen(
    <LayoutProvider ascii color={false}>
      <KeyRouter>
        <CyrenScreen context={context} back={() => backs++} setKeyHelp={() => {}} quit={() => {}} />
      </KeyRouter>
    </LayoutProvider>,
  );
  await waitForFrame(rendered, 'Set the proxy...');
  return rendered;
}

/** Every frame fits the body of an 80x24 terminal and is plain ASCII. */
function expectFramesFit(rendered: Rendered) {
  for (const frame of rendered.frames) {
    const lines = frame.split('\n');
    expect(lines.length, frame).toBeLessThanOrEqual(bodyRows);
    expect(/[^\x00-\x7f]/.test(frame), frame).toBe(false);
  }
}

async function typeText(rendered: Rendered, text: string) {
  await press(rendered, text);
}

/** From the file list: open the form, type server and port (no authentication) and wait for the preview. */
async function previewNoAuthProxy(rendered: Rendered, server: string, port: string) {
  await press(rendered, keys.enter);
  await waitForFrame(rendered, 'Set the CYREN web proxy');
  await typeText(rendered, server);
  await press(rendered, keys.tab);
  await typeText(rendered, port);
  await press(rendered, keys.enter + keys.enter + keys.enter);
  await waitForFrame(rendered, 'Preview: set the proxy');
}

describe('CyrenScreen', () => {
  it('shows the state per file, validates the form next to the fields, previews with the password masked, writes, restarts and checks', async () => {
    const closedPort = await freePort();
    await writeFile(join(context.stateDir, 'settings.json'), JSON.stringify({cyren: {checkTarget: '127.0.0.1:9'}}));
    const rendered = await open();
    expect(rendered.lastFrame()).toMatch(/ctasd\.conf\s+disabled/);
    expect(rendered.lastFrame()).toMatch(/ctwsd\.conf\s+disabled/);

    await press(rendered, keys.enter);
    await waitForFrame(rendered, 'Set the CYREN web proxy');
    await typeText(rendered, 'my proxy');
    await press(rendered, keys.down);
    expect(await waitForFrame(rendered, 'cannot contain spaces')).toMatch(/Proxy server:\s+my proxy\n\s+! A host name cannot contain spaces/);
    await typeText(rendered, '70000');
    await press(rendered, keys.tab);
    expect(rendered.lastFrame()).toMatch(/Port:\s+70000\n\s+! 70000 is out of range/);
    // Fix both fields.
    await press(rendered, keys.up);
    await press(rendered, '\u0015');
    await typeText(rendered, String(closedPort));
    await press(rendered, keys.up);
    await press(rendered, '\u0015');
    await typeText(rendered, '127.0.0.1');
    await press(rendered, keys.down + keys.down);
    await press(rendered, ' ');
    expect(rendered.lastFrame()).toMatch(/\(\*\) Basic/);
    await press(rendered, keys.down);
    await typeText(rendered, 'CORP\\svc');
    await press(rendered, keys.down);
    await typeText(rendered, 'line\u0001');
    await press(rendered, '\u0015');
    await typeText(rendered, password);
    expect(rendered.lastFrame()).toContain('*'.repeat(password.length));
    expect(rendered.lastFrame()).not.toMatch(/!/);
    await press(rendered, keys.enter);
    await press(rendered, keys.enter);

    const preview = await waitForFrame(rendered, 'Preview: set the proxy');
    expect(preview).toMatch(/\+ ProxyPassword = \*{8}/);
    expect(preview).toMatch(/\+ ProxyServerAddress = 127\.0\.0\.1/);
    await press(rendered, 'y');
    const done = await waitForFrame(rendered, 'Enter: back to the overview', 20_000);
    expect(done).toMatch(/\[ok\] write ctasd\.conf, ctipd\.conf, ctwsd\.conf/);
    expect(done).toMatch(/\[ok\] restart NoSpamProxy - CYREN Service/);
    expect(done).toMatch(/\[!!\] check: CONNECT 127\.0\.0\.1:9 via 127\.0\.0\.1:\d+/);
    expect(done).toMatch(/Connection refused/);
    expect(done).toMatch(/ctmail\.com must be reachable/);

    await press(rendered, keys.enter);
    expect(await waitForFrame(rendered, /ctasd\.conf\s+enabled/)).toMatch(/127\.0\.0\.1:\d+\s+Basic\s+user CORP\\svc\s+password set/);

    // The password is in the ProxyPassword lines and nowhere else: not on screen, not in other lines.
    for (const frame of rendered.frames) expect(frame).not.toContain(password);
    for (const name of ['ctasd.conf', 'ctipd.conf', 'ctwsd.conf']) {
      const lines = (await readFile(join(context.root, 'CYREN', name), 'utf8')).split('\r\n');
      expect(lines.filter(line => line.includes(password))).toEqual([`ProxyPassword = ${password}`]);
    }
    expect(await readFile(join(context.root, '.services.json'), 'utf8')).not.toContain(password);
    expectFramesFit(rendered);
    rendered.unmount();
  });

  it('turns the proxy off with a preview, and restores the backup from the list', async () => {
    const rendered = await open();
    const original = await readFile(join(context.root, 'CYREN', 'ctasd.conf'));
    // Set a NoAuth proxy first.
    await previewNoAuthProxy(rendered, 'proxy.corp.example', '8080');
    await press(rendered, keys.escape);
    await waitForFrame(rendered, 'Set the CYREN web proxy');
    expect(rendered.lastFrame()).toMatch(/Proxy server:\s+proxy\.corp\.example/);
    // Back from the preview, the focus is on "Preview the change": marked by a pointer and brackets, not only by colour.
    expect(rendered.lastFrame()).toContain('> [ Preview the change ]');
    await press(rendered, keys.enter);
    await waitForFrame(rendered, 'Preview: set the proxy');
    // Write without the check (the default target is not on loopback): --no-check is not in the screen,
    // so point the check at a closed loopback port.
    await writeFile(join(context.stateDir, 'settings.json'), JSON.stringify({cyren: {checkTarget: '127.0.0.1:9'}}));
    await press(rendered, 'y');
    await waitForFrame(rendered, /\[ok\] write/, 20_000);
    await waitForFrame(rendered, 'Enter: back', 20_000);
    await press(rendered, keys.enter);
    await waitForFrame(rendered, /ctasd\.conf\s+enabled/);

    await press(rendered, keys.down);
    await press(rendered, keys.enter);
    const preview = await waitForFrame(rendered, 'Preview: turn the proxy off');
    expect(preview).toMatch(/\+ #ProxyServerAddress = proxy\.corp\.example/);
    // Enter does not write; only y does.
    await press(rendered, keys.enter);
    expect(rendered.lastFrame()).toContain('Preview: turn the proxy off');
    await press(rendered, 'y');
    await waitForFrame(rendered, 'Enter: back to the overview', 20_000);
    await press(rendered, keys.enter);
    await waitForFrame(rendered, /ctasd\.conf\s+disabled/);

    await press(rendered, keys.down + keys.down + keys.down);
    await press(rendered, keys.enter);
    // Each set says what it holds: the newest (before turning off) the proxy, the oldest (as shipped) none.
    const list = await waitForFrame(rendered, /Restore a backup \(newest first\)[\s\S]*no proxy/);
    expect(list).toMatch(/1 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d.*proxy proxy\.corp\.example:8080, auth no/);
    await press(rendered, keys.enter);
    // The newest set: what each file holds now and after, and the diff (- now, + after), before anything is written.
    const newest = await waitForFrame(rendered, /Restore the backup of[\s\S]*after: proxy proxy\.corp\.example:8080, auth no/);
    expect(newest).toMatch(/now: +no proxy/);
    expect(newest).toMatch(/\d+ \+ ProxyServerAddress = proxy\.corp\.example/);
    expect(newest).toMatch(/\d+ - #ProxyServerAddress = proxy\.corp\.example/);
    expectFramesFit(rendered);
    // Enter does not restore; n goes back to the list.
    await press(rendered, keys.enter);
    expect(rendered.lastFrame()).toContain('Restore the backup of');
    await press(rendered, 'n');
    await waitForFrame(rendered, 'Restore a backup...');
    expect(await readFile(join(context.root, 'CYREN', 'ctasd.conf'), 'utf8')).toContain('#ProxyServerAddress = proxy.corp.example');
    await press(rendered, '4');
    await press(rendered, keys.enter);
    await waitForFrame(rendered, 'Restore a backup (newest first)');
    // Oldest backup set = the files as shipped.
    await press(rendered, '\u001B[F');
    await press(rendered, keys.enter);
    await waitForFrame(rendered, /Restore the backup of[\s\S]*after: no proxy/);
    await press(rendered, 'y');
    await waitForFrame(rendered, 'Enter: back to the overview', 20_000);
    expect((await readFile(join(context.root, 'CYREN', 'ctasd.conf'))).equals(original)).toBe(true);
    expectFramesFit(rendered);
    rendered.unmount();
  });

  it('offers a roll-back when a service does not come back', async () => {
    const control = new SandboxServiceControl(context.root);
    const state = await control.load();
    state.services.NspSandboxCyren!.failsToStart = true;
    await control.save(state);
    const original = await readFile(join(context.root, 'CYREN', 'ctasd.conf'));
    const rendered = await open();
    await previewNoAuthProxy(rendered, '10.0.0.1', '3128');
    await press(rendered, 'y');
    const failed = await waitForFrame(rendered, 'A service did not come back', 20_000);
    expect(failed).toMatch(/\[!!\] restart NoSpamProxy . CYREN Service/);
    await press(rendered, 'r');
    await waitForFrame(rendered, /Rolled back/, 20_000);
    expect((await readFile(join(context.root, 'CYREN', 'ctasd.conf'))).equals(original)).toBe(true);
    rendered.unmount();
  });

  it('keeps the form and says so when a file cannot hold a typed character', async () => {
    await cp(join(import.meta.dirname, '..', 'fixtures', 'cyren', 'latin1.conf'), join(context.root, 'CYREN', 'ctwsd.conf'));
    const before = await readFile(join(context.root, 'CYREN', 'ctwsd.conf'));
    const rendered = await open();
    await press(rendered, keys.enter);
    await waitForFrame(rendered, 'Set the CYREN web proxy');
    await typeText(rendered, '10.0.0.1');
    await press(rendered, keys.tab);
    await typeText(rendered, '3128');
    await press(rendered, keys.tab + ' ' + keys.tab);
    await typeText(rendered, 'svc');
    await press(rendered, keys.tab);
    await typeText(rendered, 'pol\u0141pw');
    await press(rendered, keys.enter + keys.enter);
    const frame = await waitForFrame(rendered, /ctwsd\.conf: The password contains some characters that ANSI/);
    expect(frame).toMatch(/Proxy server:\s+10\.0\.0\.1/);
    expect(frame).not.toContain('\u0141');
    expect((await readFile(join(context.root, 'CYREN', 'ctwsd.conf'))).equals(before)).toBe(true);
    rendered.unmount();
  });

  it('explains a missing CYREN folder', async () => {
    await rm(join(context.root, 'CYREN'), {recursive: true});
    const rendered = await renderScreen(
      <KeyRouter>
        <CyrenScreen context={context} back={() => backs++} setKeyHelp={() => {}} quit={() => {}} />
      </KeyRouter>,
    );
    expect(await waitForFrame(rendered, 'There is no CYREN folder')).toMatch(/Protection\s+module/);
    await press(rendered, keys.escape);
    expect(backs).toBe(1);
    expect(await readdir(context.root)).toEqual([]);
    rendered.unmount();
  });
});
