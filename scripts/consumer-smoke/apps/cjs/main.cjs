// The CommonJS builds, loaded with require(); the shared scenario only uses what was required.
const { createQueue, JobRunner } = require('@redrive/core');
const { createHttpHandler } = require('@redrive/core/http');
const { memoryAdapter } = require('@redrive/adapter-memory');
const { z } = require('zod');

if (!require.resolve('@redrive/core').endsWith('.cjs'))
  throw new Error('require() did not load the CommonJS build');
import('./scenario.mjs')
  .then(({ scenario }) => scenario({ createQueue, JobRunner, memoryAdapter, createHttpHandler, z }))
  .then((result) => console.log('cjs', result))
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
