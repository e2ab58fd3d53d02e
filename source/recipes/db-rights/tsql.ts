import {pasteShellFor, quoteForShell, type PasteShell} from '../shell-quote.js';
/**
 * T-SQL for what the knowledge base clicks in SQL Management Studio: a Windows-authentication
 * login, the sysadmin server role, and a db_owner user in the role's database.
 */

export type DatabaseRole = 'gateway' | 'intranet' | 'webportal';

export const databaseRoles: Record<DatabaseRole, {label: string; database: string; configFile?: string}> = {
  gateway: {label: 'Gateway Role', database: 'NoSpamProxyDB', configFile: 'Configuration/Gateway Role.config'},
  intranet: {label: 'Intranet Role', database: 'NoSpamProxyAddressSynchronization', configFile: 'Configuration/Intranet Role.config'},
  webportal: {label: 'Web Portal', database: 'enQsigPortal'},
};

export function isDatabaseRole(value: string): value is DatabaseRole {
  return value === 'gateway' || value === 'intranet' || value === 'webportal';
}

/** Characters Active Directory does not allow in account names (plus control characters and '@'). */
const forbiddenInAccount = /["/\\[\]:;|=,+*?<>@\u0000-\u001f\u007f]/;

/**
 * A plausible Windows account: DOMAIN\name, where DOMAIN is a NetBIOS domain or computer name
 * (or NT AUTHORITY, NT SERVICE, BUILTIN) and name a user or group. Returns an error or undefined.
 */
export function validateWindowsLogin(value: string): string | undefined {
  if (value.length === 0) return 'enter the account as DOMAIN\\name (a user or a group)';
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'line breaks and control characters are not allowed in an account name';
  const parts = value.split('\\');
  if (parts.length !== 2) return 'write the account as DOMAIN\\name with exactly one backslash (e.g. EXAMPLE\\jdoe or SERVER01\\Administrators)';
  const [domain, name] = parts as [string, string];
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9 ._-]{0,14})$/.test(domain) || domain.endsWith(' ') || domain.endsWith('.')) {
    return domain.includes('.') && domain.length > 15
      ? `"${domain}" looks like a DNS domain; SQL Server needs the NetBIOS domain name (e.g. EXAMPLE\\name)`
      : `"${domain}" is not a plausible NetBIOS domain or computer name (1-15 letters, digits, - _ . or space)`;
  }
  if (name.length === 0) return 'the account name after the backslash is missing';
  if (forbiddenInAccount.test(name)) return 'an account name cannot contain " / \\ [ ] : ; | = , + * ? < > @';
  if (name !== name.trim()) return 'an account name cannot start or end with a space';
  if (/^[. ]+$/.test(name)) return 'an account name cannot consist of dots and spaces only';
  if (value.length > 128) return 'a login name has at most 128 characters';
  return undefined;
}

