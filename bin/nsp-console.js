#!/usr/bin/env node
// Thin launcher: terminal set-up that must happen before anything heavy loads, then the bundled CLI.
import {prepareProcess, runMain} from './prelude.js';

const argv = process.argv.slice(2);
prepareProcess(argv);
const {main} = await import('../dist/cli.js');
await runMain(main, argv);
