// Bundles the CLI with esbuild: Ink's import graph loads ~2.5x faster bundled than as tsc output.
// Dependencies are bundled too; code splitting keeps heavy capabilities (ldapts, the ZIP code) in
// chunks that load only when their command or screen is first used.
import {build} from 'esbuild';
import {rm} from 'node:fs/promises';
import {fileURLToPath} from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

export const bundleOptions = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  logLevel: 'warning',
  // Some bundled dependencies are CommonJS and call require().
  banner: {js: "import {createRequire as __nspCreateRequire} from 'node:module'; const require = __nspCreateRequire(import.meta.url);"},
  // Ink's optional devtools integration is never used at run time.
  external: ['react-devtools-core'],
  define: {'process.env.NODE_ENV': '"production"'},
  // ldapts' URL parser and debug log, replaced by small stand-ins (see each file for why).
  alias: {
    'whatwg-url': `${root}source/keyservers/ldapts-shims/whatwg-url.ts`,
    debug: `${root}source/keyservers/ldapts-shims/debug.ts`,
  },
};

/** Builds dist/; the result's metafile names every bundled input (the exe build lists their licences). */
export async function buildConsole() {
  const outdir = `${root}dist/`;
  await rm(outdir, {recursive: true, force: true});
  return build({
    ...bundleOptions,
    // The watchdog is its own entry point: a detached process that turns logging off if the console dies.
    entryPoints: {cli: `${root}source/cli.tsx`, watchdog: `${root}source/logflow/watchdog-main.ts`},
    outdir,
    splitting: true,
    sourcemap: 'linked',
    chunkNames: 'chunks/[name]-[hash]',
    metafile: true,
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildConsole();
