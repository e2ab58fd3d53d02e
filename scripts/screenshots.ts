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
  /** Types and waits until the screen is the one to picture. */
  drive: (session: TmuxSession) => Promise<void>;
}

const shots: Shot[] = [
  {
    name: 'main-menu',
    title: 'nsp-console: main menu',
    drive: async session => {
      await session.waitFor('What do you want to do?');
    },
  },
  {
    name: 'countdown',
    title: 'Troubleshooting logs: the countdown (step 6)',
    drive: async session => {
      await session.waitFor('What do you want to do?');
      session.sendBurst('1\r');
      await session.waitFor('Step 1/8');
      session.sendKeys('Enter');
      await session.waitFor('Step 2/8');
      session.sendKeys('Enter');
      await session.waitFor('Step 4/8', 20_000);
      session.sendKeys('Enter');
      await session.waitFor('Reproduce the problem now');
      session.sendKeys('Enter');
      await session.waitFor(/Step 6\/8[^]*since on/);
    },
  },
  {
    name: 'lookup-results',
    title: 'Key-server lookup: results (local test directories)',
    settings: world => ({keyservers: localCatalogue(world)}),
    drive: async session => {
      await session.waitFor('What do you want to do?');
      session.sendBurst('2\ralice@test.example\r');
      await session.waitFor(screen => /StartTLS\s+2 certs/.test(screen) && !screen.includes('searching'), 30_000);
    },
  },
  {
    name: 'cyren-diff',
    title: 'CYREN proxy settings: the preview before writing',
    drive: async session => {
      await session.waitFor('What do you want to do?');
      session.sendBurst('3\r');
      await session.waitFor('Set the proxy...');
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
    drive: async session => {
      await session.waitFor('What do you want to do?');
      session.sendBurst('4\r');
      // The screen's own title in the header (the menu entry has the same words), its checks done.
      await session.waitFor(screen => /^nsp-console {2}Support data bundle/m.test(screen) && !/checking|Opening/.test(screen), 20_000);
    },
  },
  {
    name: 'health',
    title: 'Health check: one line per check, each with what to do next',
    drive: async session => {
      await session.waitFor('What do you want to do?');
      session.sendBurst('7\r');
      await session.waitFor(screen => /^nsp-console {2}Health check/m.test(screen) && !/Checking services|Opening/.test(screen), 30_000);
    },
  },
  {
    name: 'tcp-tunnel',
    title: 'Recipes: the TCP proxy tunnel, its state and the guarded actions',
    drive: async session => {
      await session.waitFor('What do you want to do?');
      session.sendBurst('5\r');
      await session.waitFor('Knowledge-base recipes');
      session.sendBurst('1\r');
      await session.waitFor(screen => screen.includes('Enable the tunnel') && screen.includes('Remaining manual steps'), 20_000);
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
