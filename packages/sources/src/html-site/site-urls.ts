/** Files a help-center crawl has no use for, recognised before spending a request on them. */
const NON_HTML_EXTENSION =
  /\.(pdf|zip|gz|tgz|rar|7z|png|jpe?g|gif|webp|avif|svg|ico|bmp|tiff?|mp3|mp4|m4a|mov|avi|webm|wav|ogg|docx?|xlsx?|pptx?|odt|ods|csv|exe|dmg|apk|iso|woff2?|ttf|eot|css|js|json|xml|rss|atom)$/i;

/** An absolute http(s) URL without fragment or credentials, or null for anything else (mailto:, javascript:, junk). */
export function normalizeUrl(raw: string, base?: string | URL): URL | null {
  let url: URL;
  try {
    url = new URL(raw.trim(), base);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.hash = '';
  url.username = '';
  url.password = '';
  return url;
}

export function looksLikeNonHtmlFile(url: URL): boolean {
  return NON_HTML_EXTENSION.test(url.pathname);
}

export function isHtmlContentType(contentType: string | null): boolean {
  // No header at all: let the parser decide rather than drop the page.
  if (contentType === null) return true;
  return /^\s*(text\/html|application\/xhtml\+xml)\b/i.test(contentType);
}

export const pathAndQuery = (url: URL): string => `${url.pathname}${url.search}`;
