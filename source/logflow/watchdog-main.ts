// Entry point of dist/watchdog.js: the detached dead-man switch of one log-flow run.
import {parseArgs} from 'node:util';
import {runWatchdog} from './watchdog.js';

const {values} = parseArgs({options: {'state-dir': {type: 'string'}, 'run-id': {type: 'string'}, 'poll-ms': {type: 'string'}}, strict: true});
const stateDir = values['state-dir'];
const runId = values['run-id'];
if (!stateDir || !runId) {
  process.stderr.write('usage: watchdog.js --state-dir <dir> --run-id <id>\n');
  process.exit(2);
}
// The console's terminal may close: a hang-up must not end the watchdog.
process.on('SIGHUP', () => {});
const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
const pollMs = Number(values['poll-ms'] ?? process.env.NSP_CONSOLE_WATCHDOG_POLL_MS ?? 1_000);
runWatchdog(stateDir, runId, log, {pollMs: Number.isFinite(pollMs) && pollMs >= 50 && pollMs <= 60_000 ? pollMs : 1_000}).then(
  code => process.exit(code),
  error => {
    log(`failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(3);
  },
);
