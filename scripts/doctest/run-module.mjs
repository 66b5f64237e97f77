// Runs one doc-test module (under tsx): fails on a throw or an unhandled rejection, and exits
// once its top-level code finished and a moment passed, stopping whatever it left running.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

process.on('unhandledRejection', (error) => {
  console.error('unhandled rejection:', error);
  process.exit(1);
});
await import(pathToFileURL(resolve(process.argv[2])).href);
await new Promise((settle) => setTimeout(settle, 250));
process.exit(0);
