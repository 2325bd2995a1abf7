import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { renderDocsPage } from '../openapi/docs-page';
import { buildOpenApiDocument, type DocumentOptions, type OpenApiDocument } from '../openapi/document';
import type { Operation } from '../openapi/operation';

/**
 * The API reference, public: GET /openapi.json (OpenAPI 3.1) and GET /docs (the same as a page).
 * Built on the first request rather than at start-up: a documentation mistake must not stop the API.
 */
export function apiReferenceRoutes(operations: readonly Operation[], options: DocumentOptions) {
  let reference: { document: OpenApiDocument; page: string } | undefined;
  const built = () => {
    if (!reference) {
      const document = buildOpenApiDocument(operations, options);
      reference = { document, page: renderDocsPage(document) };
    }
    return reference;
  };
  return new Hono<AppEnv>().get('/openapi.json', (c) => c.json(built().document)).get('/docs', (c) => c.html(built().page));
}
