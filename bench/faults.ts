// Time from a fault to "off" (the role's disable script ran), per fault: median of several runs
// against the built console. Run on an idle machine for figures you quote.
import {ensureBuilt} from '../test/harness/build.js';
import {journalWhen, makeFaultWorkspace, marks, startRun, startRunInPty, until, type ConsoleUnderTest, type RoleScripts} from '../test/harness/logflow-faults.js';

interface Fault {
  name: string;
  scripts?: RoleScripts;
  logflow?: Record<string, string>;
  inject: (run: ConsoleUnderTest, watchdogPid: number) => void;
  note: string;
  /** On a real pty (tmux), so the terminal can be closed under the console. */
  pty?: true;
}

const faults: Fault[] = [
  {name: 'SIGINT', inject: run => run.signal('SIGINT'), note: 'console turns off'},
  {name: 'SIGTERM', inject: run => run.signal('SIGTERM'), note: 'console turns off'},
  {name: 'SIGHUP', inject: run => run.signal('SIGHUP'), note: 'console turns off'},
  {name: 'pty closed (tmux kill-session)', pty: true, inject: run => run.closeTerminal!(), note: 'console turns off'},
  {name: 'kill -9 console (wait 2s, grace 1s)', logflow: {wait: '2s', watchdogGrace: '1s'}, inject: run => run.signal('SIGKILL'), note: 'watchdog at deadline + grace'},
  {name: 'kill -9 watchdog (wait 2s)', logflow: {wait: '2s'}, inject: (_run, pid) => void process.kill(pid, 'SIGKILL'), note: 'console at the deadline'},
  {name: 'SIGTERM, disable forks a child', scripts: {disable: 'sleep 1000 & echo off >> "$1"'}, inject: run => run.signal('SIGTERM'), note: 'child stopped'},
  {name: 'SIGTERM, disable hangs after "off" (timeout 1s)', scripts: {disable: 'echo off >> "$1"; sleep 1000'}, logflow: {commandTimeout: '1s'}, inject: run => run.signal('SIGTERM'), note: 'console, tree killed'},
];

const rounds = Number(process.env.ROUNDS ?? 5);

async function once(fault: Fault): Promise<number> {
  const ws = makeFaultWorkspace(fault.scripts, {wait: '60s', ...fault.logflow});
  const run = fault.pty ? startRunInPty(ws) : startRun(ws);
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
