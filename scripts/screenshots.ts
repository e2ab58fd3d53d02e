// npm run screenshots: drives the built console in tmux at 80x24 with colours, captures the pane with
// its colour codes (capture-pane -e) and writes docs/screens/<name>.svg for the README and the docs.
// The key-server picture asks local slapd directories (the test world), never the internet.
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {execFileSync} from 'node:child_process';
import {consoleCommand, projectRoot, TmuxSession} from '../test/harness/tmux.js';
import {localCatalogue, startTestWorld, type TestWorld} from '../test/harness/keyserver-world.js';
import {ansiToSvg} from './ansi-svg.js';

const size = {columns: 80, rows: 24};

interface Shot {
  name: string;
  title: string;
  settings?: (world: TestWorld) => object;
  /** From the main menu (already shown), types and waits until the screen is the one to picture. */
  drive: (session: TmuxSession) => Promise<void>;
}

type Until = Parameters<TmuxSession['waitFor']>[0];

/** Types a burst (menu numbers, text and Enter as an admin would) and waits for what it leads to. */
async function type(session: TmuxSession, burst: string, until: Until, timeoutMs?: number): Promise<void> {
  session.sendBurst(burst);
  await session.waitFor(until, timeoutMs);
}

/** A screen's own title in the header (the menu entry has the same words), once `busy` is gone. */
const settledScreen = (title: string, busy: RegExp) => (screen: string) => new RegExp(`^nsp-console {2}${title}`, 'm').test(screen) && !busy.test(screen);

const shots: Shot[] = [
  {name: 'main-menu', title: 'nsp-console: main menu', drive: async () => {}},
  {
    name: 'countdown',
    title: 'Troubleshooting logs: the countdown (step 6)',
    drive: async session => {
      await type(session, '1\r', 'Step 1/8');
      for (const [next, timeoutMs] of [['Step 2/8'], ['Step 4/8', 20_000], ['Reproduce the problem now'], [/Step 6\/8[^]*since on/]] as [Until, number?][]) {
        session.sendKeys('Enter');
        await session.waitFor(next, timeoutMs);
      }
    },
  },
  {
    name: 'lookup-results',
    title: 'Key-server lookup: results (local test directories)',
    settings: world => ({keyservers: localCatalogue(world)}),
    drive: session => type(session, '2\ralice@test.example\r', screen => /StartTLS\s+2 certs/.test(screen) && !screen.includes('searching'), 30_000),
  },
  {
    name: 'cyren-diff',
    title: 'CYREN proxy settings: the preview before writing',
    drive: async session => {
      await type(session, '3\r', 'Set the proxy...');
      session.sendKeys('Enter');
      await session.waitFor('Set the CYREN web proxy');
      session.sendBurst('proxy.example.internal');
      session.sendKeys('Tab');
      session.sendBurst('3128');
      // Port -> authentication -> "Preview the change" -> the preview.
      session.sendKeys('Enter', 'Enter', 'Enter');
      await session.waitFor('Preview: set the proxy');
    },
  },
  {
    name: 'bundle-checklist',
    title: 'Support data bundle: the checklist',
    drive: session => type(session, '4\r', settledScreen('Support data bundle', /checking|Opening/), 20_000),
  },
  {
    name: 'health',
    title: 'Health check: one line per check, each with what to do next',
    drive: session => type(session, '7\r', settledScreen('Health check', /Checking services|Opening/), 30_000),
  },
  {
    name: 'tcp-tunnel',
    title: 'Recipes: the TCP proxy tunnel, its state and the guarded actions',
    drive: async session => {
      await type(session, '5\r', 'Knowledge-base recipes');
      await type(session, '1\r', screen => screen.includes('Enable the tunnel') && screen.includes('Remaining manual steps'), 20_000);
    },
  },
];

async function main(): Promise<void> {
  execFileSync('tmux', ['-V']);
  const outDir = join(projectRoot, 'docs', 'screens');
  mkdirSync(outDir, {recursive: true});
  const only = process.argv.slice(2);
  const chosen = shots.filter(shot => only.length === 0 || only.includes(shot.name));
  const world = chosen.some(shot => shot.settings) ? await startTestWorld() : undefined;
  try {
    for (const shot of chosen) {
      const stateDir = mkdtempSync(join(tmpdir(), 'nsp-screens-'));
      if (shot.settings && world) writeFileSync(join(stateDir, 'settings.json'), JSON.stringify(shot.settings(world), null, 2));
      const env = {NSP_CONSOLE_STATE_DIR: stateDir, TERM: 'xterm-256color', FORCE_COLOR: '1', NSP_ROOT: '', NO_COLOR: ''};
      const session = new TmuxSession(consoleCommand([]), {...size, env, waitTimeoutMs: 15_000});
      try {
        await session.waitFor('What do you want to do?');
        await shot.drive(session);
        // One more look after things settled (spinners, live byte counts).
        await new Promise(resolve => setTimeout(resolve, 300));
        const capture = session.tmux('capture-pane', '-e', '-p', '-t', session.name);
        writeFileSync(join(outDir, `${shot.name}.svg`), ansiToSvg(capture, {...size, title: shot.title}));
        process.stdout.write(`docs/screens/${shot.name}.svg\n`);
        // Leave as an admin would (Ctrl-C makes everything safe, e.g. logging off), then clean up.
        session.sendKeys('C-c');
        await session.waitFor('[exit ', 30_000).catch(() => undefined);
      } finally {
        session.kill();
        rmSync(stateDir, {recursive: true, force: true, maxRetries: 10, retryDelay: 200});
      }
    }
  } finally {
    await world?.stop();
  }
}

main().catch(error => {
  process.stderr.write(`screenshots: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
