/** The HTTP API (`createHttpHandler`) on node:http: Node's request in, a Fetch Request to the handler. */
import { createServer, type Server } from 'node:http';
import type { Queue } from '@redrive/core';
import { createHttpHandler } from '@redrive/core/http';

export function startApi(queue: Queue, port: number): Promise<Server> {
  const handle = createHttpHandler(queue, { basePath: '/api' });
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
    const request = new Request(`http://localhost${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
    });
    const response = await handle(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}
