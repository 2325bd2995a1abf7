import type { SourceArticle, SourceListing } from '../interface';

export async function collect(listing: SourceListing): Promise<SourceArticle[]> {
  const articles: SourceArticle[] = [];
  for await (const article of listing.articles) articles.push(article);
  return articles;
}
