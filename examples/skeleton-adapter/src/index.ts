export { skeletonAdapter } from './skeleton-adapter.js';
export { type Row, readRow, type Table } from './table.js';
