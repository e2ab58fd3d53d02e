// One Windows program that stands in for the tools Wine lacks (powershell.exe, wevtutil.exe,
// certutil.exe, sqlcmd.exe): it is copied under each name, and its name says which one it plays.
// Windows parses its command line (the C runtime's rules), so what it records is what the console's
// quoting really produced. NSP_STANDIN_DIR (a Windows folder) holds calls\ (one file per call) and
// services.json.
const fs = require('node:fs');
const path = require('node:path');

const program = path.basename(process.execPath).replace(/\.exe$/i, '').toLowerCase();
const argv = process.argv.slice(2);
const dir = process.env.NSP_STANDIN_DIR;
if (!dir) {
  process.stderr.write(`${program} (stand-in): NSP_STANDIN_DIR is not set\r\n`);
  process.exit(9);
}
const at = argv.findIndex(arg => arg.toLowerCase() === '-encodedcommand');
const script = at >= 0 ? Buffer.from(argv[at + 1] || '', 'base64').toString('utf16le') : '';
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.toUpperCase().startsWith('NSP_') && key.toUpperCase() !== 'NSP_STANDIN_DIR'));
// One file per call, written whole and renamed into place: under Wine an append is a seek to the end
// and a write, so two stand-ins running at once could overwrite each other's line. The name sorts
// by the monotonic clock (one for all processes on the machine), then the process id.
const callsDir = path.join(dir, 'calls');
const callName = `${String(process.hrtime.bigint()).padStart(20, '0')}-${String(process.pid).padStart(10, '0')}`;
fs.writeFileSync(path.join(callsDir, `${callName}.tmp`), JSON.stringify({program, argv, script, env}));
fs.renameSync(path.join(callsDir, `${callName}.tmp`), path.join(callsDir, `${callName}.json`));

const fail = message => {
  process.stderr.write(`${message}\r\n`);
  process.exit(1);
};

function powershell() {
  const stateFile = path.join(dir, 'services.json');
  const state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
  const save = () => fs.writeFileSync(stateFile, JSON.stringify(state, null, 2));
  const rows = names => JSON.stringify(names.map(name => ({Name: name, DisplayName: state[name].DisplayName, Status: state[name].Status})));
  const escape = text => text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  const wildcard = pattern => {
    let out = '';
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i];
      if (c === '`') out += escape(pattern[++i] || '');
      else out += c === '?' ? '.' : c === '*' ? '.*' : escape(c);
    }
    return new RegExp(`^${out}$`, 'i');
  };
  const byName = name => Object.keys(state).find(key => key.toLowerCase() === String(name).toLowerCase());
  const named = () => byName(env.NSP_SERVICE_NAME) || fail(`Cannot find any service with service name '${env.NSP_SERVICE_NAME}'.`);
  if (script.includes('Stop-Service')) {
    state[named()].Status = 'Stopped';
    save();
  } else if (script.includes('Start-Service')) {
    state[named()].Status = 'Running';
    save();
  } else if (script.includes('WaitForStatus')) {
    process.stdout.write(`${rows([named()])}\r\n`);
  } else if (script.includes('-DisplayName')) {
    const pattern = wildcard(env.NSP_SERVICE_DISPLAY_PATTERN || '');
    process.stdout.write(`${rows(Object.keys(state).filter(name => pattern.test(state[name].DisplayName)))}\r\n`);
  } else if (script.length > 0) {
    const name = byName(env.NSP_SERVICE_NAME);
    process.stdout.write(`${rows(name ? [name] : [])}\r\n`);
  } else {
    // -Command (Get-WinEvent): one event in PowerShell's list format.
    process.stdout.write('TimeCreated  : 01.12.2026 10:00:00\r\nProviderName : NoSpamProxy\r\nId           : 1\r\nMessage      : stand-in event\r\n');
  }
}

function wevtutil() {
  if (argv[0] === 'qe') {
    process.stdout.write('Event[0]:\r\n  Log Name: Application\r\n  Source: NoSpamProxy Gateway Role\r\n  Level: Warning\r\n  Description: stand-in warning\r\n\r\nEvent[1]:\r\n  Log Name: Application\r\n  Source: NoSpamProxy Intranet Role\r\n  Level: Error\r\n  Description: stand-in error\r\n');
  } else if (argv[0] === 'epl') {
    fs.writeFileSync(argv[2], 'ElfFile stand-in export\r\n');
  } else {
    fail(`wevtutil (stand-in): unsupported ${argv[0]}`);
  }
}

const players = {
  powershell,
  wevtutil,
  certutil: () => process.stdout.write('Root "Trusted Root Certification Authorities"\r\nCertUtil: -addstore command completed successfully.\r\n'),
  sqlcmd: () => process.stdout.write('Changed database context.\r\n'),
};
(players[program] || (() => fail(`stand-in: no part for ${program}`)))();
