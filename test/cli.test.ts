import {describe, expect, it} from 'vitest';
import {spawnSync} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {main} from '../source/cli.js';
import {parseCommandLine} from '../source/global-args.js';
import {parseDuration} from '../source/commands/parse.js';
import {UsageError} from '../source/errors.js';
import {launcher} from './harness/tmux.js';
import {captureIo as capture} from './helpers/capture.js';
import {ensureBuilt} from './harness/build.js';

describe('parseCommandLine', () => {
  it('takes global options before or after the command, with = or a separate value', () => {
    const line = parseCommandLine(['--root', '/data', 'keyserver', 'lookup', 'a@b.de', '--state-dir=/state', '--json', '--ascii', '--no-color']);
    expect(line.globals).toEqual({root: '/data', stateDir: '/state', ascii: true, color: false});
    expect(line.command).toBe('keyserver');
    expect(line.rest).toEqual(['lookup', 'a@b.de', '--json']);
  });

  it('leaves --help after a command to the command, and reads it before', () => {
    expect(parseCommandLine(['--help']).help).toBe(true);
    const line = parseCommandLine(['proxy', '--help']);
    expect(line.help).toBe(false);
    expect(line.rest).toEqual(['--help']);
    expect(parseCommandLine(['-V']).version).toBe(true);
  });

  it('keeps everything after -- for the command', () => {
    expect(parseCommandLine(['bundle', '--', '--root', 'x']).rest).toEqual(['--', '--root', 'x']);
  });

  it('refuses a global option without its value and unknown options before a command', () => {
    expect(() => parseCommandLine(['--root'])).toThrow(UsageError);
    expect(() => parseCommandLine(['--root', '--ascii'])).toThrow(/needs a folder/);
    expect(() => parseCommandLine(['--frobnicate'])).toThrow(/Unknown option --frobnicate/);
  });
});

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['1m30s', 90_000],
    ['90', 90_000],
    ['500ms', 500],
    ['1h', 3_600_000],
  ])('%s is %i ms', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(['', 'abc', '5x', '-5s', '0s', '5m junk'])('refuses %j', text => expect(() => parseDuration(text)).toThrow(UsageError));
});

describe('main', () => {
  it('prints the version and the help with every command and option', async () => {
    const version = capture();
    expect(await main(['--version'], version.io, {})).toBe(0);
    expect(version.stdout()).toMatch(/^\d+\.\d+\.\d+\n$/);
    const help = capture();
    expect(await main(['--help'], help.io, {})).toBe(0);
    for (const word of ['logflow', 'keyserver', 'proxy', 'bundle', 'recipe', '--root', '--state-dir', '--ascii', '--no-color', 'NSP_ROOT', 'NSP_CONSOLE_STATE_DIR', 'NO_COLOR', 'Exit codes']) {
      expect(help.stdout()).toContain(word);
    }
  });

  it('refuses to open the interactive console without a terminal, with exit 2 and one sentence', async () => {
    const run = capture();
    expect(await main([], run.io, {})).toBe(2);
    expect(run.stderr().trim().split('\n')).toHaveLength(1);
    expect(run.stderr()).toContain('--help');
  });

  it('exits 2 for an unknown command and names the commands', async () => {
    const run = capture();
    expect(await main(['frobnicate'], run.io, {})).toBe(2);
    expect(run.stderr()).toContain('Unknown command "frobnicate"');
    expect(run.stderr()).toContain('keyserver');
  });

  it('runs the info command against the demo sandbox', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'nsp-cli-'));
    const run = capture();
    expect(await main(['info', '--json', '--state-dir', stateDir], run.io, {})).toBe(0);
    const report = JSON.parse(run.stdout());
    expect(report.isDemo).toBe(true);
    expect(report.root).toBe(join(stateDir, 'sandbox'));
    expect(report.files.every((file: {exists: boolean}) => file.exists)).toBe(true);
  });
});

describe('the built launcher', () => {
  it('exits 2 with the clear message when stdin is not a terminal (nsp-console </dev/null)', () => {
    ensureBuilt();
    const result = spawnSync(process.execPath, [launcher], {stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env: {...process.env, NSP_CONSOLE_STATE_DIR: mkdtempSync(join(tmpdir(), 'nsp-cli-'))}});
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('needs a terminal');
    expect(result.stdout).toBe('');
  });

  it('finds the shipped demo sandbox from the bundle (whichever chunk holds the code)', () => {
    ensureBuilt();
    const stateDir = mkdtempSync(join(tmpdir(), 'nsp-cli-'));
    const result = spawnSync(process.execPath, [launcher, 'info', '--json', '--state-dir', stateDir], {encoding: 'utf8'});
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).files.every((file: {exists: boolean}) => file.exists)).toBe(true);
  });

  it('prints the help of a subcommand', () => {
    const result = spawnSync(process.execPath, [launcher, 'info', '--help'], {encoding: 'utf8'});
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: nsp-console info');
  });
});

describe('help of a sub-command', () => {
  it('prints only that recipe for "recipe azure-rdns --help", and the overview for "recipe --help"', async () => {
    const one = capture();
    expect(await main(['recipe', 'azure-rdns', '--help'], one.io, {})).toBe(0);
    expect(one.stdout()).toContain('recipe azure-rdns');
    expect(one.stdout()).not.toContain('recipe db-rights');
    const all = capture();
    expect(await main(['recipe', '--help'], all.io, {})).toBe(0);
    expect(all.stdout()).toContain('recipe db-rights');
    expect(all.stdout()).toContain('recipe azure-rdns');
  });
});

describe('info with a data root that does not exist', () => {
  it('says so and exits 1', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'nsp-cli-'));
    const run = capture();
    expect(await main(['info', '--root', '/nonexistent-nsp-root', '--state-dir', stateDir], run.io, {})).toBe(1);
    expect(run.stderr()).toContain('/nonexistent-nsp-root does not exist');
    const json = capture();
    expect(await main(['info', '--json', '--root', '/nonexistent-nsp-root', '--state-dir', stateDir], json.io, {})).toBe(1);
    expect(JSON.parse(json.stdout()).rootExists).toBe(false);
  });
});

describe('duration errors', () => {
  it('name the option', () => {
    expect(() => parseDuration('0s', '--wait')).toThrow('--wait: "0s" is not a duration');
  });
});
