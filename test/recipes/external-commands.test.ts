import {mkdir, readFile, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {hostname} from 'node:os';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {resolveAzProgram} from '../../source/recipes/azure-rdns/az-program.js';
import {createArgvStub, type ArgvStub} from '../harness/argv-stub.js';
import {startDnsServer, type TestDnsServer} from '../harness/dns-server.js';
import {freshRoot, runCli} from './run-cli.js';

const publicIp = JSON.stringify({ipAddress: '203.0.113.25', publicIPAddressVersion: 'IPv4', dnsSettings: {domainNameLabel: 'mailgw', fqdn: 'mailgw.westeurope.cloudapp.azure.com'}});
const updatedIp = JSON.stringify({ipAddress: '203.0.113.25', publicIPAddressVersion: 'IPv4', dnsSettings: {domainNameLabel: 'mailgw', fqdn: 'mailgw.westeurope.cloudapp.azure.com', reverseFqdn: 'mail.example.com.'}});

/** The subscription's public IPs: this one and a sibling (198.51.100.8, othergw…); 198.51.100.7 is not among them. */
const subscriptionIps = JSON.stringify([
  JSON.parse(publicIp),
  {name: 'other-ip', ipAddress: '198.51.100.8', publicIPAddressVersion: 'IPv4', dnsSettings: {domainNameLabel: 'othergw', fqdn: 'othergw.westeurope.cloudapp.azure.com'}},
].map((ip, index) => ({name: index === 0 ? 'mail-ip' : ip.name, ...ip})));

let stub: ArgvStub;
let restorePath: () => void;
let dirs: {root: string; stateDir: string};
let dns: TestDnsServer;

beforeAll(async () => {
  dns = await startDnsServer({
    a: {'mail.example.com': ['203.0.113.25'], 'wrong.example.com': ['198.51.100.7'], 'sibling.example.com': ['198.51.100.8']},
    cname: {'alias.example.com': 'mailgw.westeurope.cloudapp.azure.com', 'sibling-alias.example.com': 'othergw.westeurope.cloudapp.azure.com'},
    txt: {
      'example.com': [['v=spf1 mx ', 'a:proxy.nospamproxy.de -all'], ['google-site-verification=x']],
      'other.example': [['v=spf1 include:spf.protection.outlook.com -all']],
      'two.example': [['v=spf1 a:proxy.nospamproxy.de -all'], ['v=spf1 mx -all']],
    },
  });
});
afterAll(async () => {
  await dns.close();
});

beforeEach(async () => {
  stub = await createArgvStub({
    az: [
      {when: '^network public-ip show', stdout: publicIp},
      {when: '^network public-ip list', stdout: subscriptionIps},
      {when: '^network public-ip update .*alias', stdout: updatedIp.replace('mail.example.com.', 'alias.example.com.')},
      {when: '^network public-ip update', stdout: updatedIp},
    ],
    sqlcmd: [
      {when: 'db-rights-verify', stdout: 'sysadmin=1\r\ndb_owner=1\r\ntables=42\r\n'},
      // The version probe: an old server (2008 R2) at OLDSQL, none at the named NoSpamProxy instance of NONAMED.
      {when: '^-S OLDSQL .*ProductVersion', stdout: 'version=10.50.6000.34\r\n'},
      {when: '^-S \\(local\\)\\\\NoSpamProxy .*ProductVersion', stderr: 'Sqlcmd: Error: Microsoft ODBC Driver 17 for SQL Server : SQL Server Network Interfaces: Error Locating Server/Instance Specified [xFFFFFFFF].', exitCode: 1},
      {when: 'ProductVersion', stdout: 'version=15.0.2000.5\r\n'},
      {when: 'FAILME', stderr: "Msg 15401, Level 16: Windows NT user or group 'X' not found.", exitCode: 1},
      {stdout: ''},
    ],
    certutil: [{stdout: 'Root "Trusted Root Certification Authorities"\r\nCertificate added to store.\r\nCertUtil: -addstore command completed successfully.\r\n'}],
    reg: [],
  });
  restorePath = stub.activate();
  dirs = await freshRoot();
});
afterEach(async () => {
  restorePath();
  await stub.cleanup();
});

const globals = () => ['--root', dirs.root, '--state-dir', dirs.stateDir];

describe('azure-rdns builds and runs the az command', () => {
  it('prints the normalised command without running anything', async () => {
    const result = await runCli([...globals(), 'recipe', 'azure-rdns', '--resource-group', 'rg-mail', '--name', 'mail-ip', '--reverse-fqdn', 'Mail.Example.COM']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('az network public-ip update --resource-group rg-mail --name mail-ip --reverse-fqdn mail.example.com.');
    expect(await stub.calls()).toEqual([]);
  });

  it('checks the IP, then updates with every value as one argument', async () => {
    const result = await runCli([...globals(), 'recipe', 'azure-rdns', '--resource-group', 'rg(mail).prod', '--name', 'mail_ip-1', '--reverse-fqdn', 'mail.example.com', '--run', '--dns-server', dns.address]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("az network public-ip update --resource-group 'rg(mail).prod' --name mail_ip-1");
    expect(result.stdout).toContain(`Checked: DNS (server ${dns.address}): mail.example.com -> A 203.0.113.25`);
    expect(result.stdout).toContain('Azure will accept it: mail.example.com resolves to this IP (203.0.113.25)');
    expect(result.stdout).toContain('Updated: reverse FQDN is now mail.example.com.');
    const calls = await stub.calls('az');
    expect(calls.map(call => call.argv)).toEqual([
      ['network', 'public-ip', 'show', '--resource-group', 'rg(mail).prod', '--name', 'mail_ip-1', '--output', 'json'],
      ['network', 'public-ip', 'update', '--resource-group', 'rg(mail).prod', '--name', 'mail_ip-1', '--reverse-fqdn', 'mail.example.com.', '--output', 'json'],
    ]);
  });

  it('accepts a CNAME to the Azure name, and refuses to update when the name points elsewhere (unless --force)', async () => {
    const alias = await runCli([...globals(), 'recipe', 'azure-rdns', '--resource-group', 'rg', '--name', 'ip', '--reverse-fqdn', 'alias.example.com', '--run', '--dns-server', dns.address]);
    expect(alias.code).toBe(0);
    const wrong = await runCli([...globals(), 'recipe', 'azure-rdns', '--resource-group', 'rg', '--name', 'ip', '--reverse-fqdn', 'wrong.example.com', '--run', '--dns-server', dns.address]);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain('Checked: Public IPs in this subscription (az network public-ip list): 2');
    expect(wrong.stdout).toContain('Azure will refuse it: wrong.example.com does not resolve to 203.0.113.25 (it resolves to 198.51.100.7), nor to any of the 2 public IPs of this subscription');
    expect((await stub.calls('az')).filter(call => call.argv[2] === 'update')).toHaveLength(1);
    const forced = await runCli([...globals(), 'recipe', 'azure-rdns', '--resource-group', 'rg', '--name', 'ip', '--reverse-fqdn', 'wrong.example.com', '--run', '--force', '--dns-server', dns.address]);
    expect(forced.code).toBe(1); // az "succeeds" but reports another reverse FQDN
    expect((await stub.calls('az')).filter(call => call.argv[2] === 'update')).toHaveLength(2);
  });

  it('accepts without a warning a name that resolves to another public IP of the same subscription (A or CNAME)', async () => {
    for (const [name, shown] of [
      ['sibling.example.com', 'sibling.example.com resolves to the public IP other-ip (198.51.100.8) of the same subscription'],
      ['sibling-alias.example.com', 'sibling-alias.example.com resolves to the public IP other-ip (198.51.100.8) of the same subscription'],
    ] as const) {
      const result = await runCli([...globals(), 'recipe', 'azure-rdns', '--resource-group', 'rg', '--name', 'ip', '--reverse-fqdn', name, '--run', '--dns-server', dns.address, '--json']);
      const report = JSON.parse(result.stdout);
      expect(report.precheck.verdict).toEqual({decision: 'accepts', reason: expect.stringContaining(shown)});
      expect(report.precheck.warnings).toEqual([]);
      expect(report.updated).toBe(true);
    }
    expect((await stub.calls('az')).map(call => call.argv[2])).toEqual(['show', 'list', 'update', 'show', 'list', 'update']);
  });

  it('a name with no DNS record: Azure will refuse, said without asking the subscription', async () => {
    const result = await runCli([...globals(), 'recipe', 'azure-rdns', '--resource-group', 'rg', '--name', 'ip', '--reverse-fqdn', 'nothing.example.com', '--run', '--dns-server', dns.address]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Azure will refuse it: nothing.example.com has no A or CNAME record');
    expect((await stub.calls('az')).map(call => call.argv[2])).toEqual(['show']);
  });

  it.each([
    ['--resource-group', 'rg; rm -rf /'],
    ['--resource-group', "rg' --debug"],
    ['--name', 'ip"$(id)"'],
    ['--name', 'ip\n--subscription x'],
    ['--reverse-fqdn', 'mail.example.com;reboot'],
    ['--reverse-fqdn', 'mail.example.com\nx'],
    ['--dns-name', 'Mail]'],
  ])('refuses hostile %s %j before running az', async (option, value) => {
    const values: Record<string, string> = {'--resource-group': 'rg', '--name': 'ip', '--reverse-fqdn': 'mail.example.com'};
    values[option] = value;
    const result = await runCli([...globals(), 'recipe', 'azure-rdns', ...Object.entries(values).flat(), '--run']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/nsp-console: /);
    expect(await stub.calls()).toEqual([]);
  });

  it('on Windows runs the Python behind az.cmd instead of the batch file', async () => {
    const base = join(dirs.stateDir, 'azcli');
    await mkdir(join(base, 'wbin'), {recursive: true});
    await writeFile(join(base, 'wbin', 'az.cmd'), '@echo off\r\n');
    await writeFile(join(base, 'python.exe'), '');
    expect(resolveAzProgram({PATH: join(base, 'wbin')}, 'win32')).toEqual({file: join(base, 'python.exe'), prefixArgs: ['-IBm', 'azure.cli']});
    expect(resolveAzProgram({PATH: join(base, 'wbin')}, 'linux')).toEqual({file: 'az', prefixArgs: []});
  });
});

describe('db-rights builds T-SQL and runs sqlcmd', () => {
  it('runs sqlcmd with Windows authentication, no variable substitution, the instance as one argument, and verifies', async () => {
    const result = await runCli([...globals(), 'recipe', 'db-rights', '--login', "EXAMPLE\\O'Brien $(x)", '--role', 'gateway', '--instance', 'SQL01\\NSP,1433', '--run']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('sysadmin server role: yes');
    expect(result.stdout).toContain('tables in NoSpamProxyDB: 42');
    expect(result.stdout).toContain('Using SQL01\\NSP,1433 (given with --instance).');
    expect(result.stdout).toContain('SQL Server version 15.0.2000.5: ALTER SERVER ROLE / ALTER ROLE (2012 or later).');
    const [probe, grant, verify] = await stub.calls('sqlcmd');
    expect(probe!.argv).toEqual(['-S', 'SQL01\\NSP,1433', '-E', '-b', '-x', '-l', '5', '-h', '-1', '-W', '-Q', "SET NOCOUNT ON; SELECT N'version=' + CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128));"]);
    expect(grant!.argv.slice(0, 5)).toEqual(['-S', 'SQL01\\NSP,1433', '-E', '-b', '-x']);
    expect(grant!.argv.at(-2)).toBe('-i');
    expect(grant!.inputFile).toContain("CREATE LOGIN [EXAMPLE\\O'Brien $(x)] FROM WINDOWS");
    expect(grant!.inputFile).toContain("IF SUSER_ID(N'EXAMPLE\\O''Brien $(x)') IS NULL");
    expect(grant!.inputFile).toContain("ALTER SERVER ROLE [sysadmin] ADD MEMBER [EXAMPLE\\O'Brien $(x)];");
    expect(grant!.inputFile).toContain('USE [NoSpamProxyDB];');
    expect(grant!.inputFile).toContain("ALTER ROLE [db_owner] ADD MEMBER [EXAMPLE\\O'Brien $(x)];");
    expect(verify!.inputFile).toContain("IS_SRVROLEMEMBER(N'sysadmin', N'EXAMPLE\\O''Brien $(x)')");
  });

  it('takes the instance from the role configuration file when none is given', async () => {
    const result = await runCli([...globals(), 'recipe', 'db-rights', '--login', 'EXAMPLE\\NSP Admins', '--role', 'intranet', '--run']);
    expect(result.code).toBe(0);
    expect((await stub.calls('sqlcmd'))[1]!.argv.slice(0, 2)).toEqual(['-S', '(local)\\NOSPAMPROXY']);
    expect((await stub.calls('sqlcmd'))[1]!.inputFile).toContain('USE [NoSpamProxyAddressSynchronization];');
    expect(result.stdout).toContain("Using (local)\\NOSPAMPROXY (from the role's configuration file).");
  });

  it('without an instance anywhere tries (local)\\NoSpamProxy first, then (local), and says which it used', async () => {
    const result = await runCli([...globals(), 'recipe', 'db-rights', '--login', 'EXAMPLE\\admin', '--role', 'webportal', '--run']);
    expect(result.code).toBe(0);
    expect((await stub.calls('sqlcmd')).map(call => `${call.argv[1]}${call.argv.includes('-Q') ? ' probe' : ''}`)).toEqual(['(local)\\NoSpamProxy probe', '(local) probe', '(local)', '(local)']);
    expect(result.stdout).toMatch(/\(local\)\\NoSpamProxy did not answer \(Sqlcmd: Error: .*Error Locating Server\/Instance Specified/);
    expect(result.stdout).toContain("Using (local) (NoSpamProxy's default instance; none in the role's configuration).");
    const printed = await runCli([...globals(), 'recipe', 'db-rights', '--login', 'EXAMPLE\\admin', '--role', 'webportal']);
    expect(printed.stdout).toContain("instance (local)\\NoSpamProxy (NoSpamProxy's default named instance; if it does not exist: (local); or use --instance)");
  });

  it('SQL Server older than 2012 gets sp_addsrvrolemember / sp_addrolemember; a printed script lets the server decide', async () => {
    const result = await runCli([...globals(), 'recipe', 'db-rights', '--login', "EXAMPLE\\O'Brien", '--role', 'gateway', '--instance', 'OLDSQL', '--run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('SQL Server version 10.50.6000.34: sp_addsrvrolemember / sp_addrolemember (older than 2012).');
    const grant = (await stub.calls('sqlcmd'))[1]!.inputFile!;
    expect(grant).toContain("EXEC sp_addsrvrolemember @loginame = N'EXAMPLE\\O''Brien', @rolename = N'sysadmin';");
    expect(grant).toContain("EXEC sp_addrolemember @rolename = N'db_owner', @membername = N'EXAMPLE\\O''Brien';");
    expect(grant).not.toContain('ALTER SERVER ROLE');
    const printed = (await runCli([...globals(), 'recipe', 'db-rights', '--login', "EXAMPLE\\O'Brien", '--role', 'gateway', '--instance', 'OLDSQL'])).stdout;
    expect(printed).toContain("IF CAST(PARSENAME(CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128)), 4) AS int) >= 11\n    EXEC (N'ALTER SERVER ROLE [sysadmin] ADD MEMBER [EXAMPLE\\O''Brien];');\nELSE\n    EXEC sp_addsrvrolemember");
  });

  it('reports a failing sqlcmd with its message and exit code 3', async () => {
    const result = await runCli([...globals(), 'recipe', 'db-rights', '--login', 'EXAMPLE\\FAILME', '--role', 'webportal', '--instance', 'sql01', '--run']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("Windows NT user or group 'X' not found");
    expect(result.stderr).toContain('db-rights-webportal');
  });

  it.each([
    ['--login', 'EXAMPLE\\x]; DROP DATABASE NoSpamProxyDB; --'],
    ['--login', "EXAMPLE\\x'; DROP LOGIN sa; --"],
    ['--login', 'EXAMPLE\\line\nbreak'],
    ['--login', 'noDomain'],
    ['--login', 'A\\B\\C'],
    ['--login', 'example.com.very.long\\user'],
    ['--instance', 'sql01;Trusted_Connection=no'],
    ['--instance', 'sql01 -Q "DROP"'],
    ['--role', 'gateway]'],
  ])('refuses hostile %s %j before running sqlcmd', async (option, value) => {
    const values: Record<string, string> = {'--login': 'EXAMPLE\\admin', '--role': 'gateway', '--instance': 'sql01'};
    values[option] = value;
    const result = await runCli([...globals(), 'recipe', 'db-rights', ...Object.entries(values).flat(), '--run']);
    expect(result.code).toBe(2);
    expect(await stub.calls()).toEqual([]);
  });
});

describe('tcp-tunnel import-ca runs certutil', () => {
  it('passes a path with quotes, ";", "&" and "]" as one argument after confirmation', async () => {
    const file = join(dirs.stateDir, `ca "x"; & whoami ]'.cer`);
    await mkdir(dirs.stateDir, {recursive: true});
    await writeFile(file, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const refused = await runCli([...globals(), 'recipe', 'tcp-tunnel', 'import-ca', '--file', file], {answer: 'n\n'});
    expect(refused.code).toBe(1);
    expect(await stub.calls('certutil')).toEqual([]);
    const result = await runCli([...globals(), 'recipe', 'tcp-tunnel', 'import-ca', '--file', file], {answer: 'y\n'});
    expect(result.code).toBe(0);
    expect((await stub.calls('certutil')).map(call => call.argv)).toEqual([['-addstore', 'Root', file]]);
  });

  it('refuses a file that is missing, has a line break in its name, or is not a certificate', async () => {
    await mkdir(dirs.stateDir, {recursive: true});
    const text = join(dirs.stateDir, 'notes.txt');
    await writeFile(text, 'hello');
    for (const file of [join(dirs.stateDir, 'missing.cer'), `${dirs.stateDir}/ca\n.cer`, text]) {
      const result = await runCli([...globals(), 'recipe', 'tcp-tunnel', 'import-ca', '--file', file, '--yes']);
      expect(result.code).toBe(2);
    }
    expect(await stub.calls('certutil')).toEqual([]);
  });

  it('needs --yes when stdin is not a terminal', async () => {
    const file = join(dirs.stateDir, 'ca.cer');
    await mkdir(dirs.stateDir, {recursive: true});
    await writeFile(file, Buffer.from([0x30, 0x82, 0x01, 0x0a]));
    const result = await runCli([...globals(), 'recipe', 'tcp-tunnel', 'import-ca', '--file', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('add --yes');
  });
});

const lsa = 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa';
const policies = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System';
const lanman = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters';
/** This computer's name as the console sees it (the CLI's context). */
const own = hostname().split('.')[0]!.toLowerCase();

describe('webportal-check reads and sets registry values with reg', () => {
  it('queries the four values, reports what is missing as JSON, and changes nothing', async () => {
    // This computer's own name and FQDN: no alias, so DisableStrictNameChecking is not needed.
    const result = await runCli([...globals(), 'recipe', 'webportal-check', '--json', '--host-names', `${own},${own}.example.com`]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.ok).toBe(false);
    expect(report.findings.map((finding: {status: string; message: string}) => `${finding.status} ${finding.message.split(' ')[0]}`)).toEqual(['missing BackConnectionHostNames', 'ok DisableStrictNameChecking', 'missing LocalAccountTokenFilterPolicy']);
    expect(report.findings[1].message).toMatch(/not needed, no alias name/);
    expect((await stub.calls('reg')).map(call => call.argv)).toEqual([
      ['query', `${lsa}\\MSV1_0`, '/v', 'BackConnectionHostNames', '/reg:64'],
      ['query', lanman, '/v', 'DisableStrictNameChecking', '/reg:64'],
      ['query', lsa, '/v', 'DisableLoopbackCheck', '/reg:64'],
      ['query', policies, '/v', 'LocalAccountTokenFilterPolicy', '/reg:64'],
    ]);
    expect(await stub.registry()).toEqual({});
  });

  it('sets the recommended values after confirmation, keeping existing host names', async () => {
    await stub.setRegistry({[`${lsa}\\MSV1_0\\BackConnectionHostNames`]: {type: 'REG_MULTI_SZ', data: ['portal.example.com']}});
    const result = await runCli([...globals(), 'recipe', 'webportal-check', '--scenario', 'both', '--host-names', 'nsp-alias.example.com', '--fix'], {answer: 'y\n'});
    expect(result.stdout).toContain('Restart the computer');
    expect(result.stdout).toMatch(/\[MISSING\] KB926642: DisableStrictNameChecking is not set; it must be 1 for the alias name nsp-alias\.example\.com/);
    expect(result.stdout).toMatch(/\[ok\] KB926642: DisableStrictNameChecking = 1 \(needed for the alias name nsp-alias\.example\.com\)/);
    expect(result.code).toBe(0);
    const adds = (await stub.calls('reg')).filter(call => call.argv[0] === 'add').map(call => call.argv);
    expect(adds).toEqual([
      ['add', `${lsa}\\MSV1_0`, '/v', 'BackConnectionHostNames', '/t', 'REG_MULTI_SZ', '/d', 'portal.example.com\\0nsp-alias.example.com', '/f', '/reg:64'],
      ['add', lanman, '/v', 'DisableStrictNameChecking', '/t', 'REG_DWORD', '/d', '1', '/f', '/reg:64'],
      ['add', policies, '/v', 'LocalAccountTokenFilterPolicy', '/t', 'REG_DWORD', '/d', '1', '/f', '/reg:64'],
    ]);
    expect((await stub.registry())[`${lsa}\\MSV1_0\\BackConnectionHostNames`]).toEqual({type: 'REG_MULTI_SZ', data: ['portal.example.com', 'nsp-alias.example.com']});
  });

  it('deletes a wrongly typed BackConnectionHostNames first, and accepts method 2 only with a warning', async () => {
    await stub.setRegistry({[`${lsa}\\MSV1_0\\BackConnectionHostNames`]: {type: 'REG_DWORD', data: ['1']}});
    const fixed = await runCli([...globals(), 'recipe', 'webportal-check', '--scenario', 'same-system', '--host-names', own, '--fix', '--yes']);
    expect(fixed.code).toBe(0);
    expect((await stub.calls('reg')).filter(call => call.argv[0] !== 'query').map(call => call.argv[0])).toEqual(['delete', 'add']);
    await stub.setRegistry({[`${lsa}\\DisableLoopbackCheck`]: {type: 'REG_DWORD', data: ['1']}});
    const method2 = await runCli([...globals(), 'recipe', 'webportal-check', '--scenario', 'same-system', '--json']);
    expect(method2.code).toBe(0);
    expect(JSON.parse(method2.stdout).findings[0]).toMatchObject({status: 'warning', message: expect.stringContaining('test systems')});
  });

  it('does not change anything when the admin says no, and refuses hostile host names', async () => {
    const no = await runCli([...globals(), 'recipe', 'webportal-check', '--scenario', 'outside-domain', '--fix'], {answer: 'no\n'});
    expect(no.code).toBe(1);
    expect((await stub.calls('reg')).filter(call => call.argv[0] !== 'query')).toEqual([]);
    for (const hostile of ['a;b', 'x\\0y', 'host\nname', '"quoted"']) {
      const result = await runCli([...globals(), 'recipe', 'webportal-check', '--scenario', 'same-system', '--host-names', hostile, '--fix', '--yes']);
      expect(result.code).toBe(2);
    }
    expect((await stub.calls('reg')).filter(call => call.argv[0] !== 'query')).toEqual([]);
  });

  it('asks the scenario question on a terminal', async () => {
    const result = await runCli([...globals(), 'recipe', 'webportal-check'], {answer: '2\n'});
    expect(result.stdout).toContain('Which scenario applies?');
    expect(result.stdout).toContain('KB951016: LocalAccountTokenFilterPolicy is not set');
    expect(result.stdout).not.toContain('KB926642: BackConnectionHostNames');
    expect(result.code).toBe(1);
  });
});

describe('missing programs', () => {
  it('says clearly that reg, az and sqlcmd are not there', async () => {
    restorePath();
    const previous = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const reg = await runCli([...globals(), 'recipe', 'webportal-check', '--json']);
      expect(reg.code).toBe(3);
      expect(reg.stderr).toContain('The program "reg" was not found');
      expect(reg.stderr).toContain('run them on the Windows server');
      const az = await runCli([...globals(), 'recipe', 'azure-rdns', '--resource-group', 'rg', '--name', 'ip', '--reverse-fqdn', 'mail.example.com', '--run']);
      expect(az.code).toBe(3);
      expect(az.stdout).toContain('az network public-ip update');
      expect(az.stderr).toContain('Azure Cloud Shell');
      const sql = await runCli([...globals(), 'recipe', 'db-rights', '--login', 'EXAMPLE\\admin', '--role', 'gateway', '--run']);
      expect(sql.code).toBe(3);
      expect(sql.stderr).toContain('"sqlcmd" was not found');
    } finally {
      process.env.PATH = previous;
      restorePath = stub.activate();
    }
  });
});

it('keeps the sqlcmd scripts it ran in the state dir', async () => {
  await runCli([...globals(), 'recipe', 'db-rights', '--login', 'EXAMPLE\\admin', '--role', 'gateway', '--instance', 'sql01', '--run']);
  const [, grant] = await stub.calls('sqlcmd');
  const scriptPath = grant!.argv.at(-1)!;
  expect(scriptPath.startsWith(join(dirs.stateDir, 'recipes'))).toBe(true);
  expect((await readFile(scriptPath, 'utf8')).startsWith('\uFEFF-- nsp-console recipe db-rights')).toBe(true);
});

describe('tcp-tunnel check-spf looks up the SPF record', () => {
  it.each([
    ['example.com', 0, 'contains a:proxy.nospamproxy.de'],
    ['other.example', 1, 'lacks a:proxy.nospamproxy.de (unless it is in spf.protection.outlook.com, not checked)'],
    ['two.example', 1, 'has 2 SPF records'],
    ['mail.example.com', 1, 'has no SPF record'],
    // NXDOMAIN: a mistyped domain must not be reported as "no SPF record".
    ['none.example', 1, 'none.example does not exist in DNS (NXDOMAIN)'],
  ])('%s -> exit %i', async (domain, code, text) => {
    const result = await runCli([...globals(), 'recipe', 'tcp-tunnel', 'check-spf', '--domain', domain, '--dns-server', dns.address]);
    expect(result.stdout).toContain(text);
    expect(result.code).toBe(code);
  });

  it('refuses a hostile domain and a bad DNS server', async () => {
    expect((await runCli([...globals(), 'recipe', 'tcp-tunnel', 'check-spf', '--domain', 'example.com;x', '--dns-server', dns.address])).code).toBe(2);
    expect((await runCli([...globals(), 'recipe', 'tcp-tunnel', 'check-spf', '--domain', 'example.com', '--dns-server', 'dns.example'])).code).toBe(2);
  });
});
