import {spawn} from 'node:child_process';
import {mkdtempSync, readFileSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {build} from 'esbuild';
import {describe, expect, it} from 'vitest';
import {projectRoot} from './harness/tmux.js';

/**
 * Two consoles of one account save settings at the same moment, as real processes: each adds its
 * own key-server directories one by one and saves its own keys (roles, ascii). Nothing is lost.
 */
describe('two consoles saving settings.json at once', () => {
  it('keeps every directory both added and both consoles\' own keys', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nsp-settings-two-'));
    const stateDir = join(dir, 'state');
    const script = join(dir, 'console.mjs');
    await build({
      stdin: {
        contents: `import {saveCustomDirectory} from './source/keyservers/directory-store.ts';
import {saveRoles} from './source/logflow/roles.ts';
import {updateSettings} from './source/settings.ts';
const [stateDir, who, count] = process.argv.slice(2);
for (let i = 0; i < Number(count); i++) {
  await saveCustomDirectory(stateDir, {id: who + '-' + i, name: 'Directory ' + who + ' ' + i, url: 'ldap://127.0.0.1:389', startTls: false, bindDn: null, password: null, baseDn: null, filter: '(mail=%e)', attributes: ['userCertificate;binary']}, {storePassword: false});
}
if (who === 'a') await saveRoles(stateDir, [{name: 'Gateway', driver: 'guided', location: '/tmp'}]).catch(error => { console.error(error.message); process.exit(1); });
else await updateSettings(stateDir, settings => ({...settings, ascii: true}));
`,
        resolveDir: projectRoot,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: script,
      external: ['ink', 'react'],
    });
    const run = (who: string) =>
      new Promise<number | null>(resolve => {
        const child = spawn(process.execPath, [script, stateDir, who, '15'], {stdio: ['ignore', 'inherit', 'inherit']});
        child.once('close', resolve);
      });
    expect(await Promise.all([run('a'), run('b')])).toEqual([0, 0]);
    const settings = JSON.parse(readFileSync(join(stateDir, 'settings.json'), 'utf8')) as {keyservers: {id: string}[]; ascii?: boolean; roles?: unknown[]};
    const ids = settings.keyservers.map(entry => entry.id).sort();
    const expected = ['a', 'b'].flatMap(who => Array.from({length: 15}, (_v, i) => `${who}-${i}`)).sort();
    expect(ids).toEqual(expected);
    expect(settings.ascii).toBe(true);
    expect(settings.roles).toHaveLength(1);
    expect(statSync(join(stateDir, 'settings.json')).mode & 0o777).toBe(0o600);
  });
});
