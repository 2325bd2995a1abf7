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

  it('configures a chat model from its base URL and model, with a 20 s time budget by default', () => {
    expect(loadConfig({}).chat).toBeNull();
    expect(() => loadConfig({ CHAT_MODEL: 'mistral-small-latest' })).toThrow(/CHAT_BASE_URL and CHAT_MODEL/);
    const chat = { CHAT_BASE_URL: 'https://api.mistral.ai/v1', CHAT_MODEL: 'mistral-small-latest' };
    expect(loadConfig(chat).chat).toEqual({ baseURL: 'https://api.mistral.ai/v1', apiKey: 'not-needed', model: 'mistral-small-latest', timeoutMs: 20_000 });
    expect(loadConfig({ ...chat, CHAT_TIMEOUT_MS: '8000' }).chat?.timeoutMs).toBe(8000);
    expect(loadConfig({ ...chat, CHAT_TIMEOUT_MS: '' }).chat?.timeoutMs).toBe(20_000);
    expect(() => loadConfig({ ...chat, CHAT_TIMEOUT_MS: '500' })).toThrow(/CHAT_TIMEOUT_MS/);
  });

  it('refuses to start in production without a secret key', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/RELAI_SECRET_KEY/);
  });

  it('leaves metrics open without METRICS_TOKEN and refuses a short one', () => {
    expect(loadConfig({}).metricsToken).toBeNull();
    expect(loadConfig({ METRICS_TOKEN: 'm'.repeat(16) }).metricsToken).toBe('m'.repeat(16));
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: expected at least 16 characters/);
  });
});
