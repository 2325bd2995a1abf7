import { describe, expect, it } from 'vitest';
import { buildConversationQuery } from './conversation-query';

const weightOf = (query: ReturnType<typeof buildConversationQuery>, term: string) => query.terms.find((t) => t.term === term)?.weight ?? 0;

describe('buildConversationQuery', () => {
  it('searches a standalone question with its own words only', () => {
    const query = buildConversationQuery([{ role: 'user', text: 'Comment résilier mon abonnement annuel ?' }]);
    expect(query.terms.map((t) => t.term).sort()).toEqual(['abonnement', 'annuel', 'résilier']);
    expect(query.passages).toEqual([{ text: 'Comment résilier mon abonnement annuel ?', weight: 1 }]);
  });

  it('carries the topic of earlier turns into a short follow-up', () => {
    const query = buildConversationQuery([
      { role: 'user', text: 'I want to export my invoices for my accountant' },
      { role: 'agent', text: 'You can export them as FEC or CSV. Which format do you need?' },
      { role: 'user', text: 'and how much does it cost?' },
    ]);
    expect(weightOf(query, 'cost')).toBe(1);
    expect(weightOf(query, 'invoices')).toBeGreaterThan(0.5);
    expect(weightOf(query, 'fec')).toBeGreaterThan(0);
    expect(weightOf(query, 'invoices')).toBeLessThan(weightOf(query, 'cost'));
  });

  it('leans on the agent question when the customer only answers "Yes"', () => {
    const query = buildConversationQuery([
      { role: 'user', text: 'Am I entitled to the apprentice rate?' },
      { role: 'agent', text: 'Are you under 19?' },
      { role: 'user', text: 'Yes' },
    ]);
    expect(query.lastMessageWords).toBe(0);
    expect(weightOf(query, 'yes')).toBe(0);
    expect(weightOf(query, 'apprentice')).toBeGreaterThanOrEqual(0.9);
    expect(weightOf(query, '19')).toBeGreaterThan(0.5);
  });

  it('leaves out an agent answer: it quotes an article already given, it does not ask anything', () => {
    const query = buildConversationQuery([
      { role: 'user', text: 'How do I reset my password?' },
      { role: 'agent', text: 'Click "Forgot password" on the sign-in page. We email you a reset link valid for 30 minutes.' },
      { role: 'user', text: 'Where is my data hosted?' },
    ]);
    expect(weightOf(query, 'forgot')).toBe(0);
    expect(weightOf(query, 'hosted')).toBe(1);
  });

  it('fades older turns', () => {
    const query = buildConversationQuery([
      { role: 'user', text: 'parking permits' },
      { role: 'user', text: 'residential zones' },
      { role: 'user', text: 'visitor passes renewal online form' },
    ]);
    expect(weightOf(query, 'residential')).toBeGreaterThan(weightOf(query, 'parking'));
  });

  it('is deterministic', () => {
    const turns = [{ role: 'user' as const, text: 'Où sont hébergées mes données ? Hébergement en France ?' }];
    expect(buildConversationQuery(turns)).toEqual(buildConversationQuery(turns));
  });
});
