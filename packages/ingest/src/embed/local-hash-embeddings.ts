import { Embeddings } from '@langchain/core/embeddings';

export interface LocalHashEmbeddingsOptions {
  /** Vector size. Default 512. */
  dimensions?: number;
}

/** Bump whenever features, weights or hashing change: vectors of different versions do not compare. */
const ALGORITHM = 'local-hash-ngram-v1';

const MIN_GRAM = 3;
const MAX_GRAM = 5;
/** A whole word says more than any one of its n-grams. */
const WORD_WEIGHT = 2;
/** Stopwords still count a little: "pas" or "not" can matter. */
const STOPWORD_WEIGHT = 0.25;
/** Documents embedded between two yields to the event loop, so a worker stays responsive. */
const YIELD_EVERY = 256;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
// Words and n-grams hash from different seeds, so the word "abc" and the n-gram " abc " stay apart.
const WORD_SEED = FNV_OFFSET ^ 0x5bd1e995;

const STOPWORDS = `
  le la les l un une des du de d au aux et ou est sont a ai as avez avons ont ce cet cette ces ca c qui que qu quoi
  dans en par pour sur avec sans sous chez pas ne n plus tres tout tous je j tu il elle on nous vous ils elles me m te
  t se s mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs y lui si mais donc comme etre avoir fait
  the a an and or is are was were be been being to of in on at by for with from as it its this that these those
  i you he she we they me my your our their them do does did have has had not no so if but can will would should
  how what when where which who there here then than into about`;

/**
 * Offline embeddings that need no model file: signed feature hashing of accent-folded character
 * 3-5-grams (within words) plus whole words, sublinear term frequency, L2-normalised. Catches shared
 * words and word stems ("annuler" / "annulation"), not synonyms. Deterministic across runs and machines.
 */
export class LocalHashEmbeddings extends Embeddings {
  readonly dimensions: number;
  private readonly counts = new FeatureCounts();

  constructor(options: LocalHashEmbeddingsOptions = {}) {
    super({});
    this.dimensions = options.dimensions ?? 512;
    if (!Number.isInteger(this.dimensions) || this.dimensions < 8 || this.dimensions > 16_384) {
      throw new RangeError(`dimensions must be an integer between 8 and 16384, got ${this.dimensions}`);
    }
  }

  /** Stored with every vector: changes with the algorithm version and the dimensions. */
  get modelId(): string {
    return `${ALGORITHM}-${this.dimensions}`;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let i = 0; i < texts.length; i++) {
      if (i > 0 && i % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
      vectors.push(Array.from(this.vectorOf(texts[i] ?? '')));
    }
    return vectors;
  }

  async embedQuery(text: string): Promise<number[]> {
    return Array.from(this.vectorOf(text));
  }

  /** Text with no letter or digit gets the zero vector. */
  private vectorOf(text: string): Float32Array {
    const folded = fold(text);
    const counts = this.counts;
    counts.clear();
    let i = 0;
    while (i < folded.length) {
      if (!isWordChar(folded.charCodeAt(i))) {
        i++;
        continue;
      }
      let end = i + 1;
      while (end < folded.length && isWordChar(folded.charCodeAt(end))) end++;
      addWordFeatures(folded, i, end, counts);
      i = end;
    }

    const vector = new Float32Array(this.dimensions);
    for (let slot = 0; slot < counts.size; slot++) {
      const mixed = fmix32(counts.keyAt(slot));
      // Low bits pick the dimension, the top bit the sign: collisions then cancel out on average.
      const index = (mixed & 0x7fffffff) % this.dimensions;
      const value = Math.log1p(counts.countAt(slot));
      vector[index] = (vector[index] ?? 0) + (mixed >>> 31 === 1 ? -value : value);
    }
    let norm = 0;
    for (const value of vector) norm += value * value;
    if (norm > 0) {
      const scale = 1 / Math.sqrt(norm);
      for (let d = 0; d < vector.length; d++) vector[d] = (vector[d] ?? 0) * scale;
    }
    return vector;
  }
}

