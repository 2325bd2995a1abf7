import { FakeHttpServer } from '../testing/fake-http-server';
import type { FakeResponse } from '../testing/fake-http-server';

/** A local website: path (with query when it matters) → response; anything else is a 404 page. */
export async function startFakeSite(routesFor: (baseUrl: string) => Record<string, FakeResponse>): Promise<FakeHttpServer> {
  // Routes are built once the port is known, so sitemaps can give absolute URLs to the site itself.
  let routes: Record<string, FakeResponse> = {};
  const server = await FakeHttpServer.start(
    (request) =>
      routes[`${request.url.pathname}${request.url.search}`] ??
      routes[request.url.pathname] ?? { status: 404, text: '<html><body><h1>Not found</h1></body></html>', contentType: 'text/html' },
  );
  routes = routesFor(server.baseUrl);
  return server;
}

export interface HtmlPageParts {
  title?: string;
  head?: string;
  body: string;
  lang?: string;
  headers?: Record<string, string>;
}

export function htmlPage(parts: HtmlPageParts): FakeResponse {
  return {
    contentType: 'text/html; charset=utf-8',
    ...(parts.headers ? { headers: parts.headers } : {}),
    text: `<!doctype html><html${parts.lang ? ` lang="${parts.lang}"` : ''}><head><title>${parts.title ?? 'Untitled'}</title>${parts.head ?? ''}</head><body>${parts.body}</body></html>`,
  };
}
