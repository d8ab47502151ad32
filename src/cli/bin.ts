#!/usr/bin/env node
import { surviveClosedConsole } from './console.js';
import { main } from './main.js';

surviveClosedConsole();
process.exitCode = await main(process.argv.slice(2));
