import { scenario } from './scenario.js';

console.log('ts-node16', await scenario());
