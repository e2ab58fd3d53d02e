// Main script of nsp-console.exe (a Node single executable application). Node 20 runs it as
// CommonJS that may require only built-ins, while Ink needs ES modules with top-level await, so the
// embedded bundle is put on disk once (app-cache.ts) and import()ed from there.
import {getAsset} from 'node:sea';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {prepareProcess, runMain} from '../../bin/prelude.js';
import {appCacheRoot, appFolder, ensureExtracted, manifestAssetName, removeOtherVersions, type AppManifest} from './app-cache.js';
import {watchdogArgument} from './internal-args.js';

async function start(): Promise<void> {
  const manifest = JSON.parse(getAsset(manifestAssetName, 'utf8')) as AppManifest;
  const cacheRoot = appCacheRoot(process.env);
  const folder = appFolder(cacheRoot, manifest);
  let written: number;
  try {
    written = ensureExtracted(folder, manifest, path => new Uint8Array(getAsset(path))).written;
  } catch (error) {
    process.stderr.write(`nsp-console: cannot prepare its program files in ${folder}: ${(error as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  if (written > 0) removeOtherVersions(cacheRoot, folder);
  const argv = process.argv.slice(2);
  if (argv[0] === watchdogArgument) {
    // The watchdog entry reads process.argv itself.
    process.argv.splice(2, 1);
    await import(pathToFileURL(join(folder, 'dist', 'watchdog.js')).href);
    return;
  }
  prepareProcess(argv);
  const {main} = (await import(pathToFileURL(join(folder, 'dist', 'cli.js')).href)) as {main: Parameters<typeof runMain>[0]};
  await runMain(main, argv);
}

start().catch((error: unknown) => {
  process.stderr.write(`nsp-console: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
