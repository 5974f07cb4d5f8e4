#!/usr/bin/env node
// Ordo ships TypeScript sources and runs them through tsx's loader, so there is no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
// Exit explicitly: every command has stopped what it started, and a client still retrying a
// connection (an interrupted demo replay) must not keep the process alive.
process.exit(await main(process.argv.slice(2)));
