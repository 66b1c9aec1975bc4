/**
 * Serves the built dashboard (packages/dashboard/dist) at `/`. API routes keep priority (they are
 * more specific than the catch-all), `/v1/*` misses still get the JSON 404, files are looked up
 * on each request (a rebuild needs no restart), and any other GET falls back to index.html so the
 * single-page app can route it. Without a build, `/` explains how to make one.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const DASHBOARD_DIST = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../dashboard/dist');

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Centroid: dashboard not built</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1b1f24}code{background:#eef1f4;padding:.1em .3em;border-radius:3px}</style></head>
<body><h1>The dashboard has not been built</h1>
<p>The API is running (see <a href="/docs">/docs</a>), but <code>packages/dashboard/dist</code> is missing.
<code>npm ci</code> and <code>npm start</code> normally build it; to build it by hand run</p>
<p><code>npm run build -w @centroid/dashboard</code></p>
<p>and reload this page.</p></body></html>`;

function isApiPath(path: string): boolean {
  return path === '/v1' || path.startsWith('/v1/') || path === '/openapi.json' || path === '/docs' || path.startsWith('/docs/') || path === '/health';
}

export async function registerDashboard(app: FastifyInstance, distDir = DASHBOARD_DIST): Promise<void> {
  // Only for reply.sendFile (ETag, ranges, content types); routing stays here.
  await app.register(fastifyStatic, { root: distDir, serve: false, suppressWarning: true });

  const fallback = async (request: FastifyRequest, reply: FastifyReply) => {
    let path: string;
    try {
      path = decodeURIComponent(request.url.split('?')[0]!);
    } catch {
      return reply.callNotFound();
    }
    if (isApiPath(path)) return reply.callNotFound();
    if (!existsSync(join(distDir, 'index.html'))) {
      return reply.status(503).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT_PAGE);
    }
    // Paths that name a file (they have an extension) are files or real 404s, never the app.
    if (/\.[a-z0-9]+$/i.test(path)) {
      const relative = normalize(path).replace(/^[/\\]+/, '');
      const file = join(distDir, relative);
      if (!file.startsWith(distDir + sep) || !existsSync(file) || !statSync(file).isFile()) return reply.callNotFound();
      // Hashed assets never change under one name; anything else is revalidated.
      const immutable = relative.startsWith(`assets${sep}`) || relative.startsWith('assets/');
      return reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache').sendFile(relative, distDir, { cacheControl: false });
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html', distDir, { cacheControl: false });
  };
  app.get('/', { schema: { hide: true } }, fallback);
  app.get('/*', { schema: { hide: true } }, fallback);
}
