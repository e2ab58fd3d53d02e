import {mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startTargetServer, startTinyproxy, type RunningTinyproxy} from '../harness/tinyproxy.js';
import {ensureBuilt} from '../harness/build.js';
import {consoleCommand, TmuxSession} from '../harness/tmux.js';

/** The shared tmux session, remembering every screen it saw (to prove what was never visible). */
class WatchedSession {
  readonly captures: string[] = [];
  constructor(readonly session: TmuxSession) {}
  type(text: string) {
    this.session.sendBurst(text);
  }
  key(...names: string[]) {
    this.session.sendKeys(...names);
  }
  async waitFor(text: string | RegExp | ((screen: string) => boolean), timeoutMs = 15_000): Promise<string> {
    return this.session.waitFor(screen => {
      this.captures.push(screen);
      return typeof text === 'string' ? screen.includes(text) : typeof text === 'function' ? text(screen) : text.test(screen);
    }, timeoutMs);
  }
  kill() {
    this.session.kill();
  }
}

const password = 'e2e.secret-pw9';

async function filesUnder(folder: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of await readdir(folder)) {
    const path = join(folder, name);
    if ((await stat(path)).isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out;
}

describe('end to end in tmux (built binary, 80x24, copy of the sandbox)', () => {
  let stateDir: string;
  let tmux: WatchedSession;
  let proxy: RunningTinyproxy;
  let target: Awaited<ReturnType<typeof startTargetServer>>;

  beforeAll(async () => {
    ensureBuilt();
    stateDir = await mkdtemp(join(tmpdir(), 'nsp-cyren-e2e-'));
    [proxy, target] = await Promise.all([startTinyproxy({basicAuth: {user: 'cyren', password}}), startTargetServer()]);
    await mkdir(stateDir, {recursive: true});
    await writeFile(join(stateDir, 'settings.json'), JSON.stringify({ascii: true, cyren: {checkTarget: `127.0.0.1:${target.port}`}}));
  });
  afterAll(async () => {
    tmux?.kill();
    await Promise.all([proxy?.stop(), target?.stop()]);
    await rm(stateDir, {recursive: true, force: true});
  });

  it('sets a proxy with authentication; the password is never on screen nor in any file except the ProxyPassword lines', async () => {
    tmux = new WatchedSession(new TmuxSession(consoleCommand([`--state-dir=${stateDir}`]), {env: {NSP_ROOT: '', TERM: 'xterm-256color'}}));
    await tmux.waitFor('What do you want to do?');
    // Wait until the menu shows the jump before pressing Enter (keys sent during start-up may land early).
    for (let attempt = 0; attempt < 20; attempt++) {
      tmux.type('3');
      try {
        await tmux.waitFor('> 3 CYREN proxy settings', 500);
        break;
      } catch {
        /* not drawn yet: type the digit again */
      }
    }
    tmux.key('Enter');
    const overview = await tmux.waitFor('Set the proxy...');
    expect(overview).toMatch(/ctasd\.conf\s+disabled/);

    tmux.key('Enter');
    await tmux.waitFor('Set the CYREN web proxy');
    tmux.type('127.0.0.1');
    tmux.key('Tab');
    tmux.type(String(proxy.port));
    tmux.key('Tab');
    tmux.key('Space');
    tmux.key('Tab');
    tmux.type('cyren');
    tmux.key('Tab');
    // Typed as one burst, as over SSH.
    tmux.type(password);
    const form = await tmux.waitFor('*'.repeat(password.length));
    expect(form).toMatch(/\(\*\) Basic/);
    tmux.key('Enter');
    tmux.key('Enter');
    // The footer names only the keys that work here (no "Enter select": Enter does not write). It is the
    // last line of a frame: waiting for it too means the capture did not fall inside a frame write.
    const footerOf = (screen: string) => screen.replace(/\n+$/, '').split('\n').at(-1)!;
    const preview = await tmux.waitFor((screen: string) => screen.includes('Preview: set the proxy') && footerOf(screen).startsWith('y write'));
    expect(preview).toMatch(/\+ ProxyPassword = \*{8}/);
    const previewFooter = footerOf(preview);
    expect(previewFooter).toMatch(/^y write {2}t test first {2}n\/Esc back/);
    expect(previewFooter).not.toContain('Enter');
    tmux.type('y');
    const done = await tmux.waitFor((screen: string) => screen.includes('Enter: back to the overview') && /^Enter\/Esc back/.test(footerOf(screen)), 30_000);
    expect(done).toMatch(/\[ok\] write ctasd\.conf, ctipd\.conf, ctwsd\.conf/);
    expect(done).toMatch(/\[ok\] restart NoSpamProxy - CYREN URL Categorization Service/);
    expect(done).toMatch(/\[ok\] check: CONNECT 127\.0\.0\.1:\d+ via 127\.0\.0\.1:\d+/);
    expect(footerOf(done)).toMatch(/^Enter\/Esc back {2}\? keys {2}q quit/);
    expect(done).toMatch(/Connected: the proxy/);
    tmux.key('Enter');
    const after = await tmux.waitFor(/ctasd\.conf\s+enabled/);
    expect(after).toMatch(/127\.0\.0\.1:\d+\s+Basic\s+user cyren\s+password set/);
    tmux.key('Escape');
    await tmux.waitFor('What do you want to do?');
    tmux.type('q');
    await tmux.waitFor('[exit 0]');

    // Never on screen, and every screen fits 80x24 in plain ASCII (settings: ascii).
    for (const screen of tmux.captures) {
      expect(screen).not.toContain(password);
      expect(screen.split('\n').length).toBeLessThanOrEqual(25);
      for (const line of screen.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
      // The shell header's 4th line (the foundation's) is cut by Ink with a unicode "…" even in ASCII
      // mode (reported to the lead); this capability's lines below it are checked.
      const body = screen.split('\n').slice(4).join('\n');
      expect(/[^\x00-\x7f]/.test(body), screen).toBe(false);
    }
    // In the files only as the ProxyPassword lines of the three .conf files.
    const holders: string[] = [];
    for (const file of await filesUnder(stateDir)) {
      const text = await readFile(file, 'latin1');
      if (!text.includes(password)) continue;
      holders.push(file.slice(stateDir.length + 1));
      expect(text.split(/\r?\n/).filter(line => line.includes(password))).toEqual([`ProxyPassword = ${password}`]);
    }
    expect(holders.sort()).toEqual(['sandbox/CYREN/ctasd.conf', 'sandbox/CYREN/ctipd.conf', 'sandbox/CYREN/ctwsd.conf']);
    expect(proxy.log()).not.toContain(password);
  });

  it('proxy set in a terminal: asks for the password masked and for confirmation', async () => {
    const cliState = join(stateDir, 'cli');
    const cli = new WatchedSession(new TmuxSession(consoleCommand([`--state-dir=${cliState}`, 'proxy', 'set', '--server', '127.0.0.1', '--port', String(proxy.port), '--auth', 'basic', '--user', 'cyren', '--no-restart']), {env: {NSP_ROOT: ''}}));
    try {
      await cli.waitFor('Proxy password:');
      cli.type(password);
      await cli.waitFor(`Proxy password: ${'*'.repeat(password.length)}`);
      cli.key('Enter');
      const asked = await cli.waitFor('Write these changes? [y/N]');
      expect(asked).toMatch(/\+ ProxyPassword = \*{8}/);
      cli.type('y');
      cli.key('Enter');
      const done = await cli.waitFor('[exit 0]');
      expect(done).toMatch(/written\s+\S+ctasd\.conf/);
      for (const screen of cli.captures) expect(screen).not.toContain(password);
      const ctasd = await readFile(join(cliState, 'sandbox', 'CYREN', 'ctasd.conf'), 'utf8');
      expect(ctasd).toContain(`ProxyPassword = ${password}\r\n`);
    } finally {
      cli.kill();
    }
  });

  it('proxy set in a terminal: a service that does not come back is rolled back on request', async () => {
    const cliState = join(stateDir, 'rollback');
    const sandbox = join(cliState, 'sandbox');
    // First run creates the sandbox copy; then one service is made to fail.
    const first = new WatchedSession(new TmuxSession(consoleCommand([`--state-dir=${cliState}`, 'proxy', 'show']), {env: {NSP_ROOT: ''}}));
    try {
      await first.waitFor('[exit 0]');
    } finally {
      first.kill();
    }
    const shipped = await readFile(join(sandbox, 'CYREN', 'ctipd.conf'));
    await writeFile(
      join(sandbox, '.services.json'),
      JSON.stringify({services: {NspSandboxCyren: {displayName: 'NoSpamProxy \u2013 CYREN Service', status: 'running'}, NspSandboxCyrenIpReputation: {displayName: 'NoSpamProxy \u2013 CYREN IP Reputation Service', status: 'running', failsToStart: true}, NspSandboxCyrenUrlCategorization: {displayName: 'NoSpamProxy \u2013 CYREN URL Categorization Service', status: 'running'}}, log: []}),
    );
    const cli = new WatchedSession(new TmuxSession(consoleCommand([`--state-dir=${cliState}`, 'proxy', 'set', '--server', '10.9.8.7', '--port', '3128']), {env: {NSP_ROOT: ''}}));
    try {
      await cli.waitFor('Write these changes? [y/N]');
      cli.type('y');
      cli.key('Enter');
      const asked = await cli.waitFor('Restore the backups and restart the services again? [y/N]');
      expect(asked).toMatch(/FAILED\s+NoSpamProxy . CYREN IP Reputation Service/);
      cli.type('y');
      cli.key('Enter');
      const done = await cli.waitFor('[exit 3]');
      expect(done).toMatch(/restored\s+\S+ctipd\.conf/);
      expect((await readFile(join(sandbox, 'CYREN', 'ctipd.conf'))).equals(shipped)).toBe(true);
    } finally {
      cli.kill();
    }
  });

  it('screen: after a failed restart and a roll-back, the key hints are shown in full at 80 columns', async () => {
    const screenState = join(stateDir, 'screen-rollback');
    const sandbox = join(screenState, 'sandbox');
    const first = new WatchedSession(new TmuxSession(consoleCommand([`--state-dir=${screenState}`, 'proxy', 'show']), {env: {NSP_ROOT: ''}}));
    try {
      await first.waitFor('[exit 0]');
    } finally {
      first.kill();
    }
    await writeFile(
      join(sandbox, '.services.json'),
      JSON.stringify({services: {NspSandboxCyren: {displayName: 'NoSpamProxy \u2013 CYREN Service', status: 'running'}, NspSandboxCyrenIpReputation: {displayName: 'NoSpamProxy \u2013 CYREN IP Reputation Service', status: 'running', failsToStart: true}, NspSandboxCyrenUrlCategorization: {displayName: 'NoSpamProxy \u2013 CYREN URL Categorization Service', status: 'running'}}, log: []}),
    );
    const screen = new WatchedSession(new TmuxSession(consoleCommand([`--state-dir=${screenState}`]), {env: {NSP_ROOT: ''}}));
    try {
      await screen.waitFor('What do you want to do?');
      screen.type('3\r');
      await screen.waitFor('Set the proxy');
      screen.key('Enter');
      await screen.waitFor('Proxy server:');
      screen.type('10.9.8.7\r3128\r\r');
      await screen.waitFor('Preview the change');
      screen.key('Enter');
      await screen.waitFor('y: write');
      screen.type('y');
      const failed = await screen.waitFor('A service did not come back');
      expect(failed).toContain('r: restore the backups and restart again');
      expect(failed).toMatch(/Enter:\s+keep/);
      screen.type('r');
      const rolledBack = await screen.waitFor('Rolled back');
      expect(rolledBack).toMatch(/Enter:\s+back/);
    } finally {
      screen.kill();
    }
  });
});
