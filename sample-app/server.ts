/**
 * The sample app's web page: `npm run demo -- serve [--port 3000]`. Plain node:http, a static page
 * (sample-app/web/) and a small JSON API over SampleApp:
 *
 *   GET /api/info                                                   backend line, categories, embedder
 *   GET /api/search?q=&k=&category=&since=&metric=&hybrid=1         { hits: Hit[] }
 *   GET /api/similar/<id>?k=                                        { source: Hit, hits: Hit[] }
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { SampleApp, SearchOptions } from './app';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

const WEB = path.join(__dirname, 'web');
const STATIC: Record<string, [string, string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/app.js': ['app.js', 'text/javascript; charset=utf-8'],
};

/** Serves the page and its API for `app` on 127.0.0.1:`port` (0: any free port). */
export async function startServer(app: SampleApp, port = 3000, host = '127.0.0.1'): Promise<RunningServer> {
  const backend = await app.backendLine();
  const server = http.createServer((request, response) => {
    void handle(app, backend, request, response).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      send(response, 400, 'application/json', JSON.stringify({ error: message }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${actual}/`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

async function handle(app: SampleApp, backend: string, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const file = STATIC[url.pathname];
  if (file) return send(response, 200, file[1], fs.readFileSync(path.join(WEB, file[0])));
  const json = (body: unknown) => send(response, 200, 'application/json', JSON.stringify(body));
  if (url.pathname === '/api/info') {
    return json({ backend, categories: await app.categories(), embedder: app.embedder.name, rows: await app.documents.count() });
  }
  if (url.pathname === '/api/search') {
    const q = url.searchParams.get('q') ?? '';
    if (!q.trim()) return json({ hits: [] });
    const options: SearchOptions = { k: Number(url.searchParams.get('k') ?? 10), hybrid: url.searchParams.get('hybrid') === '1' };
    const category = url.searchParams.get('category');
    const since = url.searchParams.get('since');
    const metric = url.searchParams.get('metric');
    if (category) options.category = category;
    if (since) options.since = since;
    if (metric === 'l2' || metric === 'cosine') options.metric = metric;
    return json({ hits: await app.search(q, options) });
  }
  const similar = /^\/api\/similar\/(\d+)$/.exec(url.pathname);
  if (similar) return json(await app.similar(Number(similar[1]), Number(url.searchParams.get('k') ?? 10)));
  send(response, 404, 'text/plain', 'Not found');
}

function send(response: http.ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  response.end(body);
}
