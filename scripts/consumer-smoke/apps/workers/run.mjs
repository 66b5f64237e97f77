import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const bundle = readFileSync('dist/worker.js', 'utf8');
if (/\bnode:|\brequire\(/.test(bundle))
  throw new Error('the Workers bundle imports a Node built-in or calls require()');
const { default: worker } = await import('./dist/worker.js');
const response = await worker.fetch(new Request('http://worker/run'));
if (response.status !== 200) throw new Error(`worker answered ${response.status}`);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(
  'workers',
  await response.json(),
  `bundle ${kb(statSync('dist/worker.js').size)}, ${kb(gzipSync(bundle).length)} gzip`,
);
