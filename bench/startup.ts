// npm run bench:startup: time to first frame of the console's main menu against a bare Ink
// hello-world built the same way (esbuild bundle), both on a pseudo-terminal, in the same run.
import {execFileSync} from 'node:child_process';
import {copyFileSync, mkdtempSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {bundleOptions} from '../scripts/build.mjs';
import {exePath, nodeWindows, zipPath} from '../scripts/build-exe.mjs';
import {WinePrefix} from '../test/harness/wine.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 15);
const work = mkdtempSync(join(tmpdir(), 'nsp-bench-startup-'));

const {build} = await import('esbuild');
await build({...bundleOptions, entryPoints: {hello: join(root, 'bench/hello-ink.tsx')}, outdir: work, splitting: true, chunkNames: 'chunks/[name]-[hash]'});

interface Sample {
  firstFrameMs: number | null;
  rssKb: number | null;
}
function measure(marker: string, command: string[], env?: NodeJS.ProcessEnv): Sample {
  return JSON.parse(execFileSync('python3', [join(root, 'bench/first-frame.py'), marker, ...command], {encoding: 'utf8', cwd: work, env}));
}
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const consoleSamples: Sample[] = [];
const helloSamples: Sample[] = [];
for (let run = 0; run < runs; run++) {
  // Interleaved so that machine noise hits both alike.
  helloSamples.push(measure('Hello from a bare Ink app', [process.execPath, join(work, 'hello.js')]));
  consoleSamples.push(measure('What do you want to do?', [process.execPath, join(root, 'bin/nsp-console.js'), '--state-dir', join(work, 'state')]));
}
const valid = (samples: Sample[]) => samples.map(sample => sample.firstFrameMs).filter((ms): ms is number => ms !== null);
const consoleMs = median(valid(consoleSamples));
const helloMs = median(valid(helloSamples));
const rss = median(consoleSamples.map(sample => sample.rssKb).filter((kb): kb is number => kb !== null)) / 1024;
const helloRss = median(helloSamples.map(sample => sample.rssKb).filter((kb): kb is number => kb !== null)) / 1024;
console.log(`runs: ${runs} each (failed: console ${runs - valid(consoleSamples).length}, hello ${runs - valid(helloSamples).length})`);
console.log(`bare Ink hello-world, first frame: median ${helloMs.toFixed(1)} ms, idle RSS ${helloRss.toFixed(1)} MB`);
console.log(`nsp-console main menu, first frame: median ${consoleMs.toFixed(1)} ms, idle RSS ${rss.toFixed(1)} MB`);
console.log(`ratio console / hello-world: ${(consoleMs / helloMs).toFixed(2)} (target <= 1.3)`);

// The Windows exe under Wine, against node.exe (the same release the exe is made of) running the
// script bundle, in one prefix, interleaved. Each is started once first: the exe unpacks its files
// and both copy the demo sandbox into their state dirs.
async function benchExe(): Promise<void> {
  const prefix = new WinePrefix();
  try {
    await prefix.create();
    prefix.mkdir('C:\\bench');
    copyFileSync(exePath, prefix.linuxPath('C:\\bench\\nsp-console.exe'));
    copyFileSync(join(root, 'node_modules', '.cache', 'nsp-console-exe', `node-${nodeWindows.version}.exe`), prefix.linuxPath('C:\\bench\\node.exe'));
    // Wine maps the Linux root to Z:.
    const script = `Z:${join(root, 'bin', 'nsp-console.js').replace(/\//g, '\\')}`;
    const commands = {
      exe: [prefix.wine, 'C:\\bench\\nsp-console.exe', '--state-dir', 'C:\\bench\\state-exe'],
      script: [prefix.wine, 'C:\\bench\\node.exe', script, '--state-dir', 'C:\\bench\\state-script'],
    };
    const marker = 'What do you want to do?';
    for (const command of Object.values(commands)) measure(marker, command, prefix.env);
    const exeRuns = Number(process.env.BENCH_EXE_RUNS ?? 7);
    const exeSamples: Sample[] = [];
    const scriptSamples: Sample[] = [];
    for (let run = 0; run < exeRuns; run++) {
      scriptSamples.push(measure(marker, commands.script, prefix.env));
      exeSamples.push(measure(marker, commands.exe, prefix.env));
    }
    const exeMs = median(valid(exeSamples));
    const scriptMs = median(valid(scriptSamples));
    const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    console.log(`under Wine, runs: ${exeRuns} each (failed: exe ${exeRuns - valid(exeSamples).length}, script ${exeRuns - valid(scriptSamples).length})`);
    console.log(`node.exe + script bundle, first frame under Wine: median ${scriptMs.toFixed(1)} ms`);
    console.log(`nsp-console.exe, first frame under Wine: median ${exeMs.toFixed(1)} ms`);
    console.log(`ratio exe / script under Wine: ${(exeMs / scriptMs).toFixed(2)} (target <= 1.2)`);
    console.log(`nsp-console.exe: ${megabytes(statSync(exePath).size)} MB (target <= 80), nsp-console-win-x64.zip: ${megabytes(statSync(zipPath).size)} MB (target <= 35)`);
  } finally {
    prefix.destroy();
  }
}

if (process.env.BENCH_EXE !== '0') await benchExe();
rmSync(work, {recursive: true, force: true});
