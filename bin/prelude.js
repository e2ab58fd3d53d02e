// Process set-up shared by the script launcher (bin/nsp-console.js) and the Windows exe: what must
// happen before Ink or anything heavy loads. Built-ins only.

/** True when the console will be interactive: both ends are terminals and no command, --help or --version. */
export function isInteractive(argv, stdin = process.stdin, stdout = process.stdout) {
  // The values of --root and --state-dir are not commands.
  const wantsCommandOrInfo = argv.some((arg, index) => {
    const previous = argv[index - 1];
    if (previous === '--root' || previous === '--state-dir') return false;
    return !arg.startsWith('-') || ['--help', '-h', '--version', '-V'].includes(arg);
  });
  return Boolean(stdin.isTTY && stdout.isTTY && !wantsCommandOrInfo);
}

export function prepareProcess(argv) {
  if (argv.includes('--no-color') || ('NO_COLOR' in process.env && process.env.NO_COLOR !== '')) {
    // Ink and its colour library read this when they are imported.
    process.env.FORCE_COLOR = '0';
  }
  if (isInteractive(argv)) {
    // Raw mode at once, so keys typed while the console starts stay queued for it, unechoed.
    process.stdin.setRawMode(true);
    // Ink draws nothing but the last frame when it thinks it runs in CI; a person is at this terminal.
    for (const name of Object.keys(process.env)) {
      if (name === 'CI' || name === 'CONTINUOUS_INTEGRATION' || name.startsWith('CI_')) delete process.env[name];
    }
  }
  // A closed pipe (e.g. `nsp-console keyserver list | head`) is a normal end, not a crash.
  process.stdout.on('error', error => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

/** Runs the bundle's main() on this process's streams and sets the exit code. */
export async function runMain(main, argv) {
  process.exitCode = await main(argv, {stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, isTTY: Boolean(process.stdout.isTTY), stdinIsTTY: Boolean(process.stdin.isTTY)});
}
