import React from 'react';
import {existsSync, readFileSync, readdirSync, writeFileSync, mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {KeyserverScreen} from '../../components/keyservers/KeyserverScreen.js';
import {nameCell, nameColumnWidth} from '../../components/keyservers/rows.js';
import {KeyRouter} from '../../components/input/key-router.js';
import {LayoutProvider} from '../../components/layout.js';
import {clearSessionCredentials} from '../../source/keyservers/credentials.js';
import {keys, press, renderScreen, waitForFrame, type Rendered} from '../helpers/ink.js';
import {domain, localCatalogue, startTestWorld, type TestWorld} from '../harness/keyserver-world.js';
import {testContext} from './command-io.js';

let world: TestWorld;
let rendered: Rendered | undefined;
beforeAll(async () => {
  world = await startTestWorld();
});
afterAll(async () => {
  await world?.stop();
});
afterEach(() => {
  rendered?.unmount();
  rendered = undefined;
  clearSessionCredentials();
});

function stateWithCatalogue(): string {
  const stateDir = mkdtempSync(join(tmpdir(), 'nsp-keyserver-screen-'));
  writeFileSync(join(stateDir, 'settings.json'), JSON.stringify({keyservers: localCatalogue(world)}, null, 2));
  return stateDir;
}

async function open(stateDir: string, ascii = false): Promise<{rendered: Rendered; backs: number[]}> {
  const backs: number[] = [];
  const context = testContext(stateDir);
  rendered = await renderScreen(
    <LayoutProvider ascii={ascii} color={false}>
      <KeyRouter>
        <KeyserverScreen context={{...context, ascii}} back={() => backs.push(1)} setKeyHelp={() => {}} quit={() => {}} />
      </KeyRouter>
    </LayoutProvider>,
  );
  return {rendered, backs};
}

/** Every frame must fit the body of a 24-row terminal (24 - header 4 - footer 2 - 1). */
function expectFits(frame: string): void {
  expect(frame.split('\n').length).toBeLessThanOrEqual(17);
}

const rowOf = (frame: string, name: string) => frame.split('\n').find(line => line.includes(name)) ?? '';

describe('the key-server screen against a real slapd', () => {
  it('asks every directory in parallel and shows one live row each, with its result and time', async () => {
    const {rendered} = await open(stateWithCatalogue());
    await waitForFrame(rendered, 'Find S/MIME certificates in 11 directories');
    await press(rendered, 'nope\r');
    expect(rendered.lastFrame()).toContain('not an e-mail address');
    await press(rendered, `\u0015alice@${domain}\r`);
    const frame = await waitForFrame(rendered, /Wrong password\s+error: auth/);
    await waitForFrame(rendered, /Name mismatch\s+error: tls/);
    const done = await waitForFrame(rendered, /StartTLS\s+2 certs on 1 entry/);
    expect(rowOf(done, 'Plain LDAP')).toMatch(/2 certs on 1 entry\s+\d+ ms/);
    expect(rowOf(done, 'Unlimited search')).toContain('2 certs on 1 entry');
    expect(rowOf(done, 'LDAPS  ')).toContain('2 certs on 1 entry');
    expect(rowOf(done, 'Bind-only')).toContain('needs credentials');
    expect(rowOf(done, 'Closed port')).toContain('error: refused');
    expect(rowOf(done, 'Wrong base DN')).toContain('error: no-such-base');
    expectFits(frame);
    expectFits(done);
  });

  it('when no directory answers, one line says so and what to check (a closed port, an unknown host)', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'nsp-keyserver-screen-'));
    const d = world.directories;
    // Every built-in id points at the closed port (nothing leaves 127.0.0.1).
    const closed = localCatalogue(world).map(directory => ({...d.refused, id: directory.id, name: `${directory.name} (closed)`}));
    writeFileSync(join(stateDir, 'settings.json'), JSON.stringify({keyservers: closed}, null, 2));
    const {rendered} = await open(stateDir);
    await waitForFrame(rendered, 'Find S/MIME certificates in');
    await press(rendered, `alice@${domain}\r`);
    const frame = await waitForFrame(rendered, 'no directory answered');
    expect(frame.replace(/\s+/g, ' ')).toContain(`no directory answered (10 of 10 failed): check DNS/firewall for outbound LDAP ${world.closedPort}`);
    expectFits(frame);
    // Any key after it: the summary stays while it is true (it is not a notice).
    await press(rendered, keys.down);
    expect(rendered.lastFrame()).toContain('no directory answered');
  });

  it('says why a certificate is not usable for S/MIME (EKU serverAuth only, no keyEncipherment)', async () => {
    const {rendered} = await open(stateWithCatalogue());
    await waitForFrame(rendered, 'Find S/MIME certificates in 11 directories');
    await press(rendered, `twin@${domain}\r`);
    await waitForFrame(rendered, /Plain LDAP\s+2 certs on 2 entries/);
    await press(rendered, keys.enter);
    const list = await waitForFrame(rendered, 'Erin Server');
    expect(list).toContain('not usable: extended key usage is serverAuth');
    expectFits(list);
  });

  it('opens the certificates of a row, pages the details, exports PEM and DER', async () => {
    const stateDir = stateWithCatalogue();
    const {rendered} = await open(stateDir);
    await press(rendered, `alice@${domain}\r`);
    await waitForFrame(rendered, /Plain LDAP\s+2 certs/);
    await press(rendered, keys.enter);
    const list = await waitForFrame(rendered, 'Plain LDAP: 2 certificates on 1 entry');
    expect(list).toContain('Alice Example');
    expect(list).toMatch(/expires in \d+ days; encrypt\+sign/);
    await press(rendered, keys.enter);
    const details = await waitForFrame(rendered, 'certificate 1 of 2');
    expectFits(details);
    expect(details).toContain('Key usage:');
    expect(details).toMatch(/SHA-256:\s+[0-9a-f]{64}/);
    await press(rendered, 'x');
    await waitForFrame(rendered, 'Export to folder');
    await press(rendered, keys.enter);
    await waitForFrame(rendered, 'Saved');
    const exported = readdirSync(join(stateDir, 'certificates'));
    expect(exported.filter(name => name.endsWith('.pem'))).toHaveLength(1);
    expect(exported.filter(name => name.endsWith('.cer'))).toHaveLength(1);
    await press(rendered, keys.escape);
    await waitForFrame(rendered, 'Plain LDAP: 2 certificates');
    await press(rendered, keys.escape);
    await waitForFrame(rendered, /Certificates for alice@test.example/);
  });

  it('re-runs with the last address (r) and runs the connectivity test (t)', async () => {
    const {rendered} = await open(stateWithCatalogue());
    await press(rendered, `twin@${domain}\r`);
    await waitForFrame(rendered, /Plain LDAP\s+2 certs on 2 entries/);
    await press(rendered, 'r');
    await waitForFrame(rendered, /Plain LDAP\s+2 certs on 2 entries/);
    expect(rendered.lastFrame()).toContain(`Certificates for twin@${domain}`);
    await press(rendered, 'a');
    const field = await waitForFrame(rendered, 'Address:');
    expect(field).toContain(`twin@${domain}`);
    await press(rendered, keys.escape);
    await press(rendered, 't');
    const test = await waitForFrame(rendered, /Wrong password\s+bind failed: auth/);
    await waitForFrame(rendered, /Closed port\s+unreachable: refused/);
    const done = await waitForFrame(rendered, /LDAPS again\s+OK/);
    expect(rowOf(done, 'Bind-only')).toContain('needs credentials');
    expect(rowOf(done, 'Wrong base DN')).toContain('base: missing');
    expectFits(test);
    await press(rendered, keys.escape);
    await waitForFrame(rendered, 'Certificates for');
  });

  it('asks for credentials (masked), remembers them for the session, stores the bind DN but not the password', async () => {
    const stateDir = stateWithCatalogue();
    const {rendered} = await open(stateDir);
    await press(rendered, `alice@${domain}\r`);
    await waitForFrame(rendered, /Bind-only\s+needs credentials/);
    await waitForFrame(rendered, /LDAPS again\s+2 certs/);
    await press(rendered, keys.down);
    await press(rendered, keys.enter);
    await waitForFrame(rendered, 'Credentials for Bind-only');
    expect(rendered.lastFrame()).toContain('uid=Username,dc=private,dc=example');
    await press(rendered, `\u0015${world.bindDn}\r`);
    await press(rendered, world.bindPassword);
    const masked = rendered.lastFrame()!;
    expect(masked).toContain('*'.repeat(world.bindPassword.length));
    await press(rendered, '\r');
    await press(rendered, 'n\r');
    await waitForFrame(rendered, /Certificates for alice/);
    // The row is asked again by itself with the new credentials.
    await waitForFrame(rendered, /Bind-only\s+1 cert on 1 entry/);
    expect(rowOf(rendered.lastFrame()!, 'Plain LDAP')).toContain('2 certs on 1 entry');
    const settings = readFileSync(join(stateDir, 'settings.json'), 'utf8');
    expect(settings).toContain(world.bindDn);
    expect(settings).not.toContain(world.bindPassword);
    for (const frame of rendered.frames) expect(frame).not.toContain(world.bindPassword);
  });

  it('adds, edits and removes a custom directory; the settings file keeps the documented schema', async () => {
    const stateDir = stateWithCatalogue();
    const {rendered} = await open(stateDir);
    await waitForFrame(rendered, 'Address:');
    await press(rendered, keys.escape);
    // Esc in an empty address field leaves the screen; open it again and go to the directories.
    const again = await open(stateDir);
    await press(again.rendered, `bob@${domain}\r`);
    await waitForFrame(again.rendered, /Plain LDAP\s+1 cert/);
    await press(again.rendered, 'd');
    await waitForFrame(again.rendered, 'Directories (11)');
    await press(again.rendered, 'n');
    await waitForFrame(again.rendered, 'Add a directory');
    await press(again.rendered, 'corp\rCorp LDAP\r');
    await press(again.rendered, `\u0015http://nope\r`);
    expect(again.rendered.lastFrame()).toContain('must start with ldap://');
    await press(again.rendered, `\u0015${world.open.url}\r`);
    await press(again.rendered, 'n\r');
    await press(again.rendered, 'dc=test,dc=example\r');
    await press(again.rendered, '\r');
    await press(again.rendered, '\r');
    // A bad attribute list is refused on the spot, keeping everything typed so far.
    await press(again.rendered, '\u0015user certificate\r');
    expect(again.rendered.lastFrame()).toContain('is not an attribute name');
    expect(again.rendered.lastFrame()).toContain('Name: Corp LDAP');
    await press(again.rendered, '\u0015userCertificate;binary\r\r');
    const list = await waitForFrame(again.rendered, 'Directories (12)');
    expect(list).toContain('Corp LDAP');
    const saved = JSON.parse(readFileSync(join(stateDir, 'settings.json'), 'utf8')).keyservers as Record<string, unknown>[];
    expect(saved.at(-1)).toEqual({id: 'corp', name: 'Corp LDAP', url: world.open.url, startTls: false, bindDn: null, password: null, baseDn: 'dc=test,dc=example', filter: '(mail=%e)', attributes: ['userCertificate;binary']});
    // Edit: End goes to the new entry; change its name.
    await press(again.rendered, keys.up);
    await press(again.rendered, keys.enter);
    await waitForFrame(again.rendered, 'Edit Corp LDAP');
    await press(again.rendered, '\r\u0015Corp Directory\r\r\r\r\r\r\r\r');
    await waitForFrame(again.rendered, 'Corp Directory saved.');
    await press(again.rendered, 'x');
    await waitForFrame(again.rendered, 'Remove Corp Directory');
    await press(again.rendered, 'y');
    await waitForFrame(again.rendered, 'Directories (11)');
    expect(readFileSync(join(stateDir, 'settings.json'), 'utf8')).not.toContain('corp');
    await press(again.rendered, keys.escape);
    await waitForFrame(again.rendered, 'Certificates for bob');
    await press(again.rendered, 'r');
    await waitForFrame(again.rendered, /Plain LDAP\s+1 cert/);
  });

  it('pages the rows when there are more directories than fit, every frame within 80x24', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'nsp-keyserver-screen-'));
    const extra = Array.from({length: 5}, (_, index) => ({...world.directories.plain, id: `extra-${index}`, name: `Extra ${index}`}));
    writeFileSync(join(stateDir, 'settings.json'), JSON.stringify({keyservers: [...localCatalogue(world), ...extra]}));
    const {rendered} = await open(stateDir);
    await press(rendered, `alice@${domain}\r`);
    const first = await waitForFrame(rendered, /page 1\/2/);
    expect(first).toContain('Plain LDAP');
    expect(first).not.toContain('Extra 4');
    await press(rendered, '\u001B[6~');
    const second = await waitForFrame(rendered, /Extra 4\s+2 certs/);
    expect(second).toContain('page 2/2');
    expect(second).not.toContain('Plain LDAP');
    for (const frame of rendered.frames) expectFits(frame);
  });

  it('draws only ASCII in ASCII mode', async () => {
    const {rendered} = await open(stateWithCatalogue(), true);
    await press(rendered, `alice@${domain}\r`);
    await waitForFrame(rendered, /LDAPS again\s+2 certs/);
    await waitForFrame(rendered, /Wrong password\s+error/);
    // A long message on the selected row is cut with an ASCII "...".
    await press(rendered, `${keys.down}${keys.down}${keys.down}${keys.down}${keys.down}`);
    await waitForFrame(rendered, /connection refused by 127\.0\.0\.1:\d+ \(nothing listens/);
    await press(rendered, 't');
    await waitForFrame(rendered, /LDAPS again\s+OK/);
    for (const frame of rendered.frames) expect(frame).not.toMatch(/[^\x00-\x7f]/);
  });

  it('says clearly when the settings file is broken, and does not crash', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'nsp-keyserver-screen-'));
    writeFileSync(join(stateDir, 'settings.json'), JSON.stringify({keyservers: [{id: 'x', name: 'X', url: 'ftp://x'}]}));
    const {rendered} = await open(stateDir);
    const frame = await waitForFrame(rendered, /must start with\s+ldap:\/\//);
    expect(frame).toContain('Custom directories not loaded');
    expect(frame).toContain('in 11 directories');
    expectFits(frame);
    // Saving a directory now must not overwrite the broken file.
    await press(rendered, keys.escape);
    expect(JSON.parse(readFileSync(join(stateDir, 'settings.json'), 'utf8')).keyservers[0].url).toBe('ftp://x');
    expect(existsSync(join(stateDir, 'settings.json'))).toBe(true);
  });

  it('Home and End jump to the first and last row (results and directories)', async () => {
    const {rendered} = await open(stateWithCatalogue());
    await waitForFrame(rendered, 'Find S/MIME certificates in 11 directories');
    await press(rendered, `nobody@${domain}\r`);
    await waitForFrame(rendered, /LDAPS again\s+\S/);
    await press(rendered, '\u001B[F');
    expect(rendered.lastFrame()!.split('\n').find(line => line.includes('LDAPS again'))).toMatch(/^\s*❯/);
    await press(rendered, '\u001B[H');
    expect(rendered.lastFrame()!.split('\n').find(line => line.includes('Plain LDAP'))).toMatch(/^\s*❯/);
    await press(rendered, 'd');
    await waitForFrame(rendered, 'Directories (11)');
    await press(rendered, '\u001B[F');
    expect(rendered.lastFrame()!.split('\n').find(line => line.includes('LDAPS again'))).toMatch(/^\s*❯/);
    await press(rendered, '\u001B[H');
    expect(rendered.lastFrame()!.split('\n').find(line => line.includes('Plain LDAP'))).toMatch(/^\s*❯/);
  });

  it('after removing the last directory of the list, the list is still shown with the new last row selected', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'nsp-keyserver-screen-'));
    const extra = {...world.directories.plain, id: 'extra', name: 'Extra one'};
    writeFileSync(join(stateDir, 'settings.json'), JSON.stringify({keyservers: [...localCatalogue(world), extra]}, null, 2));
    const {rendered} = await open(stateDir);
    await waitForFrame(rendered, 'in 12 directories');
    await press(rendered, `nobody@${domain}\r`);
    await waitForFrame(rendered, /Extra one\s+no entry/);
    await press(rendered, 'd');
    await waitForFrame(rendered, 'Directories (12)');
    await press(rendered, '\u001B[F');
    await press(rendered, 'x');
    await waitForFrame(rendered, 'Remove Extra one');
    await press(rendered, 'y');
    const frame = await waitForFrame(rendered, 'Removed Extra one.');
    expect(frame).toContain('Directories (11)');
    expect(frame.split('\n').find(line => line.includes('LDAPS again'))).toMatch(/^\s*❯/);
  });

  it('shows long directory names whole on wide terminals, and marks a cut name with an ellipsis', async () => {
    const {rendered} = await open(mkdtempSync(join(tmpdir(), 'nsp-keyserver-screen-')), true);
    // the test terminal draws 100 columns: room for "Federal Office for IT Security".
    const frame = await waitForFrame(rendered, 'Find S/MIME certificates in 11 directories');
    expect(frame).toContain('Federal Office for IT Security');
    await press(rendered, keys.escape);
    // At 80 columns the column is 24 wide: the cut is visible.
    expect(nameCell('Federal Office for IT Security', nameColumnWidth(80), '...')).toBe('Federal Office for IT...');
    expect(nameCell('DFN', 8, '...')).toBe('DFN     ');
  });
});
