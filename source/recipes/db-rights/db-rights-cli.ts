import {parseCommandArgs} from '../../commands/parse.js';
import type {CommandIo} from '../../commands/types.js';
import type {ConsoleContext} from '../../context.js';
import {ExitCode, OperationalError, UsageError} from '../../errors.js';
import {writeLines} from '../cli-io.js';
import {pasteShellFor, quoteForShell} from '../shell-quote.js';
import {firstLines} from '../output.js';
import {fallbackInstance, instanceFromConfig, runRightsScript, runVerification} from './run-sqlcmd.js';
import {buildRightsScript, databaseRoles, isDatabaseRole, selfCheckCommand, validateInstance, validateWindowsLogin, type DatabaseRole} from './tsql.js';

export const dbRightsHelp = `Usage:
  nsp-console recipe db-rights --login <DOMAIN\\name> --role gateway|intranet|webportal
                               [--instance <server\\instance>] [--run]

Gives another Windows administrator (user or group) the database rights NoSpamProxy updates
need - what the knowledge base clicks in SQL Management Studio: a Windows-authentication login,
the sysadmin server role, and a db_owner user in the role's database:
  gateway    NoSpamProxyDB
  intranet   NoSpamProxyAddressSynchronization
  webportal  enQsigPortal

Options:
  --login <DOMAIN\\name>  the Windows user or group (NetBIOS domain or computer name, a
                         backslash, the account); anything implausible is refused
  --role <role>          whose database: gateway, intranet or webportal
  --instance <name>      SQL Server instance (default: the one in the role's configuration file,
                         else (local)); host, host\\INSTANCE or host,port
  --run                  run the script with sqlcmd (Windows authentication, -b, no variable
                         substitution) and then check the result; the script is kept in
                         <state-dir>/recipes/
Without --run the T-SQL script is printed for SQL Management Studio.

Exit codes: 0 printed / rights set and verified, 1 verification failed, 2 bad input,
3 sqlcmd missing or failing.`;

export async function runDbRightsCommand(args: string[], context: ConsoleContext, io: CommandIo): Promise<number> {
  const {values, positionals} = parseCommandArgs(args, {login: {type: 'string'}, role: {type: 'string'}, instance: {type: 'string'}, run: {type: 'boolean'}});
  if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}". Run "nsp-console recipe db-rights --help".`);
  if (values.login === undefined || values.role === undefined) throw new UsageError('db-rights needs --login <DOMAIN\\name> and --role gateway|intranet|webportal.');
  const loginProblem = validateWindowsLogin(values.login);
  if (loginProblem) throw new UsageError(`--login: ${loginProblem}.`);
  if (!isDatabaseRole(values.role)) throw new UsageError(`--role must be gateway, intranet or webportal (not "${values.role}").`);
  const role: DatabaseRole = values.role;
  if (values.instance !== undefined) {
    const instanceProblem = validateInstance(values.instance);
    if (instanceProblem) throw new UsageError(`--instance: ${instanceProblem}.`);
  }
  const configured = values.instance === undefined ? await instanceFromConfig(context.root, role) : undefined;
  const instance = values.instance ?? configured ?? fallbackInstance;
  const {database, label} = databaseRoles[role];
  const source = values.instance !== undefined ? '' : configured ? ' (from the role\'s configuration file)' : ' (default; use --instance)';

  const shell = pasteShellFor(context.platform);
  const shellLabel = shell === 'powershell' ? 'PowerShell' : 'sh/bash';
  if (!values.run) {
    writeLines(io.stdout, [
      `-- ${label}: database ${database}, instance ${instance}${source}`,
      buildRightsScript(values.login, role).replace(/\r\n/g, '\n').trimEnd(),
      '',
      `-- Run it in SQL Management Studio, or (${shellLabel}):`,
      `--   nsp-console recipe db-rights --login ${quoteForShell(values.login, shell)} --role ${role} --instance ${quoteForShell(instance, shell)} --run`,
      `-- Then log on as ${values.login} and check the tables can be read:`,
      `--   ${selfCheckCommand(instance, role, shell)}`,
    ]);
    return ExitCode.ok;
  }

  writeLines(io.stdout, [`Granting ${values.login}: login, sysadmin, db_owner in ${database} on ${instance}${source}...`]);
  const outcome = await runRightsScript(context.stateDir, instance, values.login, role);
  if (!outcome.ok) {
    throw new OperationalError(`sqlcmd failed (exit ${outcome.result.exitCode ?? 'none'}${outcome.result.timedOut ? ', timed out' : ''}); script: ${outcome.scriptPath}\n${firstLines(outcome.result.stderr || outcome.result.stdout, 10)}`);
  }
  writeLines(io.stdout, [`Done (script kept in ${outcome.scriptPath}).`, 'Verifying...']);
  const check = await runVerification(context.stateDir, instance, values.login, role);
  if (check.result.exitCode !== 0) {
    throw new OperationalError(`The verification query failed (exit ${check.result.exitCode ?? 'none'}):\n${firstLines(check.result.stderr || check.result.stdout, 10)}`);
  }
  const {sysadmin, dbOwner, tables} = check.verification;
  writeLines(io.stdout, [
    `  sysadmin server role: ${sysadmin ? 'yes' : 'NO'}`,
    `  db_owner in ${database}: ${dbOwner ? 'yes' : 'NO'}`,
    `  tables in ${database}: ${tables ?? 'unknown'}`,
    `Last step (the knowledge base's check): log on as ${values.login} and run`,
    `  ${selfCheckCommand(instance, role, shell)}`,
    'If it lists tables, access is set up.',
  ]);
  return check.ok ? ExitCode.ok : ExitCode.nothingFound;
}
