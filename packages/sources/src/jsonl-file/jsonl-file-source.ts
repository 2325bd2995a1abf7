import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import type { ArticleSource, ListingOptions, SourceArticle, SourceCursor, SourceListing } from '../interface';
import { createListing } from '../listing';

export const jsonlFileConfigSchema = z.object({ path: z.string().min(1) });
export type JsonlFileConfig = z.output<typeof jsonlFileConfigSchema>;
export type JsonlFileConfigInput = z.input<typeof jsonlFileConfigSchema>;

/**
 * Told about every line that is not a valid article. `externalId` is set when the line still had a
 * readable id: the sync engine should then keep that article rather than delete it as unlisted.
 */
export type InvalidLineHandler = (lineNumber: number, reason: string, externalId: string | null) => void;

export interface JsonlFileSourceOptions {
  onInvalid?: InvalidLineHandler;
}

const updatedAtSchema = z.union([z.string(), z.number()]).transform((value, context) => {
  // Numbers below 10^12 are epoch seconds (until year 33658), above are milliseconds.
  const date = typeof value === 'number' ? new Date(value < 1e12 ? value * 1000 : value) : new Date(value);
  if (Number.isNaN(date.getTime())) {
    context.addIssue({ code: 'custom', message: `not a date: ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return date;
});

/** One line of the eval format (extra fields, like mtrag's `passages`, are ignored). */
const jsonlArticleSchema = z
  .object({
    id: z.union([z.string().trim().min(1), z.number()]).transform(String),
    title: z.string(),
    url: z.string().nullish(),
    collection: z.string().nullish(),
    section: z.string().nullish(),
    language: z.string().nullish(),
    html: z.string().optional(),
    text: z.string().optional(),
    state: z.enum(['published', 'draft', 'deleted']).optional(),
    updated_at: updatedAtSchema.optional(),
    tags: z.array(z.string()).optional(),
  })
  .refine((line) => line.html !== undefined || line.text !== undefined, { message: 'needs html or text', path: ['html'] });

const idOnlySchema = z.object({ id: z.union([z.string().trim().min(1), z.number()]).transform(String) });

type ParsedLine = { kind: 'blank' } | { kind: 'article'; article: SourceArticle } | { kind: 'invalid'; reason: string; externalId: string | null };

function parseLine(text: string): ParsedLine {
  if (text.trim() === '') return { kind: 'blank' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { kind: 'invalid', reason: `invalid JSON: ${error instanceof Error ? error.message : String(error)}`, externalId: null };
  }
  const result = jsonlArticleSchema.safeParse(json);
  if (!result.success) {
    const id = idOnlySchema.safeParse(json);
    const reason = result.error.issues.map((issue) => `${issue.path.join('.') || '(line)'}: ${issue.message}`).join('; ');
    return { kind: 'invalid', reason, externalId: id.success ? id.data.id : null };
  }
  const line = result.data;
  return {
    kind: 'article',
    article: {
      externalId: line.id,
      title: line.title,
      url: line.url ?? null,
      collectionPath: [line.collection, line.section].map((part) => part?.trim() ?? '').filter((part) => part !== ''),
      locale: line.language ?? null,
      state: line.state ?? 'published',
      ...(line.html !== undefined ? { html: line.html } : {}),
      ...(line.text !== undefined ? { text: line.text } : {}),
      updatedAt: line.updated_at ?? null,
      ...(line.tags ? { tags: line.tags } : {}),
    },
  };
}

/** An articles.jsonl file (the eval sets' format), read line by line so large files stay cheap. */
export class JsonlFileSource implements ArticleSource {
  readonly kind = 'jsonl' as const;
  private readonly config: JsonlFileConfig;
  private readonly onInvalid: InvalidLineHandler;

  constructor(config: JsonlFileConfigInput, options: JsonlFileSourceOptions = {}) {
    this.config = jsonlFileConfigSchema.parse(config);
    // Never silent: without a handler, invalid lines still show up in the logs.
    this.onInvalid =
      options.onInvalid ??
      ((lineNumber, reason) => console.warn(`[jsonl-file] ${this.config.path}:${lineNumber} skipped: ${reason}`));
  }

  /**
   * Every valid line. An invalid line is skipped and reported through onInvalid, never fatal: one
   * bad line must not stop a 4,000-article import. It is reported with its id when readable, so the
   * engine can spare that article from the full sync's deletions.
   */
  listAll(options: ListingOptions = {}): SourceListing {
    return createListing(() => this.list(options.signal));
  }

  /** A file has no change feed; the content hash makes unchanged articles cheap downstream. */
  listChanged(_cursor: SourceCursor | null, options: ListingOptions = {}): SourceListing {
    return this.listAll(options);
  }

  /** Scans the file. A matching line that is invalid throws: answering null would delete the article. */
  async fetchOne(externalId: string, options: ListingOptions = {}): Promise<SourceArticle | null> {
    for await (const { lineNumber, text } of this.lines(options.signal)) {
      const parsed = parseLine(text);
      if (parsed.kind === 'article' && parsed.article.externalId === externalId) return parsed.article;
      if (parsed.kind === 'invalid' && parsed.externalId === externalId) {
        throw new Error(`${this.config.path}:${lineNumber}: article ${externalId} is invalid: ${parsed.reason}`);
      }
    }
    return null;
  }

  private async *list(signal?: AbortSignal): AsyncGenerator<SourceArticle, SourceCursor> {
    const firstLineOf = new Map<string, number>();
    for await (const { lineNumber, text } of this.lines(signal)) {
      const parsed = parseLine(text);
      if (parsed.kind === 'blank') continue;
      if (parsed.kind === 'invalid') {
        this.onInvalid(lineNumber, parsed.reason, parsed.externalId);
        continue;
      }
      const { externalId } = parsed.article;
      const first = firstLineOf.get(externalId);
      if (first !== undefined) {
        this.onInvalid(lineNumber, `duplicate id ${externalId} (first on line ${first}); kept the first`, null);
        continue;
      }
      firstLineOf.set(externalId, lineNumber);
      yield parsed.article;
    }
    return {};
  }

  private async *lines(signal?: AbortSignal): AsyncGenerator<{ lineNumber: number; text: string }> {
    // Fails with a clear ENOENT up front; readline does not always pass stream errors on.
    await stat(this.config.path);
    const input = createReadStream(this.config.path, { encoding: 'utf8', ...(signal ? { signal } : {}) });
    const reader = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
    let lineNumber = 0;
    try {
      for await (const line of reader) {
        lineNumber += 1;
        yield { lineNumber, text: lineNumber === 1 ? line.replace(/^\uFEFF/, '') : line };
      }
    } finally {
      reader.close();
      input.destroy();
    }
  }
}
