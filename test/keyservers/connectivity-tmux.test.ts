// The connectivity test with more directories than fit, and a text field without colours, in tmux
// at 80x24 (NO_COLOR=1 and --ascii; bursts as single writes). Nothing leaves 127.0.0.1.
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {consoleInTmuxPerTest, expectFrameWithin} from '../harness/console-session.js';
import {consoleCommand, TmuxSession} from '../harness/tmux.js';
import {freePort} from '../harness/slapd.js';

let session: TmuxSession | undefined;
let stateDir: string;

consoleInTmuxPerTest(() => session, () => stateDir);

/** The frame leaves the last row and column free (80x24). */
const expectFits = (screen: string) => expectFrameWithin(screen, 79, 23);

describe('key-server screen with 13 directories, no colours', () => {
  it('t pages the connectivity test (page 1/N, End to the last directory) and the footer names only its keys; the address field shows its cursor without colour', async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'nsp-connectivity-e2e-'));
    const closed = await freePort();
    // The eleven built-in ids point at a closed local port too, plus two more: 13 rows.
    const ids = ['a-trust', 'arbeitsagentur', 'bsi', 'dtrust', 'datev', 'dfn', 's-trust', 'siemens', 't-mailpass', 'digicert', 'swisssign', 'extra1', 'extra2'];
    const keyservers = ids.map((id, index) => ({id, name: `Closed directory ${index + 1}`, url: `ldap://127.0.0.1:${closed}`, baseDn: 'dc=test', filter: '(mail=%e)', attributes: ['userCertificate;binary'], bindDn: null, password: null, credentialsRequired: false}));
    writeFileSync(join(stateDir, 'settings.json'), JSON.stringify({keyservers}, null, 2));
    session = new TmuxSession(`${consoleCommand(['--state-dir', stateDir, '--ascii'])}`, {env: {NSP_ROOT: '', NO_COLOR: '1'}, waitTimeoutMs: 20_000});
    await session.waitFor('What do you want to do?');
    session.sendBurst('2\r');
    // Without colours the text cursor is still drawn ("_"), before the placeholder.
    const field = await session.waitFor('Find S/MIME certificates in 13 directories');
    expect(field).toMatch(/Address: _/);
    session.sendBurst('alice@example.com\rt');
    // The footer is the last line of a frame: waiting for it too means the capture did not fall inside a frame write.
    const first = await session.waitFor(screen => screen.includes('Connectivity test (deadline') && /page 1\/\d/.test(screen) && screen.includes('refused') && screen.includes('PgUp/PgDn page'));
    expectFits(first);
    expect(first).toMatch(/^> Closed directory 1 /m);
    const footer = first.replace(/\n+$/, '').split('\n').at(-1)!;
    expect(footer).toContain('t test again');
    expect(footer).toContain('PgUp/PgDn page');
    expect(footer).not.toContain('Enter select');
    session.sendKeys('End');
    const last = await session.waitFor(/^> Closed directory 13 /m);
    expect(last).toMatch(/page (\d)\/\1/);
    expectFits(last);
    session.sendKeys('Home');
    await session.waitFor(/^> Closed directory 1 /m);
    session.sendKeys('Escape');
    // The result list's footer: its own keys (Enter opens certificates here; no generic "Enter select").
    const lastLine = (screen: string) => screen.replace(/\n+$/, '').split('\n').at(-1) ?? '';
    const list = await session.waitFor(screen => screen.includes('Certificates for alice@example.com in 13 directories') && /^Enter certificates {2}a address {2}t test {2}d directories {2}Esc back {2}\? keys {2}q quit$/.test(lastLine(screen)));
    expect(lastLine(list)).not.toContain('Enter select');
  });
});
