// npm run bench:startup: time to first frame of the console's main menu against a bare Ink
// hello-world built the same way (esbuild bundle), both on a pseudo-terminal, in the same run.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {bundleOptions} from '../scripts/build.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 15);
const work = mkdtempSync(join(tmpdir(), 'nsp-bench-startup-'));

const {build} = await import('esbuild');
await build({...bundleOptions, entryPoints: {hello: join(root, 'bench/hello-ink.tsx')}, outdir: work, splitting: true, chunkNames: 'chunks/[name]-[hash]'});

interface Sample {
  firstFrameMs: number | null;
  rssKb: number | null;
}
function measure(marker: string, command: string[]): Sample {
  return JSON.parse(execFileSync('python3', [join(root, 'bench/first-frame.py'), marker, ...command], {encoding: 'utf8', cwd: work}));
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
rmSync(work, {recursive: true, force: true});
