import type { Dirent } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import * as cheerio from 'cheerio';
import { Marked } from 'marked';
import type { Token, Tokens } from 'marked';
import { z } from 'zod';
import type { ArticleSource, ArticleState, ListingOptions, SourceArticle, SourceCursor, SourceListing } from '../interface';
import { createListing } from '../listing';
import { parseFrontMatter } from './front-matter';
import type { FrontMatterValue } from './front-matter';

export const folderConfigSchema = z.object({ path: z.string().min(1) });
export type FolderConfig = z.output<typeof folderConfigSchema>;
export type FolderConfigInput = z.input<typeof folderConfigSchema>;

const MARKDOWN_EXTENSIONS = new Set(['.md', '.markdown']);
const HTML_EXTENSIONS = new Set(['.html', '.htm']);

/** An instance of its own, so options set on the global `marked` elsewhere cannot change our output. */
const markdown = new Marked({ gfm: true });

const text = (value: FrontMatterValue | undefined): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

function listValue(value: FrontMatterValue | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = Array.isArray(value) ? value : value.split(',');
  return items.map((item) => item.trim()).filter(Boolean);
}

const isArticleState = (value: string): value is ArticleState => value === 'published' || value === 'draft' || value === 'deleted';

/** The first `# Heading`, as plain text ("**Bold** title" → "Bold title"). */
function firstHeading(tokens: Token[]): string | null {
  const heading = tokens.find((token): token is Tokens.Heading => token.type === 'heading' && token.depth === 1);
  const inline = heading?.tokens ?? [];
  return inline.map((token) => ('text' in token ? token.text : '')).join('').trim() || null;
}

/** A folder of Markdown (with optional front matter) and HTML files, e.g. a docs repo checked out on disk. */
export class FolderSource implements ArticleSource {
  readonly kind = 'folder' as const;
  private readonly root: string;

  constructor(config: FolderConfigInput) {
    this.root = resolve(folderConfigSchema.parse(config).path);
  }

  listAll(options: ListingOptions = {}): SourceListing {
    return createListing(() => this.list(options));
  }

  /** Files have no change feed; the content hash makes unchanged articles cheap downstream. */
  listChanged(_cursor: SourceCursor | null, options: ListingOptions = {}): SourceListing {
    return this.listAll(options);
  }

  /** By relative path (cheap), else by front matter id (scans the folder). */
  async fetchOne(externalId: string, options: ListingOptions = {}): Promise<SourceArticle | null> {
    const candidate = resolve(this.root, externalId);
    const fromRoot = relative(this.root, candidate);
    const insideRoot = fromRoot !== '' && !fromRoot.startsWith('..') && !isAbsolute(fromRoot);
    if (insideRoot && this.isArticleFile(candidate) && (await stat(candidate).catch(() => null))?.isFile()) {
      const article = await this.readArticle(fromRoot.split(sep).join('/'));
      if (article.externalId === externalId) return article;
    }
    for (const file of await this.files()) {
      options.signal?.throwIfAborted();
      const article = await this.readArticle(file);
      if (article.externalId === externalId) return article;
    }
    return null;
  }

  private async *list(options: ListingOptions): AsyncGenerator<SourceArticle, SourceCursor> {
    const files = await this.files();
    options.onTotal?.(files.length);
    for (const file of files) {
      options.signal?.throwIfAborted();
      yield await this.readArticle(file);
    }
    return {};
  }

  private isArticleFile(path: string): boolean {
    const extension = extname(path).toLowerCase();
    return MARKDOWN_EXTENSIONS.has(extension) || HTML_EXTENSIONS.has(extension);
  }

  /**
   * Article files as sorted posix paths relative to the root. Hidden entries (.git, .obsidian) are
   * skipped, and symlinks are not followed: one could lead outside the folder.
   */
  private async files(): Promise<string[]> {
    const found: string[] = [];
    const walk = async (directory: string): Promise<void> => {
      const entries: Dirent[] = await readdir(directory, { withFileTypes: true });
      for (const entry of entries) {
        if (entry.name.startsWith('.')) continue;
        const path = join(directory, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (entry.isFile() && this.isArticleFile(entry.name)) found.push(relative(this.root, path).split(sep).join('/'));
      }
    };
    await walk(this.root);
    // Code-point order: the same on every machine, whatever its locale.
    return found.sort();
  }

  private async readArticle(relativePath: string): Promise<SourceArticle> {
    const absolute = join(this.root, ...relativePath.split('/'));
    const [content, info] = await Promise.all([readFile(absolute, 'utf8'), stat(absolute)]);
    const folders = relativePath.split('/').slice(0, -1);
    const fileTitle = basename(relativePath, extname(relativePath));

    if (HTML_EXTENSIONS.has(extname(relativePath).toLowerCase())) {
      const $ = cheerio.load(content);
      return {
        externalId: relativePath,
        title: $('title').first().text().trim() || $('h1').first().text().trim() || fileTitle,
        url: null,
        collectionPath: folders,
        locale: $('html').attr('lang')?.trim().toLowerCase() || null,
        state: 'published',
        html: $.html($('body')),
        updatedAt: info.mtime,
      };
    }

    const { data, body } = parseFrontMatter(content);
    const tokens = markdown.lexer(body);
    const declaredPath = [text(data.collection), text(data.section)].filter((part): part is string => part !== null);
    const state = text(data.state)?.toLowerCase() ?? 'published';
    const tags = listValue(data.tags);
    return {
      externalId: text(data.id) ?? relativePath,
      title: text(data.title) ?? firstHeading(tokens) ?? fileTitle,
      url: text(data.url),
      collectionPath: declaredPath.length > 0 ? declaredPath : folders,
      locale: text(data.language),
      // An unknown state ("archived", a typo) keeps the article out of search rather than in.
      state: isArticleState(state) ? state : 'draft',
      html: markdown.parser(tokens),
      updatedAt: info.mtime,
      ...(tags ? { tags } : {}),
    };
  }
}
