import {execFileSync} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {consoleInTmuxPerTest, expectFrameWithin} from '../harness/console-session.js';
import {consoleCommand, launcher, TmuxSession} from '../harness/tmux.js';

let session: TmuxSession | undefined;
let stateDir: string;

consoleInTmuxPerTest(() => session, () => stateDir);

/** Every screen fits 80x24 and has no line wider than the terminal. */
function expectFits(screen: string): void {
  expectFrameWithin(screen, 80, 24);
}

describe('recipe end to end: the built console in tmux on the demo sandbox', () => {
  it('enables the TCP proxy tunnel (stop, edit, start, verify), ticks a checklist step, and the CLI sees both', async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'nsp-recipes-e2e-'));
    session = new TmuxSession(consoleCommand(['--state-dir', stateDir]));
    await session.waitFor('What do you want to do?');
    session.sendKeys('5');
    await session.waitFor(/[❯>] 5 Recipes/);
    session.sendKeys('Enter');
    expectFits(await session.waitFor('Knowledge-base recipes'));
    session.sendKeys('Enter');
    expectFits(await session.waitFor('TCP proxy tunnel disabled'));
    session.sendKeys('Enter');
    const confirm = await session.waitFor('Go ahead?');
    expect(confirm).toContain('+     <smtpServicePointConfiguration isProxyTunnelEnabled="true" />');
    expect(confirm).toContain('(Demo sandbox: the service is simulated.)');
    expect(confirm).toContain('y  Yes, enable it');
    expectFits(confirm);
    session.sendKeys('y');
    const done = await session.waitFor('The tunnel is enabled and the value survived the start.');
    expect(done).toMatch(/stop: NoSpamProxy - Gateway Role stopped/);
    expect(done).toMatch(/verify: Re-read the file: isProxyTunnelEnabled is true after start-up/);
    expectFits(done);

    const configuration = join(stateDir, 'sandbox', 'Configuration');
    const config = readFileSync(join(configuration, 'Gateway Role.config'), 'utf8');
    expect(config).toContain('  <netatwork.nospamproxy.proxyconfiguration>\r\n    <smtpServicePointConfiguration isProxyTunnelEnabled="true" />\r\n    <connectionLimits');
    const backups = readdirSync(configuration).filter(name => name.endsWith('.nspbak'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(configuration, backups[0]!), 'utf8')).not.toContain('smtpServicePointConfiguration');
    const services = JSON.parse(readFileSync(join(stateDir, 'sandbox', '.services.json'), 'utf8'));
    expect(services.log.map((entry: {action: string; name: string}) => `${entry.action} ${entry.name}`)).toEqual(['stop NetatworkMailGatewayGatewayRole', 'start NetatworkMailGatewayGatewayRole']);

    session.sendKeys('Enter');
    expectFits(await session.waitFor('Remaining manual steps (0/3 done)'));
    session.sendKeys('Enter');
    await session.waitFor('(1/3 done)');
    session.sendKeys('Escape');
    await session.waitFor('TCP proxy tunnel ENABLED');
    session.sendKeys('Escape');
    await session.waitFor('Knowledge-base recipes');
    session.sendKeys('Escape');
    await session.waitFor('What do you want to do?');
    session.sendKeys('q');
    await session.waitFor('[exit 0]');

    const status = execFileSync(process.execPath, [launcher, '--state-dir', stateDir, 'recipe', 'tcp-tunnel', 'status'], {encoding: 'utf8'});
    expect(status).toContain('TCP proxy tunnel ENABLED');
    expect(status).toContain('[x] SPF record includes a:proxy.nospamproxy.de');
    expect(status).toContain('[ ] Root CA certificate imported (computer account)');
  });
});
