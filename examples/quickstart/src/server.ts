/**
 * One node:http port for everything: the HTTP API under `/api` and the dashboard page with its
 * bundle. `@hono/node-server`'s `getRequestListener` bridges Node and the Fetch API (the request
 * body is streamed, so the API's body limit holds without buffering).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Queue } from '@redrive/core';
import { createHttpHandler } from '@redrive/core/http';
import type { Assets } from './dashboard/build-dashboard.js';
import { DASHBOARD_PAGE } from './dashboard/page.js';

export async function startServer(
  queue: Queue,
  assets: Assets,
  port: number,
): Promise<{ server: Server; url: string }> {
  const api = createHttpHandler(queue, { basePath: '/api' });
  const handle = async (request: Request): Promise<Response> => {
    const { pathname } = new URL(request.url);
    if (pathname === '/api' || pathname.startsWith('/api/')) return api(request);
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return new Response('Method Not Allowed', { status: 405 });
    if (pathname === '/') {
      return new Response(DASHBOARD_PAGE, {
        headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
      });
    }
    if (pathname === '/favicon.ico') return new Response(null, { status: 204 });
    const asset = assets.get(pathname);
    if (asset)
      return new Response(asset.body, {
        headers: { 'content-type': asset.type, 'cache-control': 'no-cache' },
      });
    return new Response('Not Found', { status: 404 });
  };
  const server = createServer(getRequestListener(handle, { overrideGlobalObjects: false }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}
