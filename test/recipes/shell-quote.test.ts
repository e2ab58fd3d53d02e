import {execFileSync} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import {quoteForShell} from '../../source/recipes/shell-quote.js';
import {validateWindowsLogin} from '../../source/recipes/db-rights/tsql.js';
import {runCli} from './run-cli.js';
import {contextFrom} from '../../source/context.js';

/** Logins the validation lets through that a shell would expand or split when not quoted. */
const hostileLogins = ['CORP\\svc$sql', 'CORP\\a$(id)', 'CORP\\a`whoami`', "CORP\\o'brien", "CORP\\a'$(id)'b", 'CORP\\a$env', 'CORP\\x&calc', 'CORP\\a’$(id)‘b', 'CORP\\it $HOME (ops)', 'CORP\\a!!b', 'CORP\\~root'];

/** What PowerShell makes of a single-quoted string: '' (or a doubled typographic quote) is one quote, nothing else is special. */
function powerShellUnquote(text: string): string {
  const quote = /['\u2018\u2019\u201a\u201b]/;
  expect(quote.test(text[0]!) && quote.test(text.at(-1)!)).toBe(true);
  let out = '';
  for (let index = 1; index < text.length - 1; index++) {
    const char = text[index]!;
    if (quote.test(char)) {
      // Inside, a quote character must be doubled, or the string would end here.
      expect(quote.test(text[index + 1]!)).toBe(true);
      index++;
    }
    out += char;
  }
  return out;
}

describe('quoting printed command lines for the shell they are pasted into', () => {
  it('every hostile login is accepted by the validation (so quoting is what protects)', () => {
    for (const login of hostileLogins) expect(validateWindowsLogin(login), login).toBeUndefined();
  });

  it.each(hostileLogins)('POSIX: sh and bash get %s back unchanged, and run nothing', login => {
    const quoted = quoteForShell(login, 'posix');
    for (const shell of ['sh', 'bash']) {
      expect(execFileSync(shell, ['-c', `printf '%s' ${quoted}`], {encoding: 'utf8'})).toBe(login);
    }
  });

  it.each(hostileLogins)('PowerShell: %s stays one literal argument', login => {
    expect(powerShellUnquote(quoteForShell(login, 'powershell'))).toBe(login);
  });
});

describe('recipe db-rights prints copyable lines quoted for the platform', () => {
  const login = 'CORP\\a$(id)`x`';
  it('on Linux: POSIX single quotes that sh reads back exactly', async () => {
    const result = await runCli(['--root', '/nonexistent-root', 'recipe', 'db-rights', '--login', login, '--role', 'gateway', '--instance', 'SQL01\\NSP$1']);
    expect(result.code).toBe(0);
    const line = result.stdout.split('\n').find(text => text.startsWith('--   nsp-console recipe db-rights'))!;
    const command = line.replace(/^--\s+/, '').replace(/^nsp-console /, '');
    // The shell splits the printed line back into exactly the arguments typed.
    const argv = JSON.parse(execFileSync('sh', ['-c', `node -e 'console.log(JSON.stringify(process.argv.slice(1)))' ${command}`], {encoding: 'utf8'})) as string[];
    expect(argv).toEqual(['recipe', 'db-rights', '--login', login, '--role', 'gateway', '--instance', 'SQL01\\NSP$1', '--run']);
    const check = result.stdout.split('\n').find(text => text.includes('sqlcmd -S'))!;
    expect(check).toContain("sqlcmd -S 'SQL01\\NSP$1'");
    expect(result.stdout).not.toMatch(/--login "/);
  });
});

describe('recipe db-rights on Windows', () => {
  it('prints PowerShell single quotes (a quote doubled), never double quotes around the login', async () => {
    const {runDbRightsCommand} = await import('../../source/recipes/db-rights/db-rights-cli.js');
    const {captureIo} = await import('../helpers/capture.js');
    const {io, stdout} = captureIo();
    const context = contextFrom({root: '/nonexistent-root', isDemo: false, stateDir: '/nonexistent-state', hostName: 'GW01', platform: 'win32' as const, ascii: true, color: false, env: {}});
    const login = "CORP\\o'brien$(id)";
    expect(await runDbRightsCommand(['--login', login, '--role', 'gateway', '--instance', 'SQL01\\NSP$1'], context, io)).toBe(0);
    const text = stdout();
    expect(text).toContain("-- Run it in SQL Management Studio, or (PowerShell):");
    expect(text).toContain("--   nsp-console recipe db-rights --login 'CORP\\o''brien$(id)' --role gateway --instance 'SQL01\\NSP$1' --run");
    expect(text).toContain("sqlcmd -S 'SQL01\\NSP$1' -E");
  });
});
