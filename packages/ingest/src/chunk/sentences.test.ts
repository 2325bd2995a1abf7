import { describe, expect, it } from 'vitest';
import { sentenceStarts } from './sentences';

const split = (text: string) => {
  const starts = sentenceStarts(text);
  return starts.map((start, i) => text.slice(start, starts[i + 1]).trim());
};

describe('sentenceStarts', () => {
  it('splits French and English sentences, French spacing before ? and ! included', () => {
    expect(split('Comment annuler ? Ouvrez Paramètres ! Puis confirmez. Done? Yes… It works.')).toEqual([
      'Comment annuler ?',
      'Ouvrez Paramètres !',
      'Puis confirmez.',
      'Done?',
      'Yes…',
      'It works.',
    ]);
  });

  it('does not split after abbreviations, initials or inside decimals', () => {
    const text =
      'Utilisez un moyen de paiement, p. ex. Visa ou SEPA. TVA non applicable, art. 293 B du CGI. Le taux passe à 3.5 % en 2025. Use a card, e.g. Visa. Contactez M. Dupont ou J. Martin. Sortie (cf. Annexe) prévue.';
    expect(split(text)).toEqual([
      'Utilisez un moyen de paiement, p. ex. Visa ou SEPA.',
      'TVA non applicable, art. 293 B du CGI.',
      'Le taux passe à 3.5 % en 2025.',
      'Use a card, e.g. Visa.',
      'Contactez M. Dupont ou J. Martin.',
      'Sortie (cf. Annexe) prévue.',
    ]);
  });

  it('does not split before a lowercase word, and always splits at a line break', () => {
    expect(split('Bonjour ! je reviens vers vous.\n- premier point\n- second point')).toEqual([
      'Bonjour ! je reviens vers vous.',
      '- premier point',
      '- second point',
    ]);
  });

  it('keeps closing quotes and brackets with the sentence they end', () => {
    expect(split('Cliquez sur « Résilier. » Ensuite (facultatif.) Fin.')).toEqual(['Cliquez sur « Résilier. »', 'Ensuite (facultatif.)', 'Fin.']);
  });
});
