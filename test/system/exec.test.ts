import {describe, expect, it} from 'vitest';
import {chmodSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {MissingProgramError, runCommand} from '../../source/system/exec.js';
import {maskSecrets, rememberSecret, sessionRecord} from '../../source/system/session-record.js';

describe('runCommand', () => {
  it('runs a real process without a shell and returns its output and exit code', async () => {
    const result = await runCommand(process.execPath, ['-e', 'console.log(process.argv[1]); process.exit(3)', 'a;b $(x) "q"']);
    expect(result.exitCode).toBe(3);
    expect(result.stdout.trim()).toBe('a;b $(x) "q"');
  });

  it('says clearly when a program does not exist', async () => {
    await expect(runCommand('powershell-does-not-exist', ['-Command', 'x'])).rejects.toBeInstanceOf(MissingProgramError);
    await expect(runCommand('reg-does-not-exist', [])).rejects.toThrow(/"reg-does-not-exist" was not found/);
    expect(sessionRecord().at(-1)?.outcome).toBe('missing-program');
  });

  it('kills a process that runs past its time-out', async () => {
    const result = await runCommand(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], {timeoutMs: 300});
    expect(result.timedOut).toBe(true);
    expect(sessionRecord().at(-1)?.outcome).toBe('timeout');
  });

  it('on time-out stops the whole process tree and does not wait for a forked child holding the output', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'nsp-exec-tree-'));
    const pidFile = join(folder, 'child.pid');
    // bash forks sleep (not the last command, so no exec): the child inherits stdout/stderr.
    const script = `sleep 1000 & echo $! > ${pidFile}; echo started; sleep 1000; echo never`;
    const started = Date.now();
    const result = await runCommand('bash', ['-c', script], {timeoutMs: 500, killGraceMs: 300});
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(result.timedOut).toBe(true);
    expect(result.stdout).toContain('started');
    expect(result.killed).toMatch(/process tree \d+ (stopped|killed)/);
    const child = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(child)).toBe(false);
  });

  it('a process that ignores TERM is killed after the grace', async () => {
    const result = await runCommand('bash', ['-c', 'trap "" TERM; sleep 1000 & wait'], {timeoutMs: 300, killGraceMs: 300});
    expect(result.timedOut).toBe(true);
    expect(result.killed).toMatch(/killed \(did not end within 0.3 s of TERM\)/);
  });

  it('a command that exits but leaves a child in its group: the result comes back, the child is stopped and reported', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'nsp-exec-left-'));
    const pidFile = join(folder, 'child.pid');
    const started = Date.now();
    const result = await runCommand('bash', ['-c', `sleep 1000 & echo $! > ${pidFile}; echo done`], {timeoutMs: 10_000, killGraceMs: 300});
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(result).toMatchObject({exitCode: 0, timedOut: false});
    expect(result.stdout.trim()).toBe('done');
    expect(result.killed).toMatch(/left 1 process/);
    expect(alive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });

  it('passes secrets only on stdin, refuses them in argv and masks them in output and the record', async () => {
    rememberSecret('S3cr3t-Value');
    await expect(runCommand(process.execPath, ['-e', '', 'S3cr3t-Value'])).rejects.toThrow(/standard input/);
    const folder = mkdtempSync(join(tmpdir(), 'nsp-exec-'));
    const script = join(folder, 'echo-stdin.sh');
    writeFileSync(script, `#!/bin/sh\ncat > "${folder}/got"\necho "got it: $(cat "${folder}/got")"\n`);
    chmodSync(script, 0o755);
    const lines: string[] = [];
    const result = await runCommand(script, ['--user', 'admin'], {input: 'S3cr3t-Value', onLine: line => lines.push(line)});
    expect(readFileSync(join(folder, 'got'), 'utf8')).toBe('S3cr3t-Value');
    expect(result.stdout).toBe('got it: ***');
    expect(lines).toEqual(['got it: ***']);
    expect(JSON.stringify(sessionRecord())).not.toContain('S3cr3t-Value');
    expect(sessionRecord().at(-1)).toMatchObject({file: script, args: ['--user', 'admin'], exitCode: 0, outcome: 'ok'});
  });

  it('a plain command reports nothing killed', async () => {
    const result = await runCommand(process.execPath, ['-e', 'console.log("x")']);
    expect(result.killed).toBeUndefined();
  });

  it('masks the longest secret first', () => {
    expect(maskSecrets('pw=abcdef', ['abc', 'abcdef'])).toBe('pw=***');
  });
});

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
