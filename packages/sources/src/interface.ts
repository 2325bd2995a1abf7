/**
 * What every help-center connector produces. The sync engine (packages/ingest) only ever sees this
 * shape, so adding a platform means adding a folder here, nothing more.
 */

export type SourceKind = 'intercom' | 'zendesk' | 'html-site' | 'jsonl' | 'folder';

/** Published articles are searchable; drafts and deleted ones must leave the index. */
export type ArticleState = 'published' | 'draft' | 'deleted';

export interface SourceArticle {
  /** Stable id in the source (Intercom article id, Zendesk article id + locale, URL for sites). */
  externalId: string;
  title: string;
  url: string | null;
  /** Collection / category / section names from the root down, e.g. ["Billing", "Refunds"]. */
  collectionPath: string[];
  /** Locale as the source reports it ("fr", "en-us"), or null when unknown. */
  locale: string | null;
  state: ArticleState;
  /** HTML body when the source serves HTML. At least one of html and text is set. */
  html?: string;
  /** Plain-text (or Markdown) body when the source has no HTML. */
  text?: string;
  /** Last edit time in the source, or null when the source does not say. */
  updatedAt: Date | null;
  tags?: string[];
}

/**
 * Opaque to the sync engine; stored per source between runs. Each connector documents its own
 * fields (Intercom: newest updated_at seen; Zendesk: incremental export start_time).
 */
export type SourceCursor = Record<string, unknown>;

export interface ListingOptions {
  signal?: AbortSignal;
  /** Called when the connector learns how many articles it will list (for progress bars). */
  onTotal?: (total: number) => void;
}

export interface SourceListing {
  articles: AsyncIterable<SourceArticle>;
  /** Only valid once `articles` has been fully consumed: where the next incremental run starts. */
  cursor(): SourceCursor;
}

export interface ArticleSource {
  readonly kind: SourceKind;
  /**
   * Every article the source holds now, including drafts (state tells). A full sync removes from the
   * index whatever this listing did not yield, so it must either complete or throw.
   */
  listAll(options?: ListingOptions): SourceListing;
  /** Articles changed since `cursor` (null: since the beginning). Deletions come as state "deleted" where the platform reports them. */
  listChanged(cursor: SourceCursor | null, options?: ListingOptions): SourceListing;
  /** One article by external id (webhooks that carry only an id); null when the source no longer has it. */
  fetchOne(externalId: string, options?: ListingOptions): Promise<SourceArticle | null>;
}
