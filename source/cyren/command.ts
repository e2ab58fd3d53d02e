import {ExitCode} from '../errors.js';
import type {Subcommand} from '../commands/types.js';

/** Placeholder until the capability is built: says so instead of failing obscurely. */
export const proxyCommand: Subcommand = {
  name: 'proxy',
  help: 'Usage: nsp-console proxy …\n\nThis capability is not built yet.',
  async run(_args, _context, io) {
    io.stderr.write('nsp-console proxy: this capability is not built yet.\n');
    return ExitCode.operational;
  },
};
