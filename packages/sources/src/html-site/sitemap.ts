import * as cheerio from 'cheerio';

export interface SitemapEntry {
  loc: string;
  lastmod: Date | null;
}

export type Sitemap = { kind: 'urlset'; entries: SitemapEntry[] } | { kind: 'index'; sitemaps: string[] };

function parseDate(text: string): Date | null {
  if (text === '') return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A sitemaps.org <urlset> (pages with lastmod) or <sitemapindex> (more sitemaps). */
export function parseSitemap(xml: string): Sitemap {
  const $ = cheerio.load(xml, { xml: true });
  if ($('sitemapindex').length > 0) {
    return {
      kind: 'index',
      sitemaps: $('sitemapindex > sitemap > loc')
        .map((_, element) => $(element).text().trim())
        .get()
        .filter(Boolean),
    };
  }
  return {
    kind: 'urlset',
    entries: $('urlset > url')
      .map((_, element) => ({
        loc: $(element).children('loc').text().trim(),
        lastmod: parseDate($(element).children('lastmod').text().trim()),
      }))
      .get()
      .filter((entry) => entry.loc !== ''),
  };
}
