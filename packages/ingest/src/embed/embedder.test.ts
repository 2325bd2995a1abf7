import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmbedder } from './embedder';
import { startFakeEmbeddingsServer, type FakeEmbeddingsServer } from './fake-embeddings-server';
import { LocalHashEmbeddings } from './local-hash-embeddings';

describe('createEmbedder', () => {
  it('builds the offline local embedder by default size or the configured one', async () => {
    const embedder = await createEmbedder({ provider: 'local' });
    expect(embedder.embeddings).toBeInstanceOf(LocalHashEmbeddings);
    expect(embedder).toMatchObject({ modelId: 'local-hash-ngram-v1-512', dimensions: 512 });
    expect(await embedder.embeddings.embedQuery('Bonjour')).toHaveLength(512);
    expect(await createEmbedder({ provider: 'local', dimensions: 384 })).toMatchObject({ modelId: 'local-hash-ngram-v1-384', dimensions: 384 });
  });

  describe('openai-compatible', () => {
    let server: FakeEmbeddingsServer;
    beforeEach(async () => {
      server = await startFakeEmbeddingsServer(7);
    });
    afterEach(async () => {
      await server.close();
    });
    const settings = { provider: 'openai-compatible', baseURL: '', apiKey: 'sk-test', model: 'bge-m3' } as const;

    it('discovers the native vector size with one probe request', async () => {
      const embedder = await createEmbedder({ ...settings, baseURL: server.baseURL });
      expect(embedder).toMatchObject({ modelId: 'openai-compatible:bge-m3:native', dimensions: 7 });
      expect(server.requests).toHaveLength(1);
      expect(await embedder.embeddings.embedDocuments(['Annuler', 'Cancel'])).toHaveLength(2);
    });

    it('then refuses vectors of another size than the probe found', async () => {
      const embedder = await createEmbedder({ ...settings, baseURL: server.baseURL });
      server.script.push({ kind: 'json', body: { data: [{ index: 0, embedding: [1, 2, 3] }] } });
      await expect(embedder.embeddings.embedQuery('Bonjour')).rejects.toThrow(/3-dimensional vector where 7 dimensions/);
    });

    it('uses configured dimensions without probing', async () => {
      const embedder = await createEmbedder({ ...settings, baseURL: server.baseURL, dimensions: 256, batchSize: 16 });
      expect(embedder).toMatchObject({ modelId: 'openai-compatible:bge-m3:256', dimensions: 256 });
      expect(server.requests).toHaveLength(0);
    });

    it('says which endpoint failed the probe', async () => {
      server.script.push({ kind: 'status', status: 404, body: { error: { message: 'model "bge-m3" not found' } } });
      await expect(createEmbedder({ ...settings, baseURL: server.baseURL })).rejects.toThrow(
        `embeddings endpoint ${server.baseURL} (model bge-m3) failed the dimension probe: `,
      );
    });
  });
});
