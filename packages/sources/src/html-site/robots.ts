import { pathPattern } from './path-pattern';
import type { PathPattern } from './path-pattern';

interface Rule {
  allow: boolean;
  pattern: PathPattern;
}

interface Group {
  agents: string[];
  rules: Rule[];
}

/** The product token a robots.txt group names: "RelaiBot/1.0 (+https://…)" → "relaibot". */
function productToken(userAgent: string): string {
  return (userAgent.trim().split(/[\s/]/)[0] ?? '').toLowerCase();
}

/** robots.txt as RFC 9309 reads it: groups by user-agent, longest matching rule wins, Allow wins ties. */
export class RobotsRules {
  private constructor(private readonly groups: Group[]) {}

  /** What a missing robots.txt (any 4xx) means: everything allowed. */
  static allowAll(): RobotsRules {
    return new RobotsRules([]);
  }

  static parse(text: string): RobotsRules {
    const groups: Group[] = [];
    let current: Group | null = null;
    let lastLineWasAgent = false;
    for (const rawLine of text.split(/\r\n|\r|\n/)) {
      const line = rawLine.replace(/#.*$/, '').trim();
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const key = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (key === 'user-agent') {
        // Consecutive user-agent lines share one group; one after rules starts a new group.
        if (!current || !lastLineWasAgent) {
          current = { agents: [], rules: [] };
          groups.push(current);
        }
        current.agents.push(value.toLowerCase());
        lastLineWasAgent = true;
        continue;
      }
      lastLineWasAgent = false;
      // An empty Disallow allows everything: it adds no rule.
      if ((key === 'allow' || key === 'disallow') && current && value !== '') {
        current.rules.push({ allow: key === 'allow', pattern: pathPattern(value) });
      }
    }
    return new RobotsRules(groups);
  }

  isAllowed(userAgent: string, pathAndQuery: string): boolean {
    if (pathAndQuery === '/robots.txt') return true;
    const rules = this.rulesFor(productToken(userAgent));
    let best: Rule | null = null;
    for (const rule of rules) {
      if (!rule.pattern.matches(pathAndQuery)) continue;
      const longer = !best || rule.pattern.length > best.pattern.length;
      const allowWinsTie = best !== null && rule.pattern.length === best.pattern.length && rule.allow;
      if (longer || allowWinsTie) best = rule;
    }
    return best?.allow ?? true;
  }

  /** The groups naming our product token, merged; else the `*` groups; else none (all allowed). */
  private rulesFor(token: string): Rule[] {
    const named = this.groups.filter((group) => group.agents.includes(token));
    const chosen = named.length > 0 ? named : this.groups.filter((group) => group.agents.includes('*'));
    return chosen.flatMap((group) => group.rules);
  }
}
