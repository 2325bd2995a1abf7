/** Shapes shared by the pure pipeline steps: cleaning -> chunking -> embedding. */

/** A readable unit of a cleaned article. Lists, table rows and code keep their own blocks. */
export type Block =
  | { type: 'heading'; level: number; text: string }
  | { type: 'text'; text: string };

export interface CleanDocument {
  blocks: Block[];
  /** All blocks joined with blank lines: what the content hash and language detection use. */
  text: string;
  /** Set when the body was cut to the size limit; says why, for the sync run's report. */
  truncatedReason: string | null;
}

export interface Chunk {
  /** 0-based order within the article. */
  position: number;
  /** Headings above this chunk, outermost first (the article title is not included). */
  headingPath: string[];
  /** The chunk's own text. */
  text: string;
  /** Title + heading path: indexed with the chunk (weighted higher) and prepended before embedding. */
  context: string;
}
