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

  it('masks the longest secret first', () => {
    expect(maskSecrets('pw=abcdef', ['abc', 'abcdef'])).toBe('pw=***');
  });
});
