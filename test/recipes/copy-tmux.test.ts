import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {consoleInTmuxPerTest, expectFrameWithin} from '../harness/console-session.js';
import {consoleCommand, TmuxSession} from '../harness/tmux.js';

let session: TmuxSession | undefined;
let stateDir: string;

consoleInTmuxPerTest(() => session, () => stateDir);

/** Every line of the frame within the terminal (the copy overlay may fill a row to the last column). */
const expectWithin = expectFrameWithin;

/**
 * The command is on the screen in one piece: one line when the terminal's own wraps are joined, split only by
 * the terminal, and its first row exactly as wide as the terminal (the terminal wrapped it, not the console).
 * Polled: the command is drawn after each frame, so a capture taken while a frame is being written may see Ink's
 * version of the rows for a moment.
 */
async function expectWhole(session: TmuxSession, command: string): Promise<void> {
  const whole = (): {joined: string[]; first?: string} => {
    const joined = session.captureJoined().split('\n').map(line => line.trimEnd());
    const first = session.capture().split('\n').find(line => command.startsWith(line) && line.length > 20);
    return {joined, first};
  };
  let last = whole();
  const deadline = Date.now() + 5000;
  while (!(last.joined.includes(command) && last.first?.length === 80) && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 50));
    last = whole();
  }
  expect(last.joined, last.joined.join('\n')).toContain(command);
  expect(last.first?.length, last.joined.join('\n')).toBe(80);
}

describe('commands to copy, in tmux at 80x24 (bursts as single writes)', () => {
  it('Azure reverse DNS: the az command whole on its own lines, s saves it, "az is missing" shows it for Cloud Shell', async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'nsp-copy-e2e-'));
    // No az on this PATH: the run ends in the Cloud Shell view.
    session = new TmuxSession(consoleCommand(['--state-dir', stateDir]), {env: {PATH: '/nonexistent:/bin'}});
    await session.waitFor('What do you want to do?');
    session.sendBurst('5\r');
    await session.waitFor('Knowledge-base recipes');
    session.sendBurst('2\r');
    await session.waitFor('Resource group');
    session.sendBurst('rg-mail\rnsp-public-ip-address-name\rmail.very-long-subdomain.example.com\r\r');
    const command = 'az network public-ip update --resource-group rg-mail --name nsp-public-ip-address-name --reverse-fqdn mail.very-long-subdomain.example.com.';
    // The footer is the last line of a frame: waiting for it too means the capture did not fall inside a frame write.
    const plan = await session.waitFor(screen => screen.includes('The command (copy it') && /s save to a file/.test(screen));
    expectWithin(plan, 80, 24);
    await expectWhole(session, command);
    session.sendKeys('s');
    const saved = await session.waitFor(/Saved:/);
    const file = /Saved:\s*(\S+\.txt)/.exec(session.captureJoined())?.[1];
    expect(file, saved).toBeDefined();
    expect(file!.startsWith(join(stateDir, 'output', 'azure-rdns-'))).toBe(true);
    expect(readFileSync(file!, 'utf8')).toBe(`${command}\n`);
    await expectWhole(session, command);
    // "Run it with az": az is not installed, so the command is shown for Cloud Shell instead of the empty form.
    session.sendKeys('Enter');
    const cloudShell = await session.waitFor('The Azure CLI (az) is not installed here');
    expect(cloudShell).toContain('Azure Cloud Shell');
    expectWithin(cloudShell, 80, 24);
    await expectWhole(session, command);
    session.sendKeys('Escape');
    await session.waitFor('The command (copy it');
    await expectWhole(session, command);
    session.sendBurst('3\r');
    await session.waitFor('Knowledge-base recipes');
  });

  it('support bundle: the verify line whole after writing; s saves it', async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'nsp-copy-e2e-'));
    session = new TmuxSession(consoleCommand(['--state-dir', stateDir]));
    await session.waitFor('What do you want to do?');
    session.sendBurst('4\r');
    await session.waitFor(/Create the bundle/);
    session.sendBurst('c');
    await session.waitFor('Summary: write the support bundle?');
    session.sendKeys('Enter');
    await session.waitFor('Support bundle written', 30_000);
    const path = /(\/\S*nsp-support-[\w.-]+\.zip)/.exec(session.captureJoined().replace(/\n/g, ''))?.[1];
    expect(path).toBeDefined();
    const command = `nsp-console bundle verify "${path}"`;
    await expectWhole(session, command);
    session.sendKeys('s');
    await session.waitFor(/Saved:/);
    const file = /Saved:\s*(\S+\.txt)/.exec(session.captureJoined().replace(/\n/g, ''))?.[1];
    expect(readFileSync(file!, 'utf8')).toBe(`${command}\n`);
    await expectWhole(session, command);
  });
});
