import type { MessageCatalog } from './templates.js';

/** Dutch mail and SMS templates (formal "u", as in the source document). */
export const nl: MessageCatalog = {
  'ticket.confirmation': {
    subject: '[#{number}] {title}',
    text:
      'Wij hebben uw verzoek ontvangen en ticket #{number} aangemaakt: {title}.\n\n' +
      'Wilt u informatie toevoegen of naar de status vragen? Beantwoord dan deze e-mail en laat [#{number}] ' +
      'in het onderwerp staan, of vermeld het ticketnummer wanneer u contact met ons opneemt.',
  },
  'ticket.reminder': {
    subject: '[#{number}] Wij wachten op uw reactie: {title}',
    text:
      'Ticket #{number} ({title}) wacht op uw reactie. ' +
      'Als wij niets van u horen, wordt het ticket op {autoResolveAt} automatisch als opgelost gemarkeerd.\n\n' +
      'Beantwoord deze e-mail om het ticket open te houden.',
  },
  'ticket.auto_solved': {
    subject: '[#{number}] Opgelost: {title}',
    text:
      'Omdat wij geen reactie van u hebben ontvangen, is ticket #{number} ({title}) automatisch als opgelost gemarkeerd.\n\n' +
      'Is het probleem nog niet verholpen? Beantwoord dan deze e-mail, dan pakken wij het weer op.',
  },
  'ticket.agent_reply': {
    subject: '[#{number}] Nieuwe reactie: {title}',
    text:
      '{body}\n\n' +
      '--\n' +
      'Ticket #{number}: {title}\n' +
      'U kunt reageren door deze e-mail te beantwoorden; laat [#{number}] in het onderwerp staan.',
  },
  'ticket.follow_up_created': {
    subject: '[#{number}] Vervolg op #{previousNumber}: {title}',
    text:
      'Ticket #{previousNumber} was al gesloten. Daarom hebben wij voor uw bericht een nieuw, gekoppeld ticket ' +
      'aangemaakt: #{number} – {title}.\n\n' +
      'Vermeld voortaan ticketnummer #{number}.',
  },
  'account.activation': {
    subject: 'Activeer uw account',
    text:
      'Beste {username},\n\n' +
      'Uw account is aangemaakt. Voordat u kunt inloggen, moet u het activeren via deze link:\n\n' +
      '{link}\n\n' +
      'De link is {expiresInHours} uur geldig. Hebt u zich niet geregistreerd? Dan kunt u deze e-mail negeren.',
  },
  'account.username_unavailable': {
    subject: 'De gebruikersnaam {username} is niet beschikbaar',
    text: 'Hallo,\n\nIemand (waarschijnlijk u) probeerde zich met dit e-mailadres te registreren onder de gebruikersnaam {username}. Die gebruikersnaam is al in gebruik, dus er is geen account aangemaakt.\n\nWas u het, registreer dan opnieuw met een andere gebruikersnaam. Was u het niet, dan kunt u dit bericht negeren.\n',
  },
  'account.already_registered': {
    subject: 'Iemand probeerde zich te registreren met uw e-mailadres',
    text:
      'Beste {username},\n\n' +
      'Iemand probeerde een nieuw account aan te maken met dit e-mailadres, dat al bij uw account hoort.\n\n' +
      'Was u dat zelf? Log dan in met uw bestaande account, of stel een nieuw wachtwoord in als u het bent vergeten. ' +
      'Was u het niet? Dan kunt u deze e-mail negeren; er is niets aan uw account gewijzigd.',
  },
  'password.reset_code': {
    subject: 'Uw code om uw wachtwoord opnieuw in te stellen',
    text: 'Uw herstelcode: {code}. {expiresInMinutes} minuten geldig. Deel deze code met niemand.',
  },
  'password.reset_link': {
    subject: 'Stel uw wachtwoord opnieuw in',
    text:
      'Wij hebben een verzoek ontvangen om uw wachtwoord opnieuw in te stellen. ' +
      'Kies een nieuw wachtwoord via deze link:\n\n' +
      '{link}\n\n' +
      'De link is {expiresInMinutes} minuten geldig en werkt één keer. ' +
      'Hebt u dit niet aangevraagd? Dan kunt u deze e-mail negeren; uw wachtwoord blijft ongewijzigd.',
  },
  'password.changed': {
    subject: 'Uw wachtwoord is gewijzigd',
    text:
      'Beste {username},\n\n' +
      'Het wachtwoord van uw account is zojuist gewijzigd.\n\n' +
      'Hebt u dit niet zelf gedaan? Stel dan direct een nieuw wachtwoord in en neem contact op met Ondersteuning.',
  },
  'username.reminder': {
    subject: 'Uw gebruikersnaam',
    text:
      'U hebt de gebruikersnamen opgevraagd die bij dit e-mailadres horen:\n\n' +
      '{usernames}\n\n' +
      'Hebt u dit niet aangevraagd? Dan kunt u deze e-mail negeren.',
  },
  'business.temporary_password': {
    subject: 'Uw inloggegevens als zakelijke gebruiker',
    text:
      'Er is een zakelijke gebruiker voor u aangemaakt.\n\n' +
      'Inlognaam: {login}\n' +
      'Tijdelijk wachtwoord: {password}\n\n' +
      'Het tijdelijke wachtwoord is {expiresInHours} uur geldig en werkt één keer: ' +
      'bij de eerste keer inloggen moet u een nieuw wachtwoord kiezen.',
  },
  'organization.sms_setting_changed': {
    subject: 'Instelling voor de sms-inlogcode gewijzigd – {organization}',
    text:
      '{changedBy} heeft de instelling voor de eenmalige sms-code bij het inloggen voor {organization} gewijzigd. ' +
      'Sms-code bij inloggen: {enabled}.\n\n' +
      'Had u deze wijziging niet verwacht? Neem dan direct contact op met Ondersteuning.',
  },
  'login.code': {
    subject: 'Uw inlogcode',
    text: 'Uw inlogcode: {code}. {expiresInMinutes} minuten geldig. Deel deze code met niemand. Deze sms is gratis.',
  },
  'recovery.notice': {
    subject: 'Accountherstel: {step}',
    text:
      'Er is een nieuwe stap in het herstel van uw account: {step}.\n\n' +
      'Hebt u geen herstel van uw account aangevraagd? Neem dan direct contact op met Ondersteuning; ' +
      'zolang de wachttijd loopt, kan het herstel nog worden geannuleerd.',
  },
  'recovery.requested': {
    subject: '[#{number}] Verzoek om accountherstel ontvangen',
    text:
      'We hebben je verzoek ontvangen om weer toegang te krijgen tot je account, onder ticket #{number}.\n\n' +
      'Support vraagt je om bewijs dat het account van jou is; antwoord met dat bewijs op dit ticket. ' +
      'Een verzoek zonder bewijs wordt na {expiresInDays} dagen gesloten.',
  },
  'recovery.opened': {
    subject: 'Iemand vroeg om herstel van je account {login}',
    text:
      'Er is gevraagd om herstel van je account {login}: de tweede factor zou kwijt zijn.\n\n' +
      'Was jij dit, dan hoef je nu niets te doen. Was jij het niet, annuleer het herstel dan hier: {cancelLink}',
  },
  'recovery.approved': {
    subject: 'Herstel van je account {login} goedgekeurd',
    text:
      'Support heeft het herstel van je account {login} goedgekeurd. ' +
      'Op {waitingEndsAt} wordt de oude tweede factor verwijderd en worden alle sessies beëindigd; ' +
      'bij de volgende login stel je een nieuwe in.\n\n' +
      'Heb je hier niet om gevraagd, annuleer het dan vóór dat moment: {cancelLink}',
  },
  'recovery.completed': {
    subject: 'Herstel van je account {login} voltooid',
    text:
      'Het herstel van je account {login} is voltooid: het oude {factor} werkt niet meer als factor ' +
      'en alle sessies zijn beëindigd. Bij de volgende login stel je een nieuwe in.\n\n' +
      'Heb je hier niet om gevraagd, neem dan direct contact op met support.',
  },
  'recovery.cancelled': {
    subject: 'Herstel van je account {login} geannuleerd',
    text: 'Het herstel van je account {login} is geannuleerd. Er is niets aan het account veranderd.',
  },
  'recovery.sms_opened': {
    subject: 'Accountherstel aangevraagd',
    text: 'Er is om herstel van je account gevraagd. Niet jij? Annuleer: {cancelLink}',
  },
  'recovery.sms_approved': {
    subject: 'Accountherstel goedgekeurd',
    text: 'Je accountherstel is goedgekeurd en wordt voltooid op {waitingEndsAt}. Niet jij? Annuleer: {cancelLink}',
  },
  'recovery.sms_closed': {
    subject: 'Accountherstel',
    text: 'Accountherstel: {step}. Niet jij? Neem direct contact op met support.',
  },
  'factor.enrolled': {
    subject: 'Nieuw telefoonnummer voor je account {login}',
    text:
      'Het nummer {maskedPhone} is ingesteld als tweede factor van je account {login}.\n\n' +
      'Heb jij dit niet gedaan, neem dan direct contact op met support.',
  },
};
