import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('defaults to the embedded database, in-process queue and local embeddings', () => {
    const config = loadConfig({}, '/srv/relai');
    expect(config.database).toEqual({ kind: 'pglite', dataDir: '/srv/relai/.relai/data' });
    expect(config.redisUrl).toBeNull();
    expect(config.http.port).toBe(8787);
    expect(config.http.publicUrl).toBe('http://localhost:8787');
    expect(config.embeddings.provider).toBe('local');
  });

  it('uses Postgres and Redis when their URLs are set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/relai', REDIS_URL: 'redis://cache:6379' });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u:p@db:5432/relai' });
    expect(config.redisUrl).toBe('redis://cache:6379');
  });

  it('names the variable and what it expects when a value is wrong', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(/PORT: .*number/i);
      expect(message).toMatch(/DATABASE_URL: expected a URL starting with postgres:\/\/ or postgresql:\/\//);
    }
  });

  it('requires a base URL and model for an OpenAI-compatible embeddings endpoint', () => {
    expect(() => loadConfig({ EMBEDDINGS_PROVIDER: 'openai-compatible' })).toThrow(/EMBEDDINGS_BASE_URL.*\n.*EMBEDDINGS_MODEL/s);
    const config = loadConfig({
      EMBEDDINGS_PROVIDER: 'openai-compatible',
      EMBEDDINGS_BASE_URL: 'http://127.0.0.1:11434/v1',
      EMBEDDINGS_MODEL: 'nomic-embed-text',
    });
    expect(config.embeddings).toMatchObject({ provider: 'openai-compatible', model: 'nomic-embed-text', batchSize: 64 });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', REDIS_URL: '' }).database.kind).toBe('pglite');
  });

  it('refuses to start in production without a secret key', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/RELAI_SECRET_KEY/);
  });
});
