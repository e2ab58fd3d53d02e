import {execFileSync} from 'node:child_process';
import {mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startTargetServer, startTinyproxy, type RunningTinyproxy} from '../harness/tinyproxy.js';
import {TmuxSession} from './tmux-driver.js';

const repo = join(import.meta.dirname, '..', '..');
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
  let tmux: TmuxSession;
  let proxy: RunningTinyproxy;
  let target: Awaited<ReturnType<typeof startTargetServer>>;

  beforeAll(async () => {
    execFileSync(process.execPath, ['scripts/build.mjs'], {cwd: repo, stdio: 'ignore'});
    stateDir = await mkdtemp(join(tmpdir(), 'nsp-cyren-e2e-'));
    [proxy, target] = await Promise.all([startTinyproxy({basicAuth: {user: 'cyren', password}}), startTargetServer()]);
    await mkdir(stateDir, {recursive: true});
    await writeFile(join(stateDir, 'settings.json'), JSON.stringify({ascii: true, cyren: {checkTarget: `127.0.0.1:${target.port}`}}));
    tmux = new TmuxSession('nsp-cyren-e2e');
  });
  afterAll(async () => {
    tmux?.kill();
    await Promise.all([proxy?.stop(), target?.stop()]);
    await rm(stateDir, {recursive: true, force: true});
  });

  it('sets a proxy with authentication; the password is never on screen nor in any file except the ProxyPassword lines', async () => {
    tmux.start([process.execPath, join(repo, 'bin', 'nsp-console.js'), `--state-dir=${stateDir}`], {NSP_ROOT: '', TERM: 'xterm-256color'});
    await tmux.waitFor('What do you want to do?');
    tmux.type('3');
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
    const preview = await tmux.waitFor('Preview: set the proxy');
    expect(preview).toMatch(/\+ ProxyPassword = \*{8}/);
    tmux.type('y');
    const done = await tmux.waitFor('Enter: back to the overview', 30_000);
    expect(done).toMatch(/\[ok\] write ctasd\.conf, ctipd\.conf, ctwsd\.conf/);
    expect(done).toMatch(/\[ok\] restart NoSpamProxy - CYREN URL Categorization Service/);
    expect(done).toMatch(/\[ok\] check: CONNECT 127\.0\.0\.1:\d+ via 127\.0\.0\.1:\d+/);
    expect(done).toMatch(/Connected: the proxy/);
    tmux.key('Enter');
    const after = await tmux.waitFor(/ctasd\.conf\s+enabled/);
    expect(after).toMatch(/127\.0\.0\.1:\d+\s+Basic\s+user cyren\s+password set/);
    tmux.key('Escape');
    await tmux.waitFor('What do you want to do?');
    tmux.type('q');
    for (let i = 0; i < 50 && tmux.isRunning(); i++) await new Promise(resolve => setTimeout(resolve, 100));

    // Never on screen, and every screen fits 80x24 in plain ASCII.
    for (const screen of tmux.captures) {
      expect(screen).not.toContain(password);
      expect(screen.split('\n').length).toBeLessThanOrEqual(25);
      for (const line of screen.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
      // ASCII mode: the body (this capability's screens) is plain ASCII. The shell's header is the
      // foundation's (its file line and "Opening …" use a unicode ellipsis; reported to the lead).
      const body = screen
        .split('\n')
        .slice(4)
        .filter(line => !line.startsWith('Opening '))
        .join('\n');
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
});
