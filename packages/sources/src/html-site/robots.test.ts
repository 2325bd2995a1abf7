import { describe, expect, it } from 'vitest';
import { RobotsRules } from './robots';

const UA = 'RelaiBot/1.0';

describe('RobotsRules', () => {
  it('lets the longest matching rule win, and Allow win a tie', () => {
    const robots = RobotsRules.parse(['User-agent: *', 'Disallow: /help/', 'Allow: /help/public', 'Disallow: /a', 'Allow: /a'].join('\n'));
    expect(robots.isAllowed(UA, '/help/private')).toBe(false);
    expect(robots.isAllowed(UA, '/help/public/page')).toBe(true);
    expect(robots.isAllowed(UA, '/a')).toBe(true);
    expect(robots.isAllowed(UA, '/elsewhere')).toBe(true);
  });

  it('understands * and $ wildcards and matches the query string too', () => {
    const robots = RobotsRules.parse('User-agent: *\nDisallow: /*.pdf$\nDisallow: /*?print=\nDisallow: /search*results');
    expect(robots.isAllowed(UA, '/docs/guide.pdf')).toBe(false);
    expect(robots.isAllowed(UA, '/docs/guide.pdf?download=1')).toBe(true);
    expect(robots.isAllowed(UA, '/article?print=1')).toBe(false);
    expect(robots.isAllowed(UA, '/search/all/results')).toBe(false);
  });

  it('uses the group naming our product token (case-insensitive) over the * group', () => {
    const robots = RobotsRules.parse(
      ['User-agent: *', 'Disallow: /', '', 'User-agent: googlebot', 'User-agent: RELAIBOT', 'Disallow: /drafts # not ready'].join('\n'),
    );
    expect(robots.isAllowed('RelaiBot/1.0 (+https://relai.example)', '/help')).toBe(true);
    expect(robots.isAllowed(UA, '/drafts/1')).toBe(false);
    expect(robots.isAllowed('OtherBot/2', '/help')).toBe(false);
  });

  it('treats an empty Disallow and a missing file as allowing everything', () => {
    expect(RobotsRules.parse('User-agent: *\nDisallow:').isAllowed(UA, '/x')).toBe(true);
    expect(RobotsRules.allowAll().isAllowed(UA, '/x')).toBe(true);
  });

  it('starts a new group when a user-agent line follows rules', () => {
    const robots = RobotsRules.parse('User-agent: relaibot\nDisallow: /one\nUser-agent: other\nDisallow: /two');
    expect(robots.isAllowed(UA, '/one')).toBe(false);
    expect(robots.isAllowed(UA, '/two')).toBe(true);
  });

  it('matches non-ASCII patterns against percent-encoded paths', () => {
    const robots = RobotsRules.parse('User-agent: *\nDisallow: /aide/réservé');
    expect(robots.isAllowed(UA, new URL('https://x.test/aide/réservé/1').pathname)).toBe(false);
  });
});
