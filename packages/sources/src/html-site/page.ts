import * as cheerio from 'cheerio';
import type { CheerioAPI } from 'cheerio';
import { normalizeUrl } from './site-urls';

export interface PageSelectors {
  /** Comma-separated, tried in order: the first that finds non-empty text wins. */
  title: string;
  /** Comma-separated, tried in order: the first that matches gives the body. */
  body: string;
}

export interface ExtractedPage {
  title: string;
  /** Outer HTML of the body match; null when no body selector matched (not an article page). */
  html: string | null;
  canonical: URL | null;
  noindex: boolean;
  nofollow: boolean;
  links: URL[];
  locale: string | null;
  collectionPath: string[];
}

/** Splits "a, b:is(c, d)" on top-level commas only. */
export function splitSelectorList(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of list) {
    if (char === '(' || char === '[') depth += 1;
    if (char === ')' || char === ']') depth -= 1;
    if (char === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current.trim());
  return parts.filter(Boolean);
}

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

function robotsDirectives($: CheerioAPI): Set<string> {
  const content = $('meta[name="robots" i]')
    .map((_, element) => $(element).attr('content') ?? '')
    .get()
    .join(',');
  return new Set(content.split(',').map((directive) => directive.trim().toLowerCase()));
}

const BREADCRUMB_CONTAINERS = 'nav[aria-label*="breadcrumb" i], .breadcrumb, .breadcrumbs, [itemtype*="BreadcrumbList"]';

/**
 * Names from the breadcrumb trail, without its first item when it links to the site root ("Home",
 * "Accueil") nor its last when it is the page itself.
 */
function breadcrumbPath($: CheerioAPI, pageUrl: URL, title: string): string[] {
  const container = $(BREADCRUMB_CONTAINERS).first();
  if (container.length === 0) return [];
  const itemElements = container.find('li').length > 0 ? container.find('li') : container.find('a');
  const items = itemElements
    .map((_, element) => {
      const link = $(element).is('a') ? $(element) : $(element).find('a').first();
      const href = link.attr('href');
      return {
        name: collapse($(element).text()),
        url: href ? normalizeUrl(href, pageUrl) : null,
        current: $(element).attr('aria-current') !== undefined || link.attr('aria-current') !== undefined,
      };
    })
    .get()
    .filter((item) => item.name !== '');
  const first = items[0];
  if (first?.url && first.url.origin === pageUrl.origin && first.url.pathname === '/') items.shift();
  const last = items.at(-1);
  if (last && (last.current || last.url === null || last.name === title || last.url.href === pageUrl.href)) items.pop();
  return items.map((item) => item.name);
}

export function extractPage(html: string, pageUrl: URL, selectors: PageSelectors): ExtractedPage {
  const $ = cheerio.load(html);
  const baseHref = $('base[href]').attr('href');
  const base = (baseHref && normalizeUrl(baseHref, pageUrl)) || pageUrl;

  let title = '';
  for (const selector of splitSelectorList(selectors.title)) {
    title = collapse($(selector).first().text());
    if (title) break;
  }

  let bodyHtml: string | null = null;
  for (const selector of splitSelectorList(selectors.body)) {
    const match = $(selector).first();
    if (match.length > 0) {
      bodyHtml = $.html(match);
      break;
    }
  }

  const directives = robotsDirectives($);
  const canonicalHref = $('link[rel~="canonical" i]').attr('href');
  const links = $('a[href]')
    .filter((_, element) => !/\bnofollow\b/i.test($(element).attr('rel') ?? ''))
    .map((_, element) => normalizeUrl($(element).attr('href') ?? '', base))
    .get()
    .filter((url): url is URL => url !== null);

  return {
    title: title || pageUrl.pathname,
    html: bodyHtml,
    canonical: canonicalHref ? normalizeUrl(canonicalHref, base) : null,
    noindex: directives.has('noindex') || directives.has('none'),
    nofollow: directives.has('nofollow') || directives.has('none'),
    links,
    locale: $('html').attr('lang')?.trim().toLowerCase() || null,
    collectionPath: breadcrumbPath($, pageUrl, title),
  };
}
