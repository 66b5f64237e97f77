// A Cloudflare Worker's shape: a default export with fetch(). Bundled for a platform without
// Node built-ins, so an import of `node:*` anywhere in the graph fails the bundle or the check below.
import { memoryAdapter } from '@redrive/adapter-memory';
import { createQueue, JobRunner } from '@redrive/core';
import { createHttpHandler } from '@redrive/core/http';
import * as z from 'zod'; // the namespace import tree-shakes; `import { z }` bundles every locale
import { scenario } from './scenario.mjs';

export default {
  async fetch() {
    const result = await scenario({ createQueue, JobRunner, memoryAdapter, createHttpHandler, z });
    return Response.json(result);
  },
};
