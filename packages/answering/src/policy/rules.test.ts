import { describe, expect, it } from 'vitest';
import type { TopicRule } from '../agent-settings';
import { matchTopicRule } from './rules';

const article = { collectionPath: ['Facturation', 'Factures et devis', 'Export'], tags: ['comptabilité', 'PDF'] };

describe('matchTopicRule', () => {
  it('matches a collection on the top-level collection only', () => {
    const rules: TopicRule[] = [{ when: { collection: 'Factures et devis' }, action: 'send' }, { when: { collection: 'facturation' }, action: 'suggest', team: 'billing' }];
    expect(matchTopicRule(article, rules)).toBe(rules[1]);
  });

  it('matches a section anywhere below the collection, without case or accents', () => {
    const rules: TopicRule[] = [{ when: { section: 'FACTURES ET DEVIS' }, action: 'nothing' }];
    expect(matchTopicRule(article, rules)).toBe(rules[0]);
    expect(matchTopicRule(article, [{ when: { section: 'Facturation' }, action: 'nothing' }])).toBeNull();
  });

  it('matches a tag, accents aside (French and English tags)', () => {
    expect(matchTopicRule(article, [{ when: { tag: 'comptabilite' }, action: 'send', team: 'billing' }])?.action).toBe('send');
    expect(matchTopicRule(article, [{ when: { tag: 'pdf' }, action: 'answer' }])?.action).toBe('answer');
    expect(matchTopicRule(article, [{ when: { tag: 'refund' }, action: 'send' }])).toBeNull();
  });

  it('needs every condition of a rule to hold', () => {
    expect(matchTopicRule(article, [{ when: { collection: 'Facturation', tag: 'refund' }, action: 'send' }])).toBeNull();
    expect(matchTopicRule(article, [{ when: { collection: 'Facturation', tag: 'PDF' }, action: 'send' }])?.action).toBe('send');
  });

  it('lets the first matching rule win', () => {
    const rules: TopicRule[] = [
      { name: 'exports', when: { section: 'Export' }, action: 'answer' },
      { name: 'billing', when: { collection: 'Facturation' }, action: 'send' },
    ];
    expect(matchTopicRule(article, rules)?.name).toBe('exports');
  });

  it('matches nothing for an article without collection or tags', () => {
    expect(matchTopicRule({ collectionPath: [], tags: [] }, [{ when: { collection: 'Facturation' }, action: 'send' }])).toBeNull();
  });
});
