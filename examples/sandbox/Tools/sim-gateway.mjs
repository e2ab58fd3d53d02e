#!/usr/bin/env node
// A simulated NoSpamProxy gateway role for the demo sandbox and the tests: "on" starts a background
// process that appends SMTP-like log lines to <location>, "off" stops it. Both are idempotent.
//   node sim-gateway.mjs on  --role <name> --location <dir> --protocols <list> --pid-file <file> [--interval <ms>] [--file <log name>]
//   node sim-gateway.mjs off --pid-file <file>
//   node sim-gateway.mjs run ...   (the background writer itself)
import {spawn} from 'node:child_process';
import {appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';

const [mode, ...rest] = process.argv.slice(2);
const {values} = parseArgs({
  args: rest,
  options: {role: {type: 'string'}, location: {type: 'string'}, protocols: {type: 'string'}, 'pid-file': {type: 'string'}, interval: {type: 'string'}, file: {type: 'string'}},
  strict: true,
});

const alive = pid => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
};
const readPid = file => (existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) || 0 : 0);
const fail = message => {
  process.stderr.write(`sim-gateway: ${message}\n`);
  process.exit(1);
};

if (mode === 'on') {
  const pidFile = values['pid-file'] ?? fail('--pid-file is required');
  const location = values.location ?? fail('--location is required');
  const running = readPid(pidFile);
  if (running && alive(running)) {
    console.log(`logging already on (pid ${running})`);
    process.exit(0);
  }
  mkdirSync(location, {recursive: true});
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'run', ...rest], {detached: true, stdio: 'ignore'});
  child.unref();
  writeFileSync(pidFile, `${child.pid}\n`);
  console.log(`logging on for ${values.role ?? 'gateway'} in ${location} (protocols ${values.protocols ?? 'all'}, pid ${child.pid})`);
} else if (mode === 'off') {
  const pidFile = values['pid-file'] ?? fail('--pid-file is required');
  const pid = readPid(pidFile);
  if (pid && alive(pid)) {
    process.kill(pid, 'SIGTERM');
    const until = Date.now() + 5000;
    while (alive(pid) && Date.now() < until) await new Promise(resolve => setTimeout(resolve, 50));
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
  rmSync(pidFile, {force: true});
  console.log(pid ? `logging off (stopped pid ${pid})` : 'logging was already off');
} else if (mode === 'run') {
  const location = values.location;
  const role = (values.role ?? 'gateway').replace(/[^A-Za-z0-9_-]+/g, '_');
  const protocols = (values.protocols ?? 'AntiSpam,Mailvalidation,DNS,ProxySystem').split(',').filter(Boolean);
  const interval = Number(values.interval ?? 250);
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  const file = join(location, values.file ?? `${role}-${day}.log`);
  let sequence = 0;
  let stopping = false;
  process.on('SIGTERM', () => (stopping = true));
  process.on('SIGHUP', () => {});
  const replies = ['220 mail.example.com ESMTP ready', 'EHLO relay.example.org', '250-mail.example.com', 'MAIL FROM:<alice@example.org>', '250 2.1.0 Sender OK', 'RCPT TO:<bob@example.com>', '250 2.1.5 Recipient OK', 'DATA', '354 Start mail input', '250 2.6.0 Queued', 'QUIT', '221 2.0.0 Bye'];
  const timer = setInterval(() => {
    if (stopping) {
      clearInterval(timer);
      process.exit(0);
    }
    const protocol = protocols[sequence % protocols.length];
    const line = `${new Date().toISOString()} [${protocol}] session ${1000 + Math.floor(sequence / replies.length)} ${replies[sequence % replies.length]}\n`;
    appendFileSync(file, line);
    sequence++;
  }, interval);
} else {
  fail('usage: sim-gateway.mjs on|off|run --pid-file <file> [--role <name> --location <dir> --protocols <list>]');
}
