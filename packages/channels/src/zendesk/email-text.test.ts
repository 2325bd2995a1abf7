import { describe, expect, it } from 'vitest';
import { newEmailText } from './email-text';

describe('the new part of an email reply', () => {
  it('keeps a plain message as it is', () => {
    expect(newEmailText('Comment réinitialiser mon mot de passe ?\n\nJe ne le retrouve plus.')).toBe('Comment réinitialiser mon mot de passe ?\n\nJe ne le retrouve plus.');
  });

  it('cuts the quoted earlier message under a French or English quote intro, even wrapped on two lines', () => {
    expect(newEmailText("Merci, et pour la 2FA ?\n\nLe lun. 3 nov. 2026 à 10:00, Facturo <support@facturo.example> a écrit :\n> Voici ce que j'ai trouvé")).toBe('Merci, et pour la 2FA ?');
    expect(newEmailText('Thanks, and for 2FA?\r\n\r\nOn Mon, Nov 3, 2026 at 10:00 AM Facturo <\r\nsupport@facturo.example> wrote:\r\n> Here is what I found')).toBe('Thanks, and for 2FA?');
  });

  it("cuts at Zendesk's reply marker and at an Outlook header block", () => {
    expect(newEmailText('Still broken.\n##- Veuillez écrire votre réponse au-dessus de cette ligne -##\nVotre demande (35436)')).toBe('Still broken.');
    expect(newEmailText('Ça ne marche pas.\n\n________________________________\nDe : Facturo <support@facturo.example>\nEnvoyé : lundi 3 novembre 2026 10:00')).toBe('Ça ne marche pas.');
    expect(newEmailText('It fails.\n\nFrom: Facturo <support@facturo.example>\nSent: Monday, November 3, 2026 10:00 AM\nTo: Ada')).toBe('It fails.');
    expect(newEmailText('Voir plus bas.\n-----Original Message-----\nbla')).toBe('Voir plus bas.');
  });

  it('drops the signature, the mobile footer and the sign-off with the name under it', () => {
    expect(newEmailText('Où sont mes factures ?\n\nCordialement,\nMarie Curie\nComptable')).toBe('Où sont mes factures ?');
    expect(newEmailText('Where are my invoices?\n\nBest regards\nAda\n-- \nAda Lovelace | Analytical Engines')).toBe('Where are my invoices?');
    expect(newEmailText('Où sont mes factures ?\n\nEnvoyé de mon iPhone')).toBe('Où sont mes factures ?');
  });

  it('keeps a message that is only a sign-off word, and a sign-off word inside the question', () => {
    expect(newEmailText('Cordialement')).toBe('Cordialement');
    expect(newEmailText('Merci !')).toBe('Merci !');
  });

  it('keeps a bottom-posted reply written under the quote', () => {
    expect(newEmailText('On Mon, Nov 3, 2026 at 10:00 AM Facturo wrote:\n> Here is what I found\n> Reset it from the login page.\n\nThat link does not work.')).toBe('That link does not work.');
  });
});
