import {spawn} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';

/**
 * Stopping a command's whole process tree. POSIX: every command runs in its own process group
 * (its pid is the group id): TERM to the group, then KILL after a grace. Windows: taskkill /T /F.
 */

const pollMs = 50;
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** Pids in a process group that are not zombies (Linux reads /proc; elsewhere signal 0 says whether any exist). */
export function groupMembers(groupId: number): number[] {
  if (process.platform === 'linux') {
    const members: number[] = [];
    let entries: string[];
    try {
      entries = readdirSync('/proc');
    } catch {
      return groupAlive(groupId) ? [groupId] : [];
    }
    for (const entry of entries) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        // fields[0] state, fields[1] ppid, fields[2] pgrp
        if (Number(fields[2]) === groupId && fields[0] !== 'Z') members.push(Number(entry));
      } catch {
        // Gone while reading.
      }
    }
    return members;
  }
  return groupAlive(groupId) ? [groupId] : [];
}

function groupAlive(groupId: number): boolean {
  try {
    process.kill(-groupId, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalGroup(groupId: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-groupId, signal);
  } catch {
    // Already gone.
  }
}

async function waitEmpty(groupId: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (groupMembers(groupId).length === 0) return true;
    if (Date.now() >= until) return false;
    await sleep(pollMs);
  }
}

/** Stops the tree started as `pid`; resolves (within grace + 1 s, or 5 s on Windows) with what was done. */
export async function killProcessTree(pid: number, graceMs: number): Promise<string> {
  if (process.platform === 'win32') return taskkillTree(pid);
  signalGroup(pid, 'SIGTERM');
  if (await waitEmpty(pid, graceMs)) return `process tree ${pid} stopped with TERM`;
  signalGroup(pid, 'SIGKILL');
  if (await waitEmpty(pid, 1_000)) return `process tree ${pid} killed (did not end within ${Math.round(graceMs / 100) / 10} s of TERM)`;
  return `process tree ${pid} still had processes after KILL: ${groupMembers(pid).join(', ')}`;
}

/** After the command itself ended: stop whatever it left running in its group (undefined when nothing was left). */
export async function stopLeftovers(pid: number, graceMs: number): Promise<string | undefined> {
  if (process.platform === 'win32') return undefined;
  const left = groupMembers(pid);
  if (left.length === 0) return undefined;
  const report = await killProcessTree(pid, graceMs);
  return `the command left ${left.length} process(es) running (${left.join(', ')}); ${report}`;
}

function taskkillTree(pid: number): Promise<string> {
  return new Promise(resolve => {
    const done = (text: string) => {
      clearTimeout(timer);
      resolve(text);
    };
    const child = spawn('taskkill', ['/T', '/F', '/PID', String(pid)], {stdio: 'ignore', windowsHide: true});
    const timer = setTimeout(() => {
      child.kill();
      done(`taskkill /T /F /PID ${pid} did not finish within 5 s`);
    }, 5_000);
    child.on('error', error => done(`taskkill failed: ${error.message}`));
    child.on('exit', code => done(code === 0 ? `process tree ${pid} killed (taskkill /T /F)` : `taskkill /T /F /PID ${pid} exited with ${code}`));
  });
}

const liveGroups = new Set<number>();
let exitHookInstalled = false;

/** Commands still running when this process exits are killed with their trees (they are detached, nothing else would). */
export function trackGroup(pid: number): () => void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const group of liveGroups) {
        if (process.platform === 'win32') continue;
        signalGroup(group, 'SIGKILL');
      }
    });
  }
  liveGroups.add(pid);
  return () => liveGroups.delete(pid);
}
