import type { IntercomArticle, IntercomCollection, IntercomSection } from './intercom-client';

interface Node {
  name: string;
  parentKey: string | null;
  helpCenterId: string | null;
}

/** Collections and (old API) sections live in separate id spaces, hence typed keys. */
const collectionKey = (id: string) => `collection:${id}`;
const sectionKey = (id: string) => `section:${id}`;

/** Deep enough for any real help center; stops a parent_id cycle from looping forever. */
const MAX_DEPTH = 20;

export interface ArticlePlacement {
  collectionPath: string[];
  /** Help centers of the root collections the article sits in (empty when it is in none). */
  helpCenterIds: Set<string>;
}

/** Names collections from the root down and finds where an article sits. */
export class CollectionTree {
  private readonly nodes = new Map<string, Node>();

  constructor(collections: IntercomCollection[], sections: IntercomSection[] = []) {
    for (const collection of collections) {
      this.nodes.set(collectionKey(collection.id), {
        name: collection.name,
        parentKey: collection.parent_id ? collectionKey(collection.parent_id) : null,
        helpCenterId: collection.help_center_id ?? null,
      });
    }
    for (const section of sections) {
      this.nodes.set(sectionKey(section.id), {
        name: section.name,
        parentKey: section.parent_id ? collectionKey(section.parent_id) : null,
        helpCenterId: null,
      });
    }
  }

  /** Among the collections the article is in, the deepest known one gives the path. */
  place(article: IntercomArticle): ArticlePlacement {
    const keys = (article.parent_ids ?? []).map(collectionKey);
    if (article.parent_id) {
      keys.push(article.parent_type === 'section' ? sectionKey(article.parent_id) : collectionKey(article.parent_id));
    }
    let collectionPath: string[] = [];
    const helpCenterIds = new Set<string>();
    for (const key of keys) {
      const chain = this.chain(key);
      if (chain.length === 0) continue;
      if (chain.length > collectionPath.length) collectionPath = chain.map((node) => node.name);
      const root = chain[0];
      if (root?.helpCenterId) helpCenterIds.add(root.helpCenterId);
    }
    return { collectionPath, helpCenterIds };
  }

  /** Nodes from the root down to `key`; empty when `key` is unknown. */
  private chain(key: string): Node[] {
    const chain: Node[] = [];
    let current: string | null = key;
    while (current !== null && chain.length < MAX_DEPTH) {
      const node = this.nodes.get(current);
      if (!node) break;
      chain.unshift(node);
      current = node.parentKey;
    }
    return chain;
  }
}
