import { Embeddings } from '@langchain/core/embeddings';
import { describe, expect, it } from 'vitest';
import { LocalHashEmbeddings } from './local-hash-embeddings';

const cosine = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);
const norm = (v: number[]) => Math.sqrt(cosine(v, v));

describe('LocalHashEmbeddings', () => {
  const embeddings = new LocalHashEmbeddings();

  it('is a LangChain Embeddings of 512 dimensions by default, with a model id naming algorithm and size', () => {
    expect(embeddings).toBeInstanceOf(Embeddings);
    expect(embeddings.dimensions).toBe(512);
    expect(embeddings.modelId).toBe('local-hash-ngram-v1-512');
    expect(new LocalHashEmbeddings({ dimensions: 256 }).modelId).toBe('local-hash-ngram-v1-256');
  });

  it('is deterministic across calls and instances', async () => {
    const text = 'Comment modifier mon adresse de facturation ?';
    const first = await embeddings.embedQuery(text);
    expect(await new LocalHashEmbeddings().embedQuery(text)).toEqual(first);
    expect((await embeddings.embedDocuments([text, 'autre chose', text]))[2]).toEqual(first);
  });

  it('returns unit-length vectors of the configured size', async () => {
    const small = new LocalHashEmbeddings({ dimensions: 64 });
    for (const vector of await small.embedDocuments(['Bonjour', 'How do I reset my password?', 'x'.repeat(5_000)])) {
      expect(vector).toHaveLength(64);
      expect(norm(vector)).toBeCloseTo(1, 5);
    }
  });

  it('puts a French question closer to the article that answers it than to an unrelated one', async () => {
    const [query, cancellation, password] = await embeddings.embedDocuments([
      'Comment annuler mon abonnement ?',
      "Annulation de l'abonnement : vous pouvez annuler votre abonnement à tout moment depuis la page Facturation.",
      'Réinitialiser le mot de passe : cliquez sur « Mot de passe oublié » sur la page de connexion.',
    ]);
    expect(cosine(query ?? [], cancellation ?? [])).toBeGreaterThan(cosine(query ?? [], password ?? []) + 0.3);
  });

  it('does the same for English', async () => {
    const [query, refunds, export_] = await embeddings.embedDocuments([
      'How do I get a refund?',
      'Refunds: we refund annual plans within 14 days of purchase.',
      'Exporting data: download your contacts as a CSV file.',
    ]);
    expect(cosine(query ?? [], refunds ?? [])).toBeGreaterThan(cosine(query ?? [], export_ ?? []));
  });

  it('folds accents, case and ligatures', async () => {
    expect(await embeddings.embedQuery('Résilier')).toEqual(await embeddings.embedQuery('resilier'));
    expect(await embeddings.embedQuery('cœur')).toEqual(await embeddings.embedQuery('COEUR'));
  });

  it('weighs stopwords less than content words', async () => {
    const base = await embeddings.embedQuery('facture impayée');
    const withStopwords = await embeddings.embedQuery('la facture est impayée');
    const withContent = await embeddings.embedQuery('facture impayée relance');
    expect(cosine(base, withStopwords)).toBeGreaterThan(cosine(base, withContent));
  });

  it('gives text without letters or digits the zero vector', async () => {
    expect((await embeddings.embedQuery(' ?! 👍 ')).every((x) => x === 0)).toBe(true);
  });

  it('rejects unusable dimensions', () => {
    expect(() => new LocalHashEmbeddings({ dimensions: 0 })).toThrow(RangeError);
    expect(() => new LocalHashEmbeddings({ dimensions: 12.5 })).toThrow(RangeError);
  });
});
