// Runs the built Worker locally in Miniflare with the bindings of wrangler.toml (D1 kept in
// .state/), on http://127.0.0.1:8787. Try:
//   curl -X POST localhost:8787/api/jobs -H 'content-type: application/json' \
//     -d '{"type":"email.send","payload":{"to":"a@example.com"}}'
//   curl -X POST localhost:8787/drain
//   curl localhost:8787/api/jobs

import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';

const mf = new Miniflare({
  modules: true,
  scriptPath: fileURLToPath(new URL('../dist/worker.js', import.meta.url)),
  compatibilityDate: '2025-11-01',
  d1Databases: ['DB'],
  d1Persist: fileURLToPath(new URL('../.state/d1', import.meta.url)),
  queueProducers: { JOBS: 'redrive-jobs' },
  queueConsumers: { 'redrive-jobs': { maxBatchSize: 10, maxRetries: 4 } },
  port: 8787,
});
console.log(`Redrive example Worker on ${(await mf.ready).href}`);
