// pretest: makes sure the real peers the tests talk to exist. Installs missing Debian packages
// with apt-get when it can (root), otherwise stops with one line naming what to install.
// Adding a peer is one line in this table.
import {execFileSync, spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';

const peers = [
  // [program that must exist, Debian package that provides it, folders off PATH where it lives]
  ['tmux', 'tmux'],
  ['zip', 'zip'],
  ['unzip', 'unzip'],
  ['openssl', 'openssl'],
  ['slapd', 'slapd'],
  ['ldapsearch', 'ldap-utils'],
  ['tinyproxy', 'tinyproxy'],
  // The Windows lane runs nsp-console.exe under Wine; Debian's launcher is not on PATH. No i386
  // architecture is needed: the exe and every program the tests start are 64-bit.
  ['wine64', 'wine64', ['/usr/lib/wine']],
];

// slapd lives in /usr/sbin, which a non-root PATH often lacks. NSP_TEST_PEERS_PATH replaces the
// search path (the test of this script uses it to pretend nothing is installed).
const searchPath = process.env.NSP_TEST_PEERS_PATH !== undefined ? process.env.NSP_TEST_PEERS_PATH.split(':') : [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin', '/usr/bin'];
const has = (program, extraFolders = []) => [...searchPath, ...(process.env.NSP_TEST_PEERS_PATH !== undefined ? [] : extraFolders)].some(folder => folder && existsSync(`${folder}/${program}`));
const missing = [...new Set(peers.filter(([program, , extra]) => !has(program, extra)).map(([, pkg]) => pkg))];
if (missing.length === 0) process.exit(0);

const canApt = process.platform === 'linux' && process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0;
if (!canApt) {
  console.error(`npm test needs these test peers; install them first: sudo apt-get install ${missing.join(' ')}`);
  process.exit(1);
}
console.error(`pretest: installing missing test peers: ${missing.join(' ')}`);
const env = {...process.env, DEBIAN_FRONTEND: 'noninteractive'};
try {
  // No system slapd instance: the tests start their own on 127.0.0.1.
  if (missing.includes('slapd')) execFileSync('sh', ['-c', "echo 'slapd slapd/no_configuration boolean true' | debconf-set-selections"], {stdio: 'inherit', env});
  execFileSync('apt-get', ['update', '-qq'], {stdio: 'inherit', env});
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {stdio: 'inherit', env});
} catch {
  console.error(`npm test needs these test peers and apt-get could not install them: ${missing.join(' ')}`);
  process.exit(1);
}
// Debian starts tinyproxy as a service on install; the tests run their own instances.
if (missing.includes('tinyproxy')) spawnSync('sh', ['-c', 'service tinyproxy stop || systemctl stop tinyproxy || pkill -x tinyproxy'], {stdio: 'ignore'});
const still = [...new Set(peers.filter(([program, , extra]) => !has(program, extra)).map(([, pkg]) => pkg))];
if (still.length > 0) {
  console.error(`npm test needs these test peers; install them first: apt-get install ${still.join(' ')}`);
  process.exit(1);
}
