// The footer names exactly the keys that work on the screen, and '?' lists exactly those (plus help,
// quit and Ctrl-C): the certificate view, the directory manager, the tunnel checklist, the database
// rights and WebPortal recipes, driven through the whole console.
import React from 'react';
import {rm, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {stripVTControlCharacters} from 'node:util';
import {describe, expect, it} from 'vitest';
import {App} from '../../components/shell/App.js';
import {type ConsoleContext, contextFrom} from '../../source/context.js';
import {resetShutdownForTests, runShutdownHandlers} from '../../source/system/shutdown.js';
import {keys, press, renderScreen, waitForFrame, type Rendered} from '../helpers/ink.js';
import {demoReport, sandboxCopy, sharedTestWorld} from '../harness/app-world.js';
import {domain, localCatalogue} from '../harness/keyserver-world.js';

/**
 * Keys, the text the screen then shows, and its footer: exactly (a string; then '?' must list the same
 * keys) or, on the way to the screens under test, a pattern.
 */
type Step = readonly [keys: string, shows: string | RegExp, footer: string | RegExp];

interface Scenario {
  name: string;
  steps: readonly Step[];
}

const menu = '↑↓ j/k move  Enter select  Esc back  ? keys  q quit';
const field = 'Enter confirm  Esc back';
const results = /^Enter certificates {2}a address {2}t test {2}d directories {2}Esc back {2}\? keys {2}q quit$/;
const onTheWay = /q quit$/;

const scenarios: readonly Scenario[] = [
  {
    name: 'certificate list and details',
    steps: [
      ['2\r', 'Address:', /^Enter confirm/],
      [`alice@${domain}\r`, /^(?![^]*searching)[^]*Plain LDAP\s+2 certs on[^]*Enter certificates {2}a address {2}t test[^\n]*q quit\s*$/, results],
      ['\r', 'Plain LDAP: 2 certificates on 1 entry', menu],
      ['\r', 'certificate 1 of 2', 'x export PEM+DER  Esc back  ? keys  q quit'],
      ['x', 'Export to folder', field],
      [keys.escape, 'certificate 1 of 2', 'x export PEM+DER  Esc back  ? keys  q quit'],
    ],
  },
  {
    name: 'directory manager: list, a custom entry, removal asked',
    steps: [
      ['2\r', 'Address:', /^Enter confirm/],
      [`alice@${domain}\r`, /^(?![^]*searching)[^]*Plain LDAP\s+2 certs on[^]*Enter certificates {2}a address {2}t test[^\n]*q quit\s*$/, results],
      ['d', 'Directories (', '↑↓ move  n add  x remove  c credentials  Esc back  ? keys  q quit'],
      [keys.down, /❯ Bind-only/, '↑↓ move  Enter credentials  n add  x remove  c credentials  Esc back  ? keys  q quit'],
      ['x', 'Remove Bind-only', 'y remove  any other key keep it  ? keys  q quit'],
      ['n', 'Directories (', '↑↓ move  Enter credentials  n add  x remove  c credentials  Esc back  ? keys  q quit'],
    ],
  },
  {
    name: 'tunnel checklist: menu, certificate field, certutil asked, its result',
    steps: [
      ['5\r', 'Knowledge-base recipes', onTheWay],
      ['\r', 'TCP proxy tunnel', onTheWay],
      ['4\r', 'Remaining manual steps', menu],
      ['5\r', 'Certificate file', field],
      ['ROOTCA\r', 'Run certutil now?', 'y import it  any other key no  ? keys  q quit'],
      ['y', 'certutil is not available here', 'Enter/Esc back to the checklist  ? keys  q quit'],
      ['\r', 'Remaining manual steps', menu],
    ],
  },
  {
    name: 'database rights: account field, role menu',
    steps: [
      ['5\r3\r', 'Account (DOMAIN', field],
      ['EXAMPLE\\jdoe\r', "Which role's database?", menu],
    ],
  },
  {
    name: 'WebPortal: scenario menu, the registry cannot be read here',
    steps: [
      ['5\r4\r', 'Which scenario applies?', menu],
      ['2\r', '"reg" is not available here', 'Enter/Esc back  ? keys  q quit'],
      ['\r', 'Which scenario applies?', menu],
    ],
  },
];

const world = sharedTestWorld();
const linesOf = (frame: string) => stripVTControlCharacters(frame).trimEnd().split('\n');
const footerOf = (frame: string) => linesOf(frame).at(-1)!.trimEnd();

async function start(): Promise<{rendered: Rendered; root: string; cleanup: () => Promise<void>}> {
  const {base, root, stateDir} = await sandboxCopy('nsp-footer-keys-', {createStateDir: true});
  await writeFile(join(stateDir, 'settings.json'), JSON.stringify({keyservers: localCatalogue(world())}, null, 2));
  await writeFile(join(root, 'proxy-root.cer'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  // No reg, certutil or sqlcmd on this PATH: the recipes take their "not available here" paths.
  const context: ConsoleContext = contextFrom({root, isDemo: true, stateDir, hostName: 'gw1', platform: 'linux', ascii: false, color: false, env: {...process.env, PATH: '/nonexistent'}});
  const rendered = await renderScreen(<App context={context} report={demoReport} />);
  return {
    rendered,
    root,
    cleanup: async () => {
      rendered.unmount();
      await runShutdownHandlers('test cleanup');
      resetShutdownForTests();
      await rm(base, {recursive: true, force: true});
    },
  };
}

describe('the footer names exactly the keys that work, and the help lists the same', () => {
  it.each(scenarios.map(scenario => ({...scenario, label: scenario.name})))('$label', async scenario => {
    const previousPath = process.env.PATH;
    process.env.PATH = '/nonexistent';
    const {rendered, root, cleanup} = await start();
    try {
      await waitForFrame(rendered, 'What do you want to do?');
      for (const [chunk, shows, footer] of scenario.steps) {
        await press(rendered, chunk.replace('ROOTCA', join(root, 'proxy-root.cer')));
        const frame = await waitForFrame(rendered, shows);
        if (typeof footer !== 'string') {
          expect(footerOf(frame), `after ${JSON.stringify(chunk)}:\n${frame}`).toMatch(footer);
          continue;
        }
        expect(footerOf(frame), `after ${JSON.stringify(chunk)}:\n${frame}`).toBe(footer);
        if (!footer.includes('? keys')) continue;
        // The help: every key of the footer, nothing generic that does not work here.
        await press(rendered, '?');
        const help = linesOf(await waitForFrame(rendered, 'any key closes this help'));
        const listed = footer.split('  ').filter(entry => entry !== '? keys' && entry !== 'q quit');
        for (const entry of listed) {
          const [key, ...does] = entry.split(' ');
          expect(help.some(line => line.includes(key!) && line.includes(does.join(' '))), `help lacks "${entry}":\n${help.join('\n')}`).toBe(true);
        }
        expect(help.join('\n')).not.toMatch(/back one screen|Up\/Down, j\/k/);
        await press(rendered, ' ');
        await waitForFrame(rendered, shows);
      }
    } finally {
      process.env.PATH = previousPath;
      await cleanup();
    }
  }, 60_000);
});