function addWordFeatures(text: string, start: number, end: number, counts: FeatureCounts): void {
  let wordHash = WORD_SEED;
  for (let i = start; i < end; i++) wordHash = Math.imul(wordHash ^ text.charCodeAt(i), FNV_PRIME);
  const weight = STOPWORD_HASHES.has(wordHash >>> 0) ? STOPWORD_WEIGHT : 1;
  counts.add(wordHash >>> 0, WORD_WEIGHT * weight);

  // N-grams of the word padded with a space each side (" fac", "ture "), hashed incrementally so no
  // substring is ever allocated: each start position extends one hash through lengths 3, 4 and 5.
  const padded = end - start + 2;
  for (let from = 0; from + MIN_GRAM <= padded; from++) {
    let hash = FNV_OFFSET;
    const last = Math.min(from + MAX_GRAM, padded);
    for (let at = from; at < last; at++) {
      const code = at === 0 || at === padded - 1 ? 32 : text.charCodeAt(start + at - 1);
      hash = Math.imul(hash ^ code, FNV_PRIME);
      if (at - from + 1 >= MIN_GRAM) counts.add(hash >>> 0, weight);
    }
  }
}

/** Lowercase, accents removed ("Résilier" -> "resilier"), French ligatures spelled out. */
function fold(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(/\p{M}+/gu, '').replace(/œ/g, 'oe').replace(/æ/g, 'ae');
}

const WORD_CHARS = buildWordCharTable();

/** Letters and digits of the Basic Multilingual Plane; everything else separates words. */
function buildWordCharTable(): Uint8Array {
  const table = new Uint8Array(0x10000);
  const wordChar = /[\p{L}\p{N}]/u;
  for (let code = 0; code < 0x10000; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue; // surrogate halves
    if (wordChar.test(String.fromCharCode(code))) table[code] = 1;
  }
  return table;
}

function isWordChar(code: number): boolean {
  return WORD_CHARS[code] === 1;
}

const STOPWORD_HASHES = new Set(
  STOPWORDS.split(/\s+/)
    .filter(Boolean)
    .map((word) => {
      let hash = WORD_SEED;
      for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), FNV_PRIME);
      return hash >>> 0;
    }),
);

/** murmur3's finaliser: spreads FNV's weak low bits before they pick a dimension. */
function fmix32(input: number): number {
  let h = input;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Feature hash -> weighted count, as an open-addressing table reused across texts: sublinear tf needs
 * per-feature counts, and a Map would allocate for every one of the ~3 features per character.
 */
class FeatureCounts {
  size = 0;
  private keys = new Uint32Array(4096);
  private counts = new Float32Array(4096);
  private slots = new Int32Array(2048);

  clear(): void {
    for (let i = 0; i < this.size; i++) this.keys[this.slots[i] ?? 0] = 0;
    this.size = 0;
  }

  keyAt(i: number): number {
    return this.keys[this.slots[i] ?? 0] ?? 0;
  }

  countAt(i: number): number {
    return this.counts[this.slots[i] ?? 0] ?? 0;
  }

  add(hash: number, weight: number): void {
    const key = hash === 0 ? 1 : hash; // 0 marks an empty slot
    const mask = this.keys.length - 1;
    let slot = (key ^ (key >>> 15)) & mask;
    for (;;) {
      const existing = this.keys[slot];
      if (existing === key) {
        this.counts[slot] = (this.counts[slot] ?? 0) + weight;
        return;
      }
      if (existing === 0) break;
      slot = (slot + 1) & mask;
    }
    this.keys[slot] = key;
    this.counts[slot] = weight;
    this.slots[this.size++] = slot;
    if (this.size * 2 >= this.keys.length) this.grow();
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldCounts = this.counts;
    const oldSlots = this.slots.subarray(0, this.size);
    const size = this.size;
    this.keys = new Uint32Array(oldKeys.length * 2);
    this.counts = new Float32Array(oldKeys.length * 2);
    this.slots = new Int32Array(oldKeys.length);
    this.size = 0;
    for (let i = 0; i < size; i++) {
      const slot = oldSlots[i] ?? 0;
      this.add(oldKeys[slot] ?? 0, oldCounts[slot] ?? 0);
    }
  }
}
