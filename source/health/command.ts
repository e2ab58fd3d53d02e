import {parseCommandArgs, writeJson} from '../commands/parse.js';
import type {Subcommand} from '../commands/types.js';
import {ExitCode, UsageError} from '../errors.js';
import {formatHealth, runHealth} from './run.js';

export const healthCommand: Subcommand = {
  name: 'health',
  help: `Usage: nsp-console health [--json] [--timeout <ms>]

One look at the gateway server, each line with what to do next and where:
  services     NetatworkMailGateway* and the three CYREN services: status, start type
  version      NoSpamProxy version (registry)
  events       warnings and errors of the last 24 h in the "Net at Work Mail Gateway" event log
               (count, newest five)
  disk         free space on the data root's drive (attention below 5 GB or 10 %)
  logs         size of each troubleshooting-log location (attention above 5 GB, or unreachable)
  logging      whether troubleshooting logging is on (the journal)
  cyren        whether the CYREN proxy is set, per file
  keyservers   which key servers configured in settings answer

All probes run at once, each with a deadline (default 4000 ms).

Options:
  --json          machine-readable report for monitoring scripts
  --timeout <ms>  deadline of each probe (500-60000)

Exit codes: 0 nothing needs attention, 1 something needs attention, 2 bad usage.`,
  async run(args, context, io) {
    const {values} = parseCommandArgs(args, {json: {type: 'boolean'}, timeout: {type: 'string'}}, false);
    let probeTimeoutMs: number | undefined;
    if (values.timeout !== undefined) {
      probeTimeoutMs = Number(values.timeout);
      if (!/^\d+$/.test(values.timeout) || probeTimeoutMs < 500 || probeTimeoutMs > 60_000) throw new UsageError(`--timeout must be a number of milliseconds from 500 to 60000 (not "${values.timeout}").`);
    }
    const report = await runHealth(context, {probeTimeoutMs});
    if (values.json) writeJson(io.stdout, report);
    else io.stdout.write(`${formatHealth(report).join('\n')}\n`);
    return report.attention ? ExitCode.nothingFound : ExitCode.ok;
  },
};
