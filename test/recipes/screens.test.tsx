import React from 'react';
import {Box} from 'ink';
import {cp, mkdtemp, readFile, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {KeyRouter} from '../../components/input/key-router.js';
import {LayoutProvider} from '../../components/layout.js';
import {RecipesScreen} from '../../components/recipes/RecipesScreen.js';
import {type ConsoleContext, contextFrom, shippedSandboxDir} from '../../source/context.js';
import {gatewayConfigPath} from '../../source/recipes/tcp-tunnel/tunnel-file.js';
import {createArgvStub, type ArgvStub} from '../harness/argv-stub.js';
import {keys, press, renderScreen, waitForFrame, type Rendered} from '../helpers/ink.js';
import {copyOverlayLines} from '../../components/widgets/copy-overlay.js';
import {fixtureDir} from './corpus.js';

let context: ConsoleContext;
let stub: ArgvStub;
let restorePath: () => void;
let backs: number;

beforeEach(async () => {
  const base = await mkdtemp(join(tmpdir(), 'nsp-recipes-ui-'));
  const root = join(base, 'root');
  await cp(shippedSandboxDir, root, {recursive: true});
  context = contextFrom({root, isDemo: true, stateDir: join(base, 'state'), hostName: 'nsp01', platform: 'linux', ascii: false, color: false, env: process.env});
  stub = await createArgvStub({sqlcmd: [{when: 'db-rights-verify', stdout: 'sysadmin=1\r\ndb_owner=1\r\ntables=17\r\n'}, {when: 'ProductVersion', stdout: 'version=16.0.1000.6\r\n'}, {stdout: ''}], reg: []});
  restorePath = stub.activate();
  backs = 0;
});
afterEach(async () => {
  restorePath();
  await stub.cleanup();
});

/** The default layout is 80x24 (17 body rows); ASCII mode goes through the LayoutProvider (whose test terminal is 100 wide). */
async function open(ascii = false): Promise<Rendered> {
  const screen = (
    <KeyRouter>
      <Box width={80} flexDirection="column">
        <RecipesScreen context={context} back={() => backs++} setKeyHelp={() => {}} quit={() => {}} />
      </Box>
    </KeyRouter>
  );
  return renderScreen(
    ascii ? (
      <LayoutProvider ascii color={false}>
        {screen}
      </LayoutProvider>
    ) : (
      screen
    ),
  );
}

/** Every frame must fit the body of an 80x24 terminal (17 rows) and stay within 80 columns. */
function expectFits(rendered: Rendered): void {
  const lines = (rendered.lastFrame() ?? '').split('\n');
  expect(lines.length, lines.join("\n")).toBeLessThanOrEqual(17);
  for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
}

/** Types text key by key (each key its own chunk, as a person types). */
async function type(rendered: Rendered, text: string): Promise<void> {
  for (const char of text) await press(rendered, char, 4);
}

describe('Recipes screen', () => {
  it('lists the four recipes and goes back with Esc', async () => {
    const rendered = await open();
    const frame = rendered.lastFrame()!;
    for (const label of ['TCP proxy tunnel', 'Azure reverse DNS', 'Database rights', 'WebPortal checks']) expect(frame).toContain(label);
    expectFits(rendered);
    await press(rendered, keys.escape);
    expect(backs).toBe(1);
    rendered.unmount();
  });

  it('TCP tunnel: shows the change, enables after confirmation, verifies, and ticks the checklist', async () => {
    const rendered = await open();
    await press(rendered, keys.enter);
    const overview = await waitForFrame(rendered, 'TCP proxy tunnel disabled: there is no <smtpServicePointConfiguration>');
    // The state is a reason: it wraps, never cut.
    expect(overview.replace(/\n/g, ' ')).toContain('TCP proxy tunnel disabled: there is no <smtpServicePointConfiguration> element yet.');
    expect(overview).not.toMatch(/…$/m);
    expectFits(rendered);
    await press(rendered, keys.enter);
    const confirm = await waitForFrame(rendered, 'Go ahead?');
    expect(confirm).toContain('+     <smtpServicePointConfiguration isProxyTunnelEnabled="true" />');
    expectFits(rendered);
    await press(rendered, 'y');
    const result = await waitForFrame(rendered, 'The tunnel is enabled and the value survived the start.');
    // Each step's message (service results) wraps under its text instead of being cut.
    expect(result).not.toMatch(/…$/m);
    expectFits(rendered);
    expect(await readFile(gatewayConfigPath(context.root), 'utf8')).toContain('    <smtpServicePointConfiguration isProxyTunnelEnabled="true" />\r\n');
    await press(rendered, keys.enter);
    await waitForFrame(rendered, 'Remaining manual steps (0/3 done)');
    expectFits(rendered);
    await press(rendered, keys.enter);
    await waitForFrame(rendered, '(1/3 done)');
    expect(rendered.lastFrame()).toContain('[x] SPF record includes a:proxy.nospamproxy.de');
    await expect.poll(async () => JSON.parse(await readFile(join(context.stateDir, 'settings.json'), 'utf8').catch(() => '{}')).recipes?.tcpTunnelChecklist).toEqual({spf: true, 'root-ca': false, 'smtp-server-name': false});
    rendered.unmount();
  });

  it('ASCII mode: every frame of the TCP tunnel run is plain ASCII', async () => {
    const rendered = await open(true);
    const frames: string[] = [rendered.lastFrame()!];
    const step = async (chunk: string, text: string) => {
      await press(rendered, chunk);
      frames.push(await waitForFrame(rendered, text));
    };
    await step(keys.enter, 'Enable the tunnel');
    await step(keys.enter, 'Go ahead?');
    await step('y', 'The tunnel is enabled');
    await step(keys.enter, 'Remaining manual steps');
    await writeFile(gatewayConfigPath(context.root), await readFile(join(fixtureDir, 'no-sections.config')));
    await step(keys.escape, 'Enable the tunnel');
    await step(keys.enter, 'Nothing was');
    for (const frame of frames) expect(frame).toMatch(/^[\x00-\x7f]*$/);
    expect(frames.join('\n')).toContain('[ok] verify');
    rendered.unmount();
  });

  it('TCP tunnel: says "No" leaves the file alone; a malformed file is reported, not crashed on', async () => {
    const before = await readFile(gatewayConfigPath(context.root));
    const rendered = await open();
    await press(rendered, keys.enter);
    await waitForFrame(rendered, 'Enable the tunnel');
    await press(rendered, keys.enter);
    await waitForFrame(rendered, 'Go ahead?');
    // Enter is not yes: only y restarts the service.
    await press(rendered, keys.enter);
    await waitForFrame(rendered, 'Enable the tunnel');
    expect(await readFile(gatewayConfigPath(context.root))).toEqual(before);
    await writeFile(gatewayConfigPath(context.root), await readFile(join(fixtureDir, 'malformed.config')));
    await press(rendered, keys.enter);
    await waitForFrame(rendered, /not well-formed XML at line 13, column 3/);
    expectFits(rendered);
    rendered.unmount();
  });

  it('TCP tunnel: the root CA import says certutil is missing here', async () => {
    const certificate = join(context.root, 'proxy-root.cer');
    await writeFile(certificate, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const rendered = await open();
    await press(rendered, keys.enter);
    await waitForFrame(rendered, 'Remaining manual steps');
    await press(rendered, '4');
    await press(rendered, keys.enter);
    await waitForFrame(rendered, 'Remaining manual steps (0/3 done)');
    await press(rendered, '5');
    await press(rendered, keys.enter);
    await waitForFrame(rendered, 'Certificate file');
    await type(rendered, join(context.root, 'nothing.cer'));
    await press(rendered, keys.enter);
    await waitForFrame(rendered, 'does not exist');
    for (let count = 0; count < 'nothing.cer'.length; count++) await press(rendered, keys.backspace, 4);
    await type(rendered, 'proxy-root.cer');
    await press(rendered, keys.enter);
    await waitForFrame(rendered, 'Run certutil now?');
    expect(rendered.lastFrame()).toContain(`certutil -addstore Root ${certificate}`);
    await press(rendered, 'y');
    await waitForFrame(rendered, 'certutil is not available here');
    expectFits(rendered);
    rendered.unmount();
  });

  it('Azure: the form validates, normalises and shows the command; without az it says so', async () => {
    const rendered = await open();
    await press(rendered, '2');
    await press(rendered, keys.enter);
    await waitForFrame(rendered, 'Resource group');
    expectFits(rendered);
    await type(rendered, 'rg;x');
    await press(rendered, keys.enter);
    await waitForFrame(rendered, 'may contain only letters');
    for (let count = 0; count < 2; count++) await press(rendered, keys.backspace, 4);
    await type(rendered, '-mail');
    await press(rendered, keys.enter);
    await type(rendered, 'mail-ip');
    await press(rendered, keys.enter);
    await type(rendered, 'Mail.Example.com');
    await press(rendered, keys.enter);
    await press(rendered, keys.enter);
    const plan = await waitForFrame(rendered, 'The command');
    const command = 'az network public-ip update --resource-group rg-mail --name mail-ip --reverse-fqdn mail.example.com.';
    // Wider than the terminal: blank rows in the frame, the command in one piece for the terminal to wrap.
    expect(plan).not.toContain('az network');
    expect(copyOverlayLines().map(line => line.text)).toEqual([command]);
    expect(copyOverlayLines()[0]!.row).toBe(plan.split('\n').indexOf('The command (copy it, or let the console run it)') + 2);
    expectFits(rendered);
    await press(rendered, 's');
    const saved = await waitForFrame(rendered, 'Saved:');
    const file = /Saved:\s*(\S+\.txt)/.exec(saved.replace(/\n/g, ''))![1]!;
    expect(file.startsWith(join(context.stateDir, 'output', 'azure-rdns-'))).toBe(true);
    expect(await readFile(file, 'utf8')).toBe(`${command}\n`);
    // Run it: az is missing here, so the command to copy into Cloud Shell is shown (not the empty form).
    await press(rendered, keys.enter);
    const cloudShell = await waitForFrame(rendered, 'The Azure CLI (az) is not installed here');
    expect(cloudShell).toContain('Azure Cloud Shell');
    expect(copyOverlayLines().map(line => line.text)).toEqual([command]);
    expectFits(rendered);
    await press(rendered, keys.escape);
    await waitForFrame(rendered, 'The command (copy it');
    // The Cloud Shell view's command leaves and the plan's arrives in one commit: the plan's stays drawn.
    expect(copyOverlayLines().map(line => line.text)).toEqual([command]);
    await press(rendered, keys.escape);
    await waitForFrame(rendered, 'Resource group');
    // Leaving the plan takes its command off before the next frame is drawn (nothing painted over the form).
    expect(copyOverlayLines()).toEqual([]);
    rendered.unmount();
  });

  it('DB rights: refuses an implausible account, prefills the instance, shows and runs the script', async () => {
    const rendered = await open();
    await press(rendered, '3');
    await press(rendered, keys.enter);
    await waitForFrame(rendered, 'Account (DOMAIN\\name)');
    await type(rendered, 'EXAMPLE\\x];');
    await press(rendered, keys.enter);
    await waitForFrame(rendered, 'an account name cannot contain');
    for (let count = 0; count < 3; count++) await press(rendered, keys.backspace, 4);
    await type(rendered, "O'Brien");
    await press(rendered, keys.enter);
    await waitForFrame(rendered, "Which role's database?");
    await press(rendered, keys.enter);
    const instance = await waitForFrame(rendered, 'SQL Server instance');
    expect(instance).toContain('(local)\\NOSPAMPROXY');
    await press(rendered, keys.enter);
    await waitForFrame(rendered, 'Show the T-SQL script');
    expectFits(rendered);
    await press(rendered, keys.enter);
    const script = await waitForFrame(rendered, 'lines 1-');
    expect(script).toContain("IF SUSER_ID(N'EXAMPLE\\O''Brien') IS NULL");
    expectFits(rendered);
    // s saves the script (UTF-8 with BOM, for Management Studio) into the output folder, path shown.
    await press(rendered, 's');
    const savedScript = await waitForFrame(rendered, 'Saved:');
    const scriptFile = /Saved:\s*(\S+\.sql)/.exec(savedScript.replace(/\n/g, ''))![1]!;
    expect(scriptFile.startsWith(join(context.stateDir, 'output', 'db-rights-gateway-'))).toBe(true);
    expect(await readFile(scriptFile, 'utf8')).toContain("IF SUSER_ID(N'EXAMPLE\\O''Brien') IS NULL");
    expectFits(rendered);
    await press(rendered, keys.escape);
    await waitForFrame(rendered, 'Run it with sqlcmd now');
    await press(rendered, '3');
    await press(rendered, keys.enter);
    await waitForFrame(rendered, 'Rights set and verified');
    expect(rendered.lastFrame()).toContain('tables in NoSpamProxyDB: 17');
    expect(copyOverlayLines().map(line => line.text).join('\n')).toContain('-d NoSpamProxyDB -Q "SELECT TOP (10) name FROM sys.tables ORDER BY name"');
    expectFits(rendered);
    expect(rendered.lastFrame()).toContain('SQL Server version 16.0.1000.6: ALTER SERVER ROLE');
    const [probe, grant] = await stub.calls('sqlcmd');
    expect(probe!.argv.slice(0, 2)).toEqual(['-S', '(local)\\NOSPAMPROXY']);
    expect(grant!.argv.slice(0, 5)).toEqual(['-S', '(local)\\NOSPAMPROXY', '-E', '-b', '-x']);
    rendered.unmount();
  });

  it('WebPortal: asks the scenario, shows what is missing, sets it after confirmation with a restart note', async () => {
    const rendered = await open();
    await press(rendered, '4');
    await press(rendered, keys.enter);
    await waitForFrame(rendered, 'Which scenario applies?');
    expectFits(rendered);
    await press(rendered, '3');
    await press(rendered, keys.enter);
    await waitForFrame(rendered, 'Host names');
    expect(rendered.lastFrame()).toContain('nsp01');
    await type(rendered, ', nsp01.example.com');
    await press(rendered, keys.enter);
    const report = await waitForFrame(rendered, 'Set the recommended values');
    expect(report).toContain('KB926642: BackConnectionHostNames is not set');
    expect(report).toContain('KB951016: LocalAccountTokenFilterPolicy is not set');
    expectFits(rendered);
    expect((await stub.calls('reg')).every(call => call.argv[0] === 'query')).toBe(true);
    await press(rendered, keys.enter);
    const confirm = await waitForFrame(rendered, 'Change the registry?');
    expectFits(rendered);
    // Each reg command whole: drawn by Ink when it fits, else by the copy overlay for the terminal to wrap; never cut.
    const regLines = [...confirm.split('\n').map(line => line.trim()), ...copyOverlayLines().map(line => line.text)].filter(line => line.startsWith('reg add'));
    expect(regLines.length, confirm).toBeGreaterThanOrEqual(2);
    expect(regLines.some(line => line.includes('BackConnectionHostNames') && line.includes('nsp01.example.com')), regLines.join('\n')).toBe(true);
    for (const line of regLines) expect(line).not.toMatch(/…$/);
    await press(rendered, 'y');
    const after = await waitForFrame(rendered, 'Restart the computer');
    expect(after).toContain('BackConnectionHostNames = nsp01, nsp01.example.com (REG_MULTI_SZ)');
    expect(after).toContain('KB926642: Method 1 in place');
    expect(after).toContain('KB951016: LocalAccountTokenFilterPolicy = 1.');
    expectFits(rendered);
    rendered.unmount();
  });

  it('WebPortal: without reg says the checks need the Windows registry', async () => {
    restorePath();
    const previous = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const rendered = await open();
      await press(rendered, '4');
      await press(rendered, keys.enter);
      await waitForFrame(rendered, 'Which scenario applies?');
      await press(rendered, '2');
      await press(rendered, keys.enter);
      await waitForFrame(rendered, '"reg" is not available here');
      expect(rendered.lastFrame()).toContain('Demo sandbox');
      rendered.unmount();
    } finally {
      process.env.PATH = previous;
      restorePath = stub.activate();
    }
  });

  it('Database rights: a burst (account, role, instance, all with Enter) ends on the ready menu, no Enter lost', async () => {
    const rendered = await open();
    await press(rendered, '3\r');
    await waitForFrame(rendered, 'Account (DOMAIN');
    // The role menu looks the instance up asynchronously; the Enters typed meanwhile belong to the next fields.
    await press(rendered, 'CORP\\jdoe\r\r\r');
    const frame = await waitForFrame(rendered, 'Show the T-SQL script');
    expect(frame).toContain('Instance: (local)');
  });
});
