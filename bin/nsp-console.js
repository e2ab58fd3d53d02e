#!/usr/bin/env node
// Thin launcher: terminal set-up that must happen before anything heavy loads, then the bundled CLI.
const argv = process.argv.slice(2);
if (argv.includes('--no-color') || ('NO_COLOR' in process.env && process.env.NO_COLOR !== '')) {
  // Ink and its colour library read this when they are imported.
  process.env.FORCE_COLOR = '0';
}
const interactive = process.stdin.isTTY && process.stdout.isTTY && !argv.some(a => !a.startsWith('-') || a === '--help' || a === '-h' || a === '--version' || a === '-V');
if (interactive) {
  // Raw mode at once, so keys typed while the console starts stay queued for it, unechoed.
  process.stdin.setRawMode(true);
}
// A closed pipe (e.g. `nsp-console keyserver list | head`) is a normal end, not a crash.
process.stdout.on('error', error => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
const {main} = await import('../dist/cli.js');
const code = await main(argv, {stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, isTTY: Boolean(process.stdout.isTTY), stdinIsTTY: Boolean(process.stdin.isTTY)});
process.exitCode = code;
