#!/usr/bin/env node
// Entry point of the `unfolded` command; the code lives in dist/cli (built by `npm run build`).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
