import crypto from 'node:crypto';
import type { Queryable } from './database';

/**
 * pgvector's HNSW index needs a fixed dimension, while chunks.embedding has none so that the model can
 * change. Each model gets a partial expression index; searches must use the same expression
 * (`embedding::vector(N)`) and filter `embedding_model = <model>` for the planner to pick it.
 */
export function vectorIndexName(modelId: string): string {
  return `chunks_embedding_${crypto.createHash('sha256').update(modelId).digest('hex').slice(0, 16)}_hnsw`;
}

export async function ensureVectorIndex(db: Queryable, modelId: string, dimensions: number): Promise<boolean> {
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > 2000) {
    throw new Error(`HNSW indexes support 1 to 2000 dimensions, not ${dimensions}`);
  }
  const name = vectorIndexName(modelId);
  const existing = await db.query('SELECT 1 FROM pg_indexes WHERE indexname = $1', [name]);
  if (existing.rowCount) return false;
  // Literal, not a parameter: DDL takes no bind parameters. The id is quoted as a SQL string.
  const model = modelId.replace(/'/g, "''");
  await db.query(
    `CREATE INDEX IF NOT EXISTS ${name} ON chunks USING hnsw ((embedding::vector(${dimensions})) vector_cosine_ops) WHERE embedding_model = '${model}'`,
  );
  return true;
}