/** Server instance: host (or . / (local) / IP), optional \INSTANCE, optional ,port, optional tcp: prefix. */
export function validateInstance(value: string): string | undefined {
  if (value.length === 0) return 'enter the SQL Server instance, e.g. (local)\\NOSPAMPROXY';
  const pattern = /^(?:(?:tcp|np|lpc):)?(?:\(local\)|\(localdb\)|\.|localhost|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,253}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?:\\[A-Za-z_#][A-Za-z0-9_#$]{0,15})?(?:,[0-9]{1,5})?$/;
  if (!pattern.test(value)) return 'not a SQL Server instance name: use host, host\\INSTANCE or host,port (e.g. (local)\\NOSPAMPROXY)';
  return undefined;
}

/** A SQL identifier in brackets, with ']' doubled. */
export function quoteIdentifier(name: string): string {
  return `[${name.replace(/]/g, ']]')}]`;
}

/** A Unicode string literal, with "'" doubled. */
export function quoteLiteral(text: string): string {
  return `N'${text.replace(/'/g, "''")}'`;
}

/** SQL Server's major version (11 = 2012); `ALTER SERVER ROLE/ALTER ROLE … ADD MEMBER` need 11 or later. */
export const alterRoleMinimumMajor = 11;

/**
 * The grant script. sqlMajorVersion known: the statements for that version (ALTER … ADD MEMBER
 * from 2012, sp_addsrvrolemember / sp_addrolemember before). Unknown (a printed script): the
 * server's own version decides at run time, so the script runs on any version.
 */
export function buildRightsScript(login: string, role: DatabaseRole, sqlMajorVersion?: number): string {
  const problem = validateWindowsLogin(login);
  if (problem) throw new RangeError(problem);
  const {database, label} = databaseRoles[role];
  const who = quoteIdentifier(login);
  const whoText = quoteLiteral(login);
  const db = quoteIdentifier(database);
  const modern = {server: `ALTER SERVER ROLE [sysadmin] ADD MEMBER ${who};`, database: `ALTER ROLE [db_owner] ADD MEMBER ${who};`};
  const legacy = {server: `EXEC sp_addsrvrolemember @loginame = ${whoText}, @rolename = N'sysadmin';`, database: `EXEC sp_addrolemember @rolename = N'db_owner', @membername = ${whoText};`};
  const versionTest = `IF CAST(PARSENAME(CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128)), 4) AS int) >= ${alterRoleMinimumMajor}`;
  const addMember = (kind: 'server' | 'database'): string[] => {
    if (sqlMajorVersion !== undefined) return [sqlMajorVersion >= alterRoleMinimumMajor ? modern[kind] : legacy[kind]];
    // ALTER … ADD MEMBER does not even parse before 2012, so it runs through EXEC there.
    return [versionTest, `    EXEC (${quoteLiteral(modern[kind])});`, 'ELSE', `    ${legacy[kind]}`];
  };
  const flavour =
    sqlMajorVersion === undefined
      ? '-- Runs on any SQL Server version: ALTER ... ADD MEMBER from 2012 (version 11), sp_addsrvrolemember / sp_addrolemember before.'
      : sqlMajorVersion >= alterRoleMinimumMajor
        ? `-- For SQL Server version ${sqlMajorVersion} (2012 or later): ALTER ... ADD MEMBER.`
        : `-- For SQL Server version ${sqlMajorVersion} (older than 2012): sp_addsrvrolemember / sp_addrolemember.`;
  return [
    `-- nsp-console recipe db-rights: ${login.replace(/[^\x20-\x7e]/g, '?')} -> sysadmin, db_owner in ${database} (${label})`,
    '-- Run with Windows authentication as an existing sysadmin (e.g. the account that installed NoSpamProxy).',
    flavour,
    'SET NOCOUNT ON;',
    `IF DB_ID(${quoteLiteral(database)}) IS NULL`,
    `    RAISERROR(${quoteLiteral(`The database ${database} does not exist on this instance.`)}, 16, 1);`,
    'GO',
    'USE [master];',
    `IF SUSER_ID(${whoText}) IS NULL`,
    `    CREATE LOGIN ${who} FROM WINDOWS WITH DEFAULT_DATABASE = [master];`,
    'GO',
    ...addMember('server'),
    'GO',
    `USE ${db};`,
    `IF NOT EXISTS (SELECT 1 FROM sys.database_principals WHERE sid = SUSER_SID(${whoText}))`,
    `    CREATE USER ${who} FOR LOGIN ${who};`,
    'GO',
    ...addMember('database'),
    'GO',
    '',
  ].join('\r\n');
}

/** The query that says which SQL Server answers: `version=<ProductVersion>` (works on every version). */
export const versionQuery = "SET NOCOUNT ON; SELECT N'version=' + CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128));";

/** `version=10.50.6000.34` → {text, major: 10}; undefined when the output has no version line. */
export function parseVersionOutput(output: string): {text: string; major: number} | undefined {
  const match = /^\s*version=(\d+)((?:\.\d+)*)\s*$/m.exec(output);
  return match ? {text: `${match[1]}${match[2]}`, major: Number(match[1])} : undefined;
}

/** Prints sysadmin=0/1, db_owner=0/1 and tables=<n> so the result can be checked. */
export function buildVerificationScript(login: string, role: DatabaseRole): string {
  const problem = validateWindowsLogin(login);
  if (problem) throw new RangeError(problem);
  const {database} = databaseRoles[role];
  const whoText = quoteLiteral(login);
  return [
    'SET NOCOUNT ON;',
    `SELECT N'sysadmin=' + CAST(ISNULL(IS_SRVROLEMEMBER(N'sysadmin', ${whoText}), 0) AS nvarchar(4));`,
    'GO',
    `USE ${quoteIdentifier(database)};`,
    `SELECT N'db_owner=' + CAST(COUNT(*) AS nvarchar(4)) FROM sys.database_role_members AS rm`,
    '    JOIN sys.database_principals AS r ON r.principal_id = rm.role_principal_id',
    '    JOIN sys.database_principals AS m ON m.principal_id = rm.member_principal_id',
    `    WHERE r.name = N'db_owner' AND m.sid = SUSER_SID(${whoText});`,
    `SELECT N'tables=' + CAST(COUNT(*) AS nvarchar(10)) FROM sys.tables;`,
    'GO',
    '',
  ].join('\r\n');
}

export interface Verification {
  sysadmin: boolean;
  dbOwner: boolean;
  tables: number | undefined;
}

export function parseVerification(output: string): Verification {
  const value = (key: string) => new RegExp(`^\\s*${key}=(\\d+)\\s*$`, 'm').exec(output)?.[1];
  const tables = value('tables');
  return {sysadmin: value('sysadmin') === '1', dbOwner: Number(value('db_owner') ?? '0') > 0, tables: tables === undefined ? undefined : Number(tables)};
}

/** The knowledge base's check, quoted for the shell it will be pasted into (an instance name may hold "$"; the query has nothing a shell expands). */
export function selfCheckCommand(instance: string, role: DatabaseRole, shell: PasteShell = pasteShellFor(process.platform)): string {
  return `sqlcmd -S ${quoteForShell(instance, shell)} -E -d ${databaseRoles[role].database} -Q "SELECT TOP (10) name FROM sys.tables ORDER BY name"`;
}
