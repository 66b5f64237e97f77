/**
 * The HTTP API (`createHttpHandler`, a Fetch-API function) on node:http. `@hono/node-server`'s
 * `getRequestListener` turns Node's request into a Fetch `Request` and the `Response` back, with
 * the body streamed, so the handler's 1 MB body limit refuses a huge upload without buffering it.
 */
import { createServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Queue } from '@redrive/core';
import { createHttpHandler } from '@redrive/core/http';

export function startApi(queue: Queue, port: number): Promise<Server> {
  const handle = createHttpHandler(queue, { basePath: '/api' });
  // Keep Node's own Request/Response globals: the handler is plain Fetch-API code.
  const server = createServer(getRequestListener(handle, { overrideGlobalObjects: false }));
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}
