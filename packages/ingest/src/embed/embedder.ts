import type { Embeddings } from '@langchain/core/embeddings';
import type { EmbeddingsSettings } from '@relai/config';
import { LocalHashEmbeddings } from './local-hash-embeddings';
import { openAICompatibleEmbeddings, openAICompatibleModelId } from './openai-compatible';

/** What the pipeline embeds with: the vectors' size and the id stored next to each of them. */
export interface Embedder {
  modelId: string;
  dimensions: number;
  embeddings: Embeddings;
}

/** Parsed once from the environment by @relai/config. */
export type EmbedderSettings = EmbeddingsSettings;

/**
 * Builds the configured embedder. Without explicit dimensions an OpenAI-compatible model is asked
 * to embed one probe string, which tells its vector size (and checks the endpoint works).
 */
export async function createEmbedder(settings: EmbedderSettings): Promise<Embedder> {
  if (settings.provider === 'local') {
    const embeddings = new LocalHashEmbeddings({ dimensions: settings.dimensions });
    return { modelId: embeddings.modelId, dimensions: embeddings.dimensions, embeddings };
  }
  const embeddings = openAICompatibleEmbeddings(settings);
  const modelId = openAICompatibleModelId(settings.model, settings.dimensions);
  if (settings.dimensions !== undefined) return { modelId, dimensions: settings.dimensions, embeddings };

  let probe: number[];
  try {
    probe = await embeddings.embedQuery('dimension probe');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`embeddings endpoint ${settings.baseURL} (model ${settings.model}) failed the dimension probe: ${reason}`, { cause: error });
  }
  // Later answers of another size would not fit the vector column sized from this one.
  embeddings.expectedDimensions = probe.length;
  return { modelId, dimensions: probe.length, embeddings };
}
