import {describe, expect, it} from 'vitest';
import {buildAzureRdnsPlan} from '../../source/recipes/azure-rdns/azure-command.js';
import {buildRightsScript, quoteIdentifier, quoteLiteral, validateInstance, validateWindowsLogin} from '../../source/recipes/db-rights/tsql.js';
import {normalizeHostName, validateDnsServer} from '../../source/recipes/validate.js';
import {parseHostNames} from '../../source/recipes/webportal/webportal-check.js';

describe('plausible Windows accounts', () => {
  it.each(['EXAMPLE\\jdoe', 'SERVER01\\Administrators', 'NT AUTHORITY\\NETWORK SERVICE', 'EXAMPLE\\gmsa-nsp$', 'EXAMPLE\\Jürgen Müller', "EXAMPLE\\O'Brien", 'EX-AMPLE_1\\NSP Admins (Tier 1)'])('accepts %j', login => {
    expect(validateWindowsLogin(login)).toBeUndefined();
  });
  it.each(['', 'jdoe', '\\jdoe', 'EXAMPLE\\', 'EXAMPLE\\a\\b', 'EXAMPLE\\x]', 'EXAMPLE\\x;y', 'EXAMPLE\\a@b', 'EXAMPLE\\ lead', 'EXAMPLE\\...', 'EXAMPLE\\a\nb', 'EXAMPLE\\a\u0000b', 'WAY-TOO-LONG-DOMAIN\\x', `EXAMPLE\\${'a'.repeat(130)}`])('refuses %j', login => {
    expect(validateWindowsLogin(login)).toBeTypeOf('string');
  });
});

describe('T-SQL quoting', () => {
  it('doubles ] in identifiers and \' in literals', () => {
    expect(quoteIdentifier('a]b')).toBe('[a]]b]');
    expect(quoteLiteral("O'Brien")).toBe("N'O''Brien'");
  });
  it('never builds a script for an implausible login', () => {
    expect(() => buildRightsScript('EXAMPLE\\x]; DROP DATABASE y', 'gateway')).toThrow(RangeError);
  });
});

describe('SQL Server instances', () => {
  it.each(['(local)', '(local)\\NOSPAMPROXY', '.', '.\\SQLEXPRESS', 'sql01', 'sql01.example.com\\NSP', 'sql01,1433', 'tcp:10.0.0.5,1433', '(localdb)\\MSSQLLocalDB'])('accepts %j', instance => {
    expect(validateInstance(instance)).toBeUndefined();
  });
  it.each(['', 'sql01;Trusted_Connection=no', 'sql01 -Q x', 'sql01\\NSP\\X', "sql'01", 'sql01\n'])('refuses %j', instance => {
    expect(validateInstance(instance)).toBeTypeOf('string');
  });
});

describe('host names and DNS servers', () => {
  it('normalises host names: lower case, no final dot, IDN to punycode', () => {
    expect(normalizeHostName('Mail.Example.COM.')).toEqual({value: 'mail.example.com'});
    expect(normalizeHostName('mail.bücher.de').value).toBe('mail.xn--bcher-kva.de');
    for (const bad of ['mail', '192.168.1.1', '-x.example.com', 'a..b', 'mail.example.com;x', 'a b.com', `${'a'.repeat(64)}.com`]) expect(normalizeHostName(bad).error).toBeTypeOf('string');
  });
  it('parses BackConnectionHostNames lists and refuses line breaks', () => {
    expect(parseHostNames('NSP01, nsp01.example.com nsp01')).toEqual(['nsp01', 'nsp01.example.com']);
    expect(() => parseHostNames('a\nb')).toThrow(/line breaks/);
  });
  it('accepts DNS servers as IP[:port] only', () => {
    for (const good of ['1.1.1.1', '127.0.0.1:5353', '[::1]:53', '::1']) expect(validateDnsServer(good)).toBeUndefined();
    for (const bad of ['dns.example', '1.1.1.1:0', '1.1.1.1:70000', '1.1.1']) expect(validateDnsServer(bad)).toBeTypeOf('string');
  });
  it('the Azure plan passes each value as one argument and adds the final dot', () => {
    const plan = buildAzureRdnsPlan({resourceGroup: 'rg(prod).eu', publicIpName: 'ip', reverseFqdn: 'Mail.Example.com', dnsName: 'mailgw'});
    expect(plan.args).toEqual(['network', 'public-ip', 'update', '--resource-group', 'rg(prod).eu', '--name', 'ip', '--reverse-fqdn', 'mail.example.com.', '--dns-name', 'mailgw']);
    expect(plan.display).toContain("--resource-group 'rg(prod).eu'");
  });
});
