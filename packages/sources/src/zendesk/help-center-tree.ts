import type { ZendeskCategory, ZendeskClient, ZendeskSection } from './zendesk-client';

/** Stops a parent_section_id cycle from looping forever. */
const MAX_DEPTH = 20;

/** Category and section names of one locale, to give each article its [category, …sections] path. */
export class HelpCenterTree {
  private readonly categories: Map<number, ZendeskCategory>;
  private readonly sections: Map<number, ZendeskSection>;

  constructor(categories: ZendeskCategory[], sections: ZendeskSection[]) {
    this.categories = new Map(categories.map((category) => [category.id, category]));
    this.sections = new Map(sections.map((section) => [section.id, section]));
  }

  static async load(client: ZendeskClient, locale: string, signal?: AbortSignal): Promise<HelpCenterTree> {
    const categories: ZendeskCategory[] = [];
    for await (const page of client.categories(locale, signal)) categories.push(...page);
    const sections: ZendeskSection[] = [];
    for await (const page of client.sections(locale, signal)) sections.push(...page);
    return new HelpCenterTree(categories, sections);
  }

  pathOf(sectionId: number | null | undefined): string[] {
    const names: string[] = [];
    let section = sectionId == null ? undefined : this.sections.get(sectionId);
    let categoryId: number | null | undefined;
    while (section && names.length < MAX_DEPTH) {
      names.unshift(section.name);
      categoryId = section.category_id;
      section = section.parent_section_id == null ? undefined : this.sections.get(section.parent_section_id);
    }
    const category = categoryId == null ? undefined : this.categories.get(categoryId);
    if (category) names.unshift(category.name);
    return names;
  }
}
