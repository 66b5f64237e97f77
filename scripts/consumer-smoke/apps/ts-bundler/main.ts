import { scenario } from './scenario.js';

console.log('ts-bundler', await scenario());
