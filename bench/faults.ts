// Time from a fault to "off" (the role's disable script ran), per fault: median of several runs
// against the built console. Run on an idle machine for figures you quote.
import {ensureBuilt} from '../test/harness/build.js';
import {journalWhen, makeFaultWorkspace, marks, startRun, until, type RoleScripts} from '../test/harness/logflow-faults.js';

interface Fault {
  name: string;
  scripts?: RoleScripts;
  logflow?: Record<string, string>;
  inject: (run: ReturnType<typeof startRun>, watchdogPid: number) => void;
  note: string;
}

const faults: Fault[] = [
  {name: 'SIGINT', inject: run => void run.child.kill('SIGINT'), note: 'console turns off'},
  {name: 'SIGTERM', inject: run => void run.child.kill('SIGTERM'), note: 'console turns off'},
  {name: 'SIGHUP', inject: run => void run.child.kill('SIGHUP'), note: 'console turns off'},
  {name: 'kill -9 console (wait 2s, grace 1s)', logflow: {wait: '2s', watchdogGrace: '1s'}, inject: run => void run.child.kill('SIGKILL'), note: 'watchdog at deadline + grace'},
  {name: 'kill -9 watchdog (wait 2s)', logflow: {wait: '2s'}, inject: (_run, pid) => void process.kill(pid, 'SIGKILL'), note: 'console at the deadline'},
  {name: 'SIGTERM, disable forks a child', scripts: {disable: 'sleep 1000 & echo off >> "$1"'}, inject: run => void run.child.kill('SIGTERM'), note: 'child stopped'},
];

const rounds = Number(process.env.ROUNDS ?? 5);

async function once(fault: Fault): Promise<number> {
  const ws = makeFaultWorkspace(fault.scripts, {wait: '60s', ...fault.logflow});
  const run = startRun(ws);
  const journal = await journalWhen(ws, current => current.state.phase === 'countingDown', 60_000);
  const at = performance.now();
  fault.inject(run, journal.watchdogPid!);
  await until(() => marks(ws).at(-1) === 'off', 60_000, `off after ${fault.name}`);
  const ms = performance.now() - at;
  await run.exited;
  return ms;
}

ensureBuilt();
const rows: string[][] = [];
for (const fault of faults) {
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) times.push(await once(fault));
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  rows.push([fault.name, `${Math.round(median)} ms`, `${Math.round(times[0]!)}-${Math.round(times.at(-1)!)} ms`, fault.note]);
}
const header = ['fault (at the countdown)', 'median to "off"', `range (${rounds} runs)`, 'who turns it off'];
const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => row[column]!.length)));
for (const row of [header, ...rows]) console.log(row.map((cell, column) => cell.padEnd(widths[column]!)).join('  '));
