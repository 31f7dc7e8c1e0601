import type { MessageCatalog } from './templates.js';

/**
 * Dutch mail and SMS templates. Register: formal "u" / "uw" everywhere, as in the source
 * document; never "je" / "jij". "Hebt u" (not "heeft u") throughout, and "onze helpdesk"
 * rather than a capitalised "Ondersteuning" in running text.
 */
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
      'Beste {name},\n\n' +
      'Uw account is aangemaakt. Voordat u kunt inloggen, moet u het activeren via deze link:\n\n' +
      '{link}\n\n' +
      'De link is {expiresIn} geldig. Hebt u zich niet geregistreerd? Dan kunt u deze e-mail negeren.',
  },
  'account.username_unavailable': {
    subject: 'De gebruikersnaam {username} is niet beschikbaar',
    text: 'Hallo,\n\nIemand (waarschijnlijk u) probeerde zich met dit e-mailadres te registreren onder de gebruikersnaam {username}. Die gebruikersnaam is al in gebruik, dus er is geen account aangemaakt.\n\nWas u dat zelf? Registreer dan opnieuw met een andere gebruikersnaam. Zo niet, dan kunt u dit bericht negeren.\n',
  },
  'account.already_registered': {
    subject: 'Iemand probeerde zich te registreren met uw e-mailadres',
    text:
      'Beste {name},\n\n' +
      'Iemand probeerde een nieuw account aan te maken met dit e-mailadres, dat al bij uw account {login} hoort.\n\n' +
      'Was u dat zelf? Log dan in met uw bestaande account, of stel een nieuw wachtwoord in als u het bent vergeten. ' +
      'Was u het niet? Dan kunt u deze e-mail negeren; er is niets aan uw account gewijzigd.',
  },
  'password.reset_code': {
    subject: 'Uw code voor een nieuw wachtwoord',
    text: 'Uw code voor een nieuw wachtwoord: {code}. {expiresIn} geldig. Deel deze code met niemand.',
  },
  'password.reset_link': {
    subject: 'Stel uw wachtwoord opnieuw in',
    text:
      'Wij hebben een verzoek ontvangen om uw wachtwoord opnieuw in te stellen. ' +
      'Kies een nieuw wachtwoord via deze link:\n\n' +
      '{link}\n\n' +
      'De link is {expiresIn} geldig en werkt één keer. ' +
      'Hebt u dit niet aangevraagd? Dan kunt u deze e-mail negeren; uw wachtwoord blijft ongewijzigd.',
  },
  'password.changed': {
    subject: 'Uw wachtwoord is gewijzigd',
    text:
      'Beste {name},\n\n' +
      'Het wachtwoord van uw account is zojuist gewijzigd.\n\n' +
      'Hebt u dit niet zelf gedaan? Stel dan direct een nieuw wachtwoord in en neem contact op met onze helpdesk.',
  },
  'username.reminder': {
    subject: 'Uw gebruikersnamen',
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
      'Het tijdelijke wachtwoord is {expiresIn} geldig en werkt één keer: ' +
      'bij de eerste keer inloggen moet u een nieuw wachtwoord kiezen.',
  },
  'organization.sms_setting_changed': {
    subject: 'Instelling voor de sms-inlogcode gewijzigd – {organization}',
    text:
      '{changedBy} heeft de instelling voor de eenmalige sms-code bij het inloggen voor {organization} gewijzigd. ' +
      'Sms-code bij inloggen: {enabled}.\n\n' +
      'Had u deze wijziging niet verwacht? Neem dan direct contact op met onze helpdesk.',
  },
  'login.code': {
    subject: 'Uw inlogcode',
    text: 'Uw inlogcode: {code}. {expiresIn} geldig. Deel deze code met niemand. Deze sms is gratis.',
  },
  'recovery.notice': {
    subject: 'Herstel van uw account {login}: {step}',
    text:
      'Er is nieuws over het verzoek om uw account {login} te herstellen: {step}.\n\n' +
      'Het verzoek is afgesloten en er is niets aan uw account gewijzigd. ' +
      'Hebt u geen herstel van uw account aangevraagd? Neem dan contact op met onze helpdesk.',
  },
  'recovery.requester_notice': {
    subject: '[#{number}] Accountherstel: {step}',
    text:
      'Er is nieuws over uw verzoek om weer toegang tot uw account te krijgen (ticket #{number}): {step}.\n\n' +
      'Wilt u informatie toevoegen? Beantwoord dan deze e-mail en laat [#{number}] in het onderwerp staan.',
  },
  'recovery.requested': {
    subject: '[#{number}] Verzoek om accountherstel ontvangen',
    text:
      'Wij hebben uw verzoek om weer toegang tot uw account te krijgen ontvangen en geregistreerd onder ticket #{number}.\n\n' +
      'Onze helpdesk vraagt u om bewijs dat het account van u is; stuur dat bewijs als antwoord op dit ticket. ' +
      'Een verzoek zonder bewijs wordt na {expiresIn} gesloten.',
  },
  'recovery.opened': {
    subject: 'Iemand heeft herstel van uw account {login} aangevraagd',
    text:
      'Er is herstel van uw account {login} aangevraagd, omdat de tweede factor kwijt zou zijn.\n\n' +
      'Hebt u dit zelf aangevraagd? Dan hoeft u nu niets te doen. Zo niet, annuleer het herstel dan hier: {cancelLink}',
  },
  'recovery.approved': {
    subject: 'Herstel van uw account {login} goedgekeurd',
    text:
      'Onze helpdesk heeft het herstel van uw account {login} goedgekeurd. ' +
      'Op {waitingEndsAt} wordt de oude tweede factor verwijderd en worden alle sessies beëindigd; ' +
      'bij de volgende keer inloggen stelt u een nieuwe tweede factor in.\n\n' +
      'Hebt u hier niet om gevraagd? Annuleer het herstel dan vóór dat moment: {cancelLink}',
  },
  'recovery.completed': {
    subject: 'Herstel van uw account {login} voltooid',
    text:
      'Het herstel van uw account {login} is voltooid: uw vorige {factor} geldt niet meer als tweede factor ' +
      'en alle sessies zijn beëindigd. Bij de volgende keer inloggen stelt u een nieuwe tweede factor in.\n\n' +
      'Hebt u hier niet om gevraagd? Neem dan direct contact op met onze helpdesk.',
  },
  'recovery.cancelled': {
    subject: 'Herstel van uw account {login} geannuleerd',
    text: 'Het herstel van uw account {login} is geannuleerd. Er is niets aan uw account gewijzigd.',
  },
  // The SMS with the cancel link: the link leaves 35 GSM-7 septets, the date 15 more (one segment).
  'recovery.sms_opened': {
    subject: 'Accountherstel aangevraagd',
    text: 'Niet u? Annuleer accountherstel: {cancelLink}',
  },
  'recovery.sms_approved': {
    subject: 'Accountherstel goedgekeurd',
    text: 'Herstel op {waitingEndsAt}: {cancelLink}',
  },
  'recovery.sms_closed': {
    subject: 'Accountherstel',
    text: 'Accountherstel: {step}. Was u dit niet? Neem direct contact op met onze helpdesk.',
  },
  'factor.enrolled': {
    subject: 'Nieuw telefoonnummer voor uw account {login}',
    text:
      'Het nummer {maskedPhone} is ingesteld als tweede factor van uw account {login}.\n\n' +
      'Hebt u dit niet zelf gedaan? Neem dan direct contact op met onze helpdesk.',
  },
  // ── factors ──
  'factor.added': {
    subject: 'Tweede factor toegevoegd aan uw account {login}',
    text:
      'De tweede factor {factor} is toegevoegd aan uw account {login}.\n\n' +
      'Hebt u dit niet zelf gedaan? Neem dan direct contact op met onze helpdesk.',
  },
  'factor.removed': {
    subject: 'Tweede factor verwijderd van uw account {login}',
    text:
      'De tweede factor {factor} is verwijderd van uw account {login}.\n\n' +
      'Hebt u dit niet zelf gedaan? Neem dan direct contact op met onze helpdesk.',
  },
  'factor.renamed': {
    subject: 'Tweede factor van uw account {login} hernoemd',
    text:
      'De tweede factor {previous} van uw account {login} heet nu {factor}.\n\n' +
      'Hebt u dit niet zelf gedaan? Neem dan direct contact op met onze helpdesk.',
  },
  'factor.email_code': {
    subject: 'Uw inlogcode',
    text: 'Uw inlogcode: {code}. {expiresIn} geldig. Deel deze code met niemand.',
  },
  'factor.sms_confirm_code': {
    subject: 'Uw code om deze telefoon toe te voegen',
    text:
      'Uw code om deze telefoon aan uw account toe te voegen: {code}. {expiresIn} geldig. ' +
      'Hebt u dit niet aangevraagd? Dan kunt u deze sms negeren.',
  },
  'factor.email_confirm_code': {
    subject: 'Voeg dit e-mailadres toe aan uw account {login}',
    text:
      'Voer deze code in om dit e-mailadres als tweede factor aan uw account {login} toe te voegen: {code}. ' +
      '{expiresIn} geldig. Deel deze code met niemand. ' +
      'Hebt u dit niet aangevraagd? Dan kunt u deze e-mail negeren.',
  },
  'email.change_code': {
    subject: 'Bevestig uw nieuwe e-mailadres voor {login}',
    text:
      'Voer deze code in om dit het e-mailadres van uw account {login} te maken: {code}. ' +
      '{expiresIn} geldig. Hebt u dit niet aangevraagd? Dan kunt u deze e-mail negeren.',
  },
  'email.changed': {
    subject: 'Het e-mailadres van uw account {login} is gewijzigd',
    text:
      'Het e-mailadres van uw account {login} is gewijzigd in {newEmail}. Dit adres krijgt geen e-mail meer van ons.\n\n' +
      'Hebt u dit niet zelf gedaan? Neem dan direct contact op met onze helpdesk.',
  },
  // ── tickets: people ──
  'ticket.status_solved': {
    subject: '[#{number}] Opgelost: {title}',
    text:
      'Beste {name},\n\n' +
      'Ticket #{number} ({title}) is als opgelost gemarkeerd.\n\n' +
      'Is het probleem niet verholpen? Beantwoord dan deze e-mail en het ticket wordt heropend.',
  },
  'ticket.status_on_hold': {
    subject: '[#{number}] In de wacht: {title}',
    text:
      'Beste {name},\n\n' +
      'Ticket #{number} ({title}) staat in de wacht: wij zijn onverwacht gedrag tegengekomen en werken aan een oplossing. ' +
      'Wij laten het u weten zodra er voortgang is.',
  },
  // A resumed ticket is Open again; "In behandeling" is the source's name for pending (waiting for the requester).
  'ticket.status_resumed': {
    subject: '[#{number}] Niet langer in de wacht: {title}',
    text:
      'Beste {name},\n\n' +
      'Ticket #{number} ({title}) staat niet langer in de wacht en is weer Open: ' +
      'onze helpdesk werkt weer actief aan uw verzoek.',
  },
  'ticket.status_reopened': {
    subject: '[#{number}] Heropend: {title}',
    text:
      'Beste {name},\n\n' +
      'Ticket #{number} ({title}) is na een nieuwe reactie heropend; onze helpdesk pakt het weer op.',
  },
  'ticket.survey': {
    subject: '[#{number}] Hoe hebben wij het gedaan? {title}',
    text:
      'Beste {name},\n\n' +
      'Uw ticket #{number} ({title}) is onlangs opgelost. Laat ons weten of u goed bent geholpen: ' +
      'kies goed of slecht via deze link (eenmalig te gebruiken):\n\n' +
      '{link}',
  },
  'ticket.requester_replied': {
    subject: '[#{number}] De aanvrager heeft gereageerd: {title}',
    text: '{body}\n\n--\nEen nieuwe reactie van de kant van de aanvrager op ticket #{number}: {title}.',
  },
  'ticket.requester_reopened': {
    subject: '[#{number}] Heropend door de aanvrager: {title}',
    text: '{body}\n\n--\nDeze reactie heeft het opgeloste ticket #{number} heropend: {title}.',
  },
  // ── tickets: shape ──
  'ticket.confirmation_guest': {
    subject: '[#{number}] {title}',
    text:
      'Wij hebben uw verzoek ontvangen en ticket #{number} aangemaakt: {title}.\n\n' +
      'Volg uw ticket en reageer hier: {link}\n\nDeel deze link met niemand: wie hem heeft, kan het ticket lezen en beantwoorden. U kunt ook deze e-mail beantwoorden en [#{number}] in het onderwerp laten staan.',
  },
};
