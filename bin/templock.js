#!/usr/bin/env node
// The installed `templock` command: runs the compiled CLI.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
