// Every screen and state at 80x24, 60x20 and 120x40: each frame at most rows - 1 lines and every line at
// most columns - 1 wide, and no screen draws more lines than its body has (which the shell would cut).
import React, {act} from 'react';
import {rm, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {App, type FrameOverflow} from '../../components/shell/App.js';
import {type ConsoleContext, contextFrom} from '../../source/context.js';
import {resetShutdownForTests, runShutdownHandlers} from '../../source/system/shutdown.js';
import {frameProblem, resizeTerminal, standardSizes, type TerminalSize} from '../helpers/frame.js';
import {keys, press, renderScreen, settle, waitForFrame, type Rendered} from '../helpers/ink.js';
import {demoReport, sandboxCopy, sharedTestWorld} from '../harness/app-world.js';
import {localCatalogue, type TestWorld} from '../harness/keyserver-world.js';

/** One step: a chunk of keys (a burst), then the text the frame must show before it is checked. */
type Step = readonly [keys: string, shows: string | RegExp];

interface Scenario {
  name: string;
  steps: readonly Step[];
  /** Writes settings.json (e.g. more directories) before the console starts. */
  settings?: (world: TestWorld, root: string) => object;
}

const longBadAddress = 'this is not an address but a sentence that goes on and on past the end of the line';

const scenarios: readonly Scenario[] = [
  {name: 'main menu and help', steps: [['', 'What do you want to do?'], ['?', 'any key closes this help'], ['x', 'What do you want to do?']]},
  {name: 'settings', steps: [['6\r', 'ASCII mode']]},
  {
    name: 'key-server lookup: a wrapping invalid address, results, 13 directories paged, connectivity test',
    settings: world => ({keyservers: [...localCatalogue(world), extraDirectory(world, 'Extra one'), extraDirectory(world, 'Extra two')]}),
    steps: [
      ['2\r', 'Find S/MIME certificates in 13 directories'],
      [`${longBadAddress}\r`, 'contains a space'],
      [`\u0015alice@test.example\r`, /StartTLS\s+2 certs/],
      [keys.down, /StartTLS\s+2 certs/],
      ['\u001B[F', /❯ Extra two/],
      ['t', 'Connectivity test'],
      ['\u001B[F', /Connectivity test[^]*❯ Extra two/],
      [keys.escape, 'Certificates for'],
      ['d', 'Directories ('],
    ],
  },
  {name: 'CYREN: overview and proxy form', steps: [['3\r', 'CYREN'], ['\r', 'Proxy server:']]},
  {name: 'support data bundle: checklist', steps: [['4\r', 'Support data bundle']]},
  {name: 'recipes: menu and TCP tunnel', steps: [['5\r', 'TCP proxy tunnel'], ['\r', 'TCP proxy tunnel']]},
  {name: 'recipes: Azure reverse DNS', steps: [['5\r2\r', 'Azure reverse DNS']]},
  {name: 'recipes: database rights', steps: [['5\r3\r', 'Database rights']]},
  {name: 'recipes: WebPortal checks', steps: [['5\r4\r', 'WebPortal']]},
  {
    name: 'troubleshooting logs: a script role through the countdown, finish asked, abort',
    steps: [
      ['1\r', 'Step 1/8'],
      ['\r', 'Step 2/8'],
      ['\r', 'Step 4/8'],
      ['\r', 'Reproduce the problem now'],
      ['\r', 'Step 6/8'],
      ['f', 'y = yes'],
      ['n', 'Step 6/8'],
      ['a', 'Abort the run?'],
      ['y', /Aborted|Step 7\/8/],
    ],
  },
  {
    name: 'troubleshooting logs: a guided role with a long name and location (steps wrap, never cut)',
    settings: (_world, root) => ({roles: [{name: 'Gateway Role of the outbound relay cluster in Frankfurt (second site)', driver: 'guided', location: join(root, 'Logs', 'troubleshooting', 'a folder with a long name for the support case')}]}),
    steps: [
      ['1\r', 'Step 1/8'],
      ['x', 'only role and stays'],
      ['\r', 'Step 2/8'],
      ['\r', 'Step 3/8'],
      ['\u001B[6~', 'Step 3/8'],
      ['a', 'y = yes'],
    ],
  },
  {name: 'CYREN: the preview before writing', steps: [['3\r', 'Set the proxy...'], ['\r', 'Set the CYREN web proxy'], ['proxy.example.internal\t3128\r\r\r', 'Preview: set the proxy']]},
  {name: 'recipes: TCP tunnel confirmation', steps: [['5\r\r', 'TCP proxy tunnel'], ['\r', 'Go ahead?']]},
];

function extraDirectory(world: TestWorld, name: string) {
  return {...world.directories.plain, id: name.toLowerCase().replace(/ /g, '-'), name};
}

const world = sharedTestWorld();

async function start(scenario: Scenario, size: TerminalSize): Promise<{rendered: Rendered; overflows: FrameOverflow[]; cleanup: () => Promise<void>}> {
  const {base, root, stateDir} = await sandboxCopy('nsp-frames-', {createStateDir: scenario.settings !== undefined});
  if (scenario.settings) await writeFile(join(stateDir, 'settings.json'), JSON.stringify(scenario.settings(world(), root), null, 2));
  const context: ConsoleContext = contextFrom({root, isDemo: true, stateDir, hostName: 'gateway-with-a-long-host-name.example.internal', platform: 'linux', ascii: false, color: false, env: process.env});
  const overflows: FrameOverflow[] = [];
  const rendered = await renderScreen(<App context={context} report={demoReport} onOverflow={overflow => overflows.push(overflow)} />);
  resizeTerminal(rendered, size);
  await settle();
  return {
    rendered,
    overflows,
    cleanup: async () => {
      rendered.unmount();
      await runShutdownHandlers('test cleanup');
      resetShutdownForTests();
      await rm(base, {recursive: true, force: true});
    },
  };
}

describe.each(standardSizes.map(size => ({...size, label: `${size.columns}x${size.rows}`})))('every frame fits at $label', size => {
  it.each(scenarios.map(scenario => ({...scenario, label: scenario.name})))('$label', async scenario => {
    const {rendered, overflows, cleanup} = await start(scenario, size);
    try {
      for (const [chunk, shows] of scenario.steps) {
        if (chunk) await press(rendered, chunk);
        await waitForFrame(rendered, shows);
        // The shell checks the settled frame after a timer; let it run.
        await act(async () => {
          await new Promise(resolve => setTimeout(resolve, 10));
        });
        const frame = rendered.lastFrame() ?? '';
        expect(frameProblem(frame, size), `after ${JSON.stringify(chunk)}:\n${frame}`).toBeUndefined();
        expect(overflows, `after ${JSON.stringify(chunk)} the screen drew more than its body:\n${frame}`).toEqual([]);
      }
    } finally {
      await cleanup();
    }
  }, 60_000);
});
