import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeVector, startFakeEmbeddingsServer, type FakeEmbeddingsServer } from './fake-embeddings-server';
import { EmbeddingEndpointError, openAICompatibleEmbeddings, openAICompatibleModelId } from './openai-compatible';

describe('openAICompatibleEmbeddings', () => {
  let server: FakeEmbeddingsServer;
  beforeEach(async () => {
    server = await startFakeEmbeddingsServer(4);
  });
  afterEach(async () => {
    await server.close();
  });

  const embeddings = (options: { batchSize?: number; dimensions?: number; maxRetries?: number } = {}) =>
    openAICompatibleEmbeddings({ baseURL: server.baseURL, apiKey: 'sk-test', model: 'nomic-embed-text', ...options });

  it('sends batches of batchSize with the model name and bearer key, and keeps input order', async () => {
    const texts = ['Annuler', 'Cancel', 'Facture', 'Invoice', 'Mot de passe'];
    const vectors = await embeddings({ batchSize: 2 }).embedDocuments(texts);

    expect(vectors).toEqual(texts.map((text) => fakeVector(text, 4)));
    expect(server.requests.map((r) => (r.body.input as string[]).length).sort()).toEqual([1, 2, 2]);
    for (const { headers, body } of server.requests) {
      expect(body.model).toBe('nomic-embed-text');
      expect(headers.authorization).toBe('Bearer sk-test');
      expect(body.encoding_format).toBe('float');
      expect(body).not.toHaveProperty('dimensions');
    }
  });

  it('asks for the configured dimensions', async () => {
    const vector = await embeddings({ dimensions: 3 }).embedQuery('Bonjour');
    expect(vector).toEqual(fakeVector('Bonjour', 3));
    expect(server.requests[0]?.body.dimensions).toBe(3);
  });

  it('retries after a 429 without Retry-After header', async () => {
    server.script.push({ kind: 'status', status: 429, body: { error: { message: 'Rate limit reached', type: 'rate_limit' } } });
    expect(await embeddings().embedQuery('merci')).toEqual(fakeVector('merci', 4));
    expect(server.requests).toHaveLength(2);
  });

  it('retries after a 500', async () => {
    server.script.push({ kind: 'status', status: 500 });
    expect(await embeddings().embedDocuments(['thanks'])).toEqual([fakeVector('thanks', 4)]);
    expect(server.requests).toHaveLength(2);
  });

  it('gives up after maxRetries', async () => {
    server.script.push({ kind: 'status', status: 503 }, { kind: 'status', status: 503 });
    await expect(embeddings({ maxRetries: 1 }).embedQuery('hello')).rejects.toMatchObject({ status: 503 });
    expect(server.requests).toHaveLength(2);
  });

  it('fails at once on an authentication error or an exhausted quota', async () => {
    server.script.push({ kind: 'status', status: 401, body: { error: { message: 'Incorrect API key provided' } } });
    await expect(embeddings().embedQuery('hello')).rejects.toThrow(/Incorrect API key/);
    server.script.push({ kind: 'status', status: 429, body: { error: { message: 'No credits', code: 'insufficient_quota' } } });
    await expect(embeddings().embedQuery('hello')).rejects.toThrow(/No credits/);
    expect(server.requests).toHaveLength(2);
  });

  it('reports a body without embeddings clearly, without retrying', async () => {
    server.script.push({ kind: 'json', body: { object: 'list', results: [] } });
    const attempt = embeddings().embedQuery('Bonjour');
    await expect(attempt).rejects.toBeInstanceOf(EmbeddingEndpointError);
    await expect(attempt).rejects.toThrow(
      `embeddings endpoint ${server.baseURL} (model nomic-embed-text) returned a malformed response: data: `,
    );
    expect(server.requests).toHaveLength(1);
  });

  it('reports invalid JSON and non-JSON bodies clearly, without retrying', async () => {
    server.script.push({ kind: 'raw', contentType: 'application/json', body: '{"data": [' });
    await expect(embeddings().embedQuery('Bonjour')).rejects.toThrow(/answered with invalid JSON/);
    server.script.push({ kind: 'raw', contentType: 'text/html', body: '<html>Bad gateway</html>' });
    await expect(embeddings().embedQuery('Bonjour')).rejects.toThrow(/malformed response: .*<html>Bad gateway/);
    expect(server.requests).toHaveLength(2);
  });

  it('rejects a wrong number of vectors and vectors of the wrong size', async () => {
    server.script.push({ kind: 'json', body: { data: [{ index: 0, embedding: [1, 2, 3, 4] }] } });
    await expect(embeddings().embedDocuments(['a', 'b'])).rejects.toThrow(/1 embeddings for 2 inputs/);
    server.script.push({ kind: 'json', body: { data: [{ index: 0, embedding: [1, 2, 3, 4] }] } });
    await expect(embeddings({ dimensions: 3 }).embedQuery('a')).rejects.toThrow(/4-dimensional vector where 3 dimensions/);
  });

  it('puts results back in input order when the server sends them shuffled', async () => {
    server.script.push({
      kind: 'json',
      body: { data: [{ index: 1, embedding: [2, 2] }, { index: 0, embedding: [1, 1] }], model: 'm' },
    });
    expect(await embeddings().embedDocuments(['first', 'second'])).toEqual([[1, 1], [2, 2]]);
  });

  it('names stored vectors after the model and the requested size', () => {
    expect(openAICompatibleModelId('text-embedding-3-small', 512)).toBe('openai-compatible:text-embedding-3-small:512');
    expect(openAICompatibleModelId('mistral-embed')).toBe('openai-compatible:mistral-embed:native');
  });

  it('refuses an endpoint without base URL or model', () => {
    expect(() => openAICompatibleEmbeddings({ baseURL: '', apiKey: 'k', model: 'm' })).toThrow(/baseURL/);
    expect(() => openAICompatibleEmbeddings({ baseURL: server.baseURL, apiKey: 'k', model: '' })).toThrow(/model/);
    expect(() => openAICompatibleEmbeddings({ baseURL: server.baseURL, apiKey: 'k', model: 'm', batchSize: 0 })).toThrow(RangeError);
  });
});
