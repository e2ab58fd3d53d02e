import {isDirectory} from '../context.js';
import {describeEnvironment} from '../environment.js';
import {ExitCode} from '../errors.js';
import {parseCommandArgs, writeJson} from './parse.js';
import type {Subcommand} from './types.js';

export const infoCommand: Subcommand = {
  name: 'info',
  help: `Usage: nsp-console info [--json]

Shows the data root (and whether it is the demo sandbox), the state dir, the host name,
the detected NoSpamProxy version and which configuration files exist.
Exit code 1 when the data root does not exist.

Options:
  --json   print a JSON object instead of text`,
  async run(args, context, io) {
    const {values} = parseCommandArgs(args, {json: {type: 'boolean'}}, false);
    const report = await describeEnvironment(context);
    // A --root / NSP_ROOT that does not exist is a failed check, not an empty installation.
    const rootMissing = !isDirectory(report.root);
    if (values.json) {
      writeJson(io.stdout, {...report, rootExists: !rootMissing});
      return rootMissing ? ExitCode.nothingFound : ExitCode.ok;
    }
    if (rootMissing) io.stderr.write(`nsp-console info: the data root ${report.root} does not exist or is not a folder (check --root / NSP_ROOT).\n`);
    io.stdout.write(`Data root:   ${report.root}${report.isDemo ? '  (DEMO sandbox)' : ''}\n`);
    io.stdout.write(`State dir:   ${report.stateDir}\n`);
    io.stdout.write(`Host:        ${report.hostName}\n`);
    io.stdout.write(`NoSpamProxy: ${report.nspVersion}\n`);
    for (const file of report.files) io.stdout.write(`  ${file.exists ? 'found  ' : 'missing'}  ${file.path}\n`);
    return rootMissing ? ExitCode.nothingFound : ExitCode.ok;
  },
};
