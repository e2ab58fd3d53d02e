import {parseCommandArgs} from '../../commands/parse.js';
import type {CommandIo} from '../../commands/types.js';
import type {ConsoleContext} from '../../context.js';
import {ExitCode, OperationalError, UsageError} from '../../errors.js';
import {writeLines} from '../cli-io.js';
import {pasteShellFor, quoteForShell} from '../shell-quote.js';
import {firstLines} from '../output.js';
import {chooseInstance, defaultInstances, describeChoice, instanceFromConfig, runRightsScript, runVerification} from './run-sqlcmd.js';
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
                         else NoSpamProxy's named instance (local)\\NoSpamProxy, else (local);
                         with --run the first that answers is used, and said); host,
                         host\\INSTANCE or host,port
  --run                  run the script with sqlcmd (Windows authentication, -b, no variable
                         substitution) and then check the result; the script is kept in
                         <state-dir>/recipes/
Without --run the T-SQL script is printed for SQL Management Studio; it lets the server pick
ALTER SERVER ROLE (SQL Server 2012 and later) or sp_addsrvrolemember (older). With --run the
version is asked first and only the matching statements are run.

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
  const candidates = values.instance !== undefined ? [values.instance] : configured ? [configured] : [...defaultInstances];
  const {database, label} = databaseRoles[role];
  const reason = values.instance !== undefined ? 'given with --instance' : configured ? "from the role's configuration file" : candidates.length > 1 ? "NoSpamProxy's default instance; none in the role's configuration" : 'default';

  const shell = pasteShellFor(context.platform);
  const shellLabel = shell === 'powershell' ? 'PowerShell' : 'sh/bash';
  if (!values.run) {
    const instance = candidates[0]!;
    const source = values.instance !== undefined ? '' : configured ? " (from the role's configuration file)" : ` (NoSpamProxy's default named instance; if it does not exist: ${defaultInstances[1]}; or use --instance)`;
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

  const choice = await chooseInstance(candidates);
  writeLines(io.stdout, describeChoice(choice, reason));
  if (!choice.chosen) throw new OperationalError(`sqlcmd could not reach ${candidates.join(' nor ')}: ${choice.tried.at(-1)?.problem ?? 'no answer'}`);
  const instance = choice.chosen.instance;
  writeLines(io.stdout, [`Granting ${values.login}: login, sysadmin, db_owner in ${database} on ${instance}...`]);
  const outcome = await runRightsScript(context.stateDir, instance, values.login, role, choice.chosen.version?.major);
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
