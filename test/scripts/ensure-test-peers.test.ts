import {describe, expect, it} from 'vitest';
import {spawnSync} from 'node:child_process';
import {chmodSync, copyFileSync, mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {projectRoot} from '../harness/tmux.js';

const script = join(projectRoot, 'scripts', 'ensure-test-peers.mjs');

describe('the pretest peer check', () => {
  it('passes quietly when every peer is installed', () => {
    const result = spawnSync(process.execPath, [script], {encoding: 'utf8'});
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
  });

  it('stops with one line naming what to install when it cannot install (not root)', () => {
    // As an unprivileged user (who may not read the checkout: a copy of the script in a readable
    // folder), with a search path where nothing is installed.
    const folder = mkdtempSync(join(tmpdir(), 'nsp-peers-'));
    chmodSync(folder, 0o755);
    const copy = join(folder, 'ensure-test-peers.mjs');
    copyFileSync(script, copy);
    chmodSync(copy, 0o644);
    const result = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, copy], {
      cwd: folder,
      encoding: 'utf8',
      env: {...process.env, NSP_TEST_PEERS_PATH: '/nonexistent'},
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe('npm test needs these test peers; install them first: sudo apt-get install tmux zip unzip openssl slapd ldap-utils tinyproxy wine64');
  });
});
