import {parseCommandArgs, writeJson} from '../../commands/parse.js';
import type {CommandIo} from '../../commands/types.js';
import type {ConsoleContext} from '../../context.js';
import {ExitCode, OperationalError, UsageError} from '../../errors.js';
import {writeLines} from '../cli-io.js';
import {azureRuleExplanation, buildAzureRdnsPlan} from './azure-command.js';
import {firstLines} from '../output.js';
import {precheckAzure, precheckLines, runAzureUpdate} from './run-azure.js';
import {validateDnsServer} from '../validate.js';

export const azureHelp = `Usage:
  nsp-console recipe azure-rdns --resource-group <rg> --name <public-ip> --reverse-fqdn <mx-name>
                                [--dns-name <label>] [--run] [--force] [--dns-server <ip>] [--json]

Builds the Azure CLI command that sets the reverse DNS (PTR) record of a public IP (the knowledge
base's own command is garbled):
  az network public-ip update --resource-group <rg> --name <ip> --reverse-fqdn <fqdn.> [--dns-name <label>]

Options:
  --resource-group <rg>   resource group of the public IP address resource
  --name <public-ip>      name of the public IP address resource
  --reverse-fqdn <name>   the MX host name, e.g. mail.example.com (normalised: lower case,
                          IDN to punycode, a final dot added)
  --dns-name <label>      DNS name label, only when the IP has none yet (3-63 of a-z 0-9 -)
  --run                   run it with "az" (must be on PATH and logged in): first
                          "az network public-ip show" checks the IP (IPv4, label), DNS says where
                          the name points, and (only when it points elsewhere) "az network
                          public-ip list" whether that is another public IP of the subscription;
                          it says what was checked and what Azure will decide; then the update.
                          Values are passed as arguments, never through a shell
  --force                 with --run: update even when Azure will refuse it
  --dns-server <ip[:port]> with --run: check the name against this DNS server (e.g. 1.1.1.1,
                          the public view) instead of the system resolver
  --json                  print the plan (and results) as JSON

Azure's rule: the reverse FQDN must be this IP's Azure name, or resolve to this IP (A record,
or CNAME to its Azure DNS name), or be / resolve to another public IP of the same subscription -
create that record first. IPv4 only.

Exit codes: 0 printed / updated, 1 pre-check or update failed, 2 bad input, 3 az missing or failing.`;

export async function runAzureCommand(args: string[], context: ConsoleContext, io: CommandIo): Promise<number> {
  const {values, positionals} = parseCommandArgs(
    args,
    {
      'resource-group': {type: 'string'},
      name: {type: 'string'},
      'reverse-fqdn': {type: 'string'},
      'dns-name': {type: 'string'},
      run: {type: 'boolean'},
      force: {type: 'boolean'},
      'dns-server': {type: 'string'},
      json: {type: 'boolean'},
    },
    true,
  );
  if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}". Run "nsp-console recipe azure-rdns --help".`);
  const missing = (['resource-group', 'name', 'reverse-fqdn'] as const).filter(option => values[option] === undefined);
  if (missing.length > 0) throw new UsageError(`Missing ${missing.map(option => `--${option}`).join(', ')}. Run "nsp-console recipe azure-rdns --help".`);
  let plan;
  try {
    plan = buildAzureRdnsPlan({resourceGroup: values['resource-group']!, publicIpName: values.name!, reverseFqdn: values['reverse-fqdn']!, dnsName: values['dns-name']});
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values['dns-server'] !== undefined) {
    const problem = validateDnsServer(values['dns-server']);
    if (problem) throw new UsageError(`--dns-server: ${problem}.`);
  }
  const json = values.json === true;
  if (!json) writeLines(io.stdout, ['Command (copy into Azure Cloud Shell or a shell with az):', `  ${plan.display}`, '', ...azureRuleExplanation]);
  if (!values.run) {
    if (json) writeJson(io.stdout, {command: ['az', ...plan.args], display: plan.display});
    return ExitCode.ok;
  }
  const precheck = await precheckAzure(plan, context, {dnsServer: values['dns-server']});
  if (!json) writeLines(io.stdout, ['', 'Pre-check (az network public-ip show):', ...precheckLines(precheck).map(line => `  ${line}`)]);
  if (precheck.blockers.length > 0 || (precheck.warnings.length > 0 && !values.force)) {
    if (json) writeJson(io.stdout, {command: ['az', ...plan.args], display: plan.display, precheck, updated: false});
    else if (precheck.blockers.length === 0) io.stdout.write('Not updated: fix the DNS record first, or add --force to try anyway.\n');
    return ExitCode.nothingFound;
  }
  const outcome = await runAzureUpdate(plan, context);
  if (outcome.result.exitCode !== 0) {
    if (json) writeJson(io.stdout, {command: ['az', ...plan.args], precheck, updated: false, exitCode: outcome.result.exitCode, error: firstLines(outcome.result.stderr)});
    throw new OperationalError(`az network public-ip update failed (exit ${outcome.result.exitCode ?? 'none'}${outcome.result.timedOut ? ', timed out' : ''}):\n${firstLines(outcome.result.stderr || outcome.result.stdout, 10)}`);
  }
  if (json) writeJson(io.stdout, {command: ['az', ...plan.args], precheck, updated: true, reverseFqdn: outcome.reverseFqdnAfter ?? null});
  else writeLines(io.stdout, ['', outcome.ok ? `Updated: reverse FQDN is now ${outcome.reverseFqdnAfter ?? plan.reverseFqdn}.` : `az succeeded, but reports reverse FQDN ${outcome.reverseFqdnAfter}.`]);
  return outcome.ok ? ExitCode.ok : ExitCode.nothingFound;
}
