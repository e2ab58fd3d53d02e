import {UsageError} from '../errors.js';
import {parseCommandArgs} from '../commands/parse.js';
import type {Subcommand} from '../commands/types.js';
import {change} from './cli/change.js';
import {restore} from './cli/restore.js';
import type {Values} from './cli/shared.js';
import {show} from './cli/show.js';
import {test} from './cli/test.js';

const help = `Usage: nsp-console proxy <show|set|disable|test|restore> [options]

Web proxy settings of the CYREN services in <root>/CYREN/ctasd.conf, ctipd.conf (12+) and
ctwsd.conf (13+). Lines are edited in place; everything else stays byte-identical. Every write
makes a backup next to the file (<name>.<yyyymmdd-hhmmss>.nspbak) and is atomic. One console
writes under a data root at a time: while another one does, set/disable/restore say
"waiting for <pid> (<user>, since hh:mm)" and give up after 60 s (NSP_CONSOLE_LOCK_WAIT).

  proxy show [--json]
      The proxy settings of each file, files that disagree, and missing files. Never shows the
      password (JSON: "passwordSet": true/false).

  proxy set --server <host> --port <n> [--auth noauth|basic] [--user <name>] [--password-stdin]
            [--no-restart] [--yes] [--check] [--target <host:port>] [--service-timeout <duration>]
      Enables the proxy: ProxyServerAddress, ProxyPort, ProxyAuth, ProxyAccess = 1 (and with
      --auth basic: ProxyUserName, ProxyPassword). The password is read from standard input with
      --password-stdin, typed masked when standard input is a terminal, or kept from the files
      when they already have one. Shows the changed lines (password masked) and asks before
      writing; without a terminal, --yes is required. Then restarts the matching services
      ("NoSpamProxy - CYREN Service", "... IP Reputation Service", "... URL Categorization
      Service") unless --no-restart, and offers to roll back if one does not come back.
      --check tests the proxy afterwards.

  proxy disable [--no-restart] [--yes] [--service-timeout <duration>]
      Comments the proxy lines out again (values kept), as shipped.

  proxy test [--server <host> --port <n> [--auth basic --user <name> --password-stdin]]
             [--target <host:port>] [--timeout <duration>] [--json]
      Opens an HTTP CONNECT through the proxy (from the options, or from the files) to the
      target (default: settings cyren.checkTarget, else ctasd.conf's *.ctmail.com
      Server_address on 443, else ctmail.com:443). Reports connected, 407 (credentials
      refused), refused, time-out, DNS failure or the proxy's error. Exit 1 unless connected.

  proxy restore [--list] [--latest | --stamp <yyyymmdd-hhmmss>] [--no-restart] [--yes] [--json]
      Lists the backups (one set per save); --latest or --stamp puts a set back (after
      backing up the current files) and restarts the services.

Options:
  --server <host>             proxy IP address or FQDN
  --port <n>                  1-65535
  --auth noauth|basic         default noauth
  --user <name>               with --auth basic
  --password-stdin            read the password from standard input (never from the command line)
  --no-restart                only edit the files
  --yes                       do not ask (required when there is no terminal)
  --check                     after set: test the proxy
  --target <host:port>        proxy test target
  --timeout <duration>        proxy test time-out (default 10s)
  --service-timeout <dur>     wait this long for each service to stop/start (default 60s)
  --json                      machine-readable output (show, test, restore --list)

Exit codes: 0 done, 1 check failed / nothing found, 2 bad input or not confirmed,
3 file or service failure, or another console still writing (nothing written).`;


const optionSpec = {
  server: {type: 'string'},
  port: {type: 'string'},
  auth: {type: 'string'},
  user: {type: 'string'},
  'password-stdin': {type: 'boolean'},
  'no-restart': {type: 'boolean'},
  yes: {type: 'boolean'},
  check: {type: 'boolean'},
  target: {type: 'string'},
  timeout: {type: 'string'},
  'service-timeout': {type: 'string'},
  json: {type: 'boolean'},
  list: {type: 'boolean'},
  latest: {type: 'boolean'},
  stamp: {type: 'string'},
} as const;

const allowed: Record<string, readonly string[]> = {
  show: ['json'],
  set: ['server', 'port', 'auth', 'user', 'password-stdin', 'no-restart', 'yes', 'check', 'target', 'timeout', 'service-timeout'],
  disable: ['no-restart', 'yes', 'service-timeout'],
  test: ['server', 'port', 'auth', 'user', 'password-stdin', 'target', 'timeout', 'json'],
  restore: ['list', 'latest', 'stamp', 'no-restart', 'yes', 'json', 'service-timeout'],
};

export const proxyCommand: Subcommand = {
  name: 'proxy',
  help,
  async run(args, context, io) {
    const [action, ...rest] = args;
    if (!action || !(action in allowed)) throw new UsageError(`proxy needs one of: ${Object.keys(allowed).join(', ')}. Run "nsp-console proxy --help".`);
    const {values, positionals} = parseCommandArgs(rest, optionSpec, true);
    if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}". Run "nsp-console proxy --help".`);
    for (const key of Object.keys(values)) {
      if (!allowed[action]!.includes(key)) throw new UsageError(`--${key} does not apply to "proxy ${action}".`);
    }
    const v = values as Values;
    if (action === 'show') return show(context, io, v);
    if (action === 'set') return change(context, io, v, 'set');
    if (action === 'disable') return change(context, io, v, 'disable');
    if (action === 'test') return test(context, io, v);
    return restore(context, io, v);
  },
};
