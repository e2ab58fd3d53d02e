import type {CommandIo, Subcommand} from '../commands/types.js';
import type {ConsoleContext} from '../context.js';
import {OperationalError, UsageError} from '../errors.js';
import {MissingProgramError} from '../system/exec.js';
import {azureHelp, runAzureCommand} from './azure-rdns/azure-cli.js';
import {dbRightsHelp, runDbRightsCommand} from './db-rights/db-rights-cli.js';
import {runTunnelCommand, tunnelHelp} from './tcp-tunnel/tunnel-cli.js';
import {runWebportalCommand, webportalHelp} from './webportal/webportal-cli.js';

const overview = `Usage: nsp-console recipe <recipe> [options]      (each recipe's options are below)

Knowledge-base recipes: the mechanical parts done for you, and the result checked.
  tcp-tunnel status|enable|disable [--no-restart] [--yes]     TCP proxy tunnel (port 25 blocked)
  tcp-tunnel import-ca --file <certificate> [--yes]           root CA for the tunnel (certutil)
  tcp-tunnel check-spf --domain <domain> [--dns-server <ip>]  SPF contains a:proxy.nospamproxy.de?
  azure-rdns --resource-group <rg> --name <ip> --reverse-fqdn <mx> [--dns-name <label>] [--run]
  db-rights --login <DOMAIN\\name> --role gateway|intranet|webportal [--instance <name>] [--run]
  webportal-check [--scenario same-system|outside-domain|both] [--host-names <list>]
                  [--fix [--yes]] [--json]

Exit codes: 0 done, 1 check failed / not confirmed, 2 bad usage or input, 3 operational failure
(file, service, missing program such as az, sqlcmd, reg or certutil).`;

type Handler = (args: string[], context: ConsoleContext, io: CommandIo) => Promise<number>;

interface RecipeEntry {
  run: Handler;
  help: string;
  /** Said when the program the recipe needs is not installed (e.g. in the demo sandbox on Linux). */
  missingHint: string;
}

const recipes: Record<string, RecipeEntry> = {
  'tcp-tunnel': {
    run: runTunnelCommand,
    help: tunnelHelp,
    missingHint: 'certutil is part of Windows: import the certificate on the gateway role server (certlm.msc works too).',
  },
  'azure-rdns': {
    run: runAzureCommand,
    help: azureHelp,
    missingHint: 'Install the Azure CLI, or copy the command above into Azure Cloud Shell (shell.azure.com).',
  },
  'db-rights': {
    run: runDbRightsCommand,
    help: dbRightsHelp,
    missingHint: 'Install the SQL Server command line utilities, or run the script (without --run) in SQL Management Studio.',
  },
  'webportal-check': {
    run: runWebportalCommand,
    help: webportalHelp,
    missingHint: 'The WebPortal checks read the Windows registry: run them on the Windows server that hosts the WebPortal.',
  },
};

/** The shell answers any "--help" with this text, so it holds every recipe's help. */
export const recipeCommand: Subcommand = {
  name: 'recipe',
  help: [overview, ...Object.values(recipes).map(recipe => recipe.help)].join(`\n\n${'-'.repeat(78)}\n`),
  async run(args, context, io) {
    const [name, ...rest] = args;
    if (name === undefined) throw new UsageError(`Which recipe? tcp-tunnel, azure-rdns, db-rights or webportal-check. Run "nsp-console recipe --help".`);
    const entry = recipes[name];
    if (!entry) throw new UsageError(`Unknown recipe "${name}". Recipes: ${Object.keys(recipes).join(', ')}.`);
    const recipe = entry;
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(`${recipe.help}\n`);
      return 0;
    }
    try {
      return await recipe.run(rest, context, io);
    } catch (error) {
      if (error instanceof MissingProgramError) {
        throw new OperationalError(`${error.message}${context.isDemo ? ' (This is the demo sandbox, not a Windows server with NoSpamProxy.)' : ''}\n${entry.missingHint}`);
      }
      throw error;
    }
  },
};
