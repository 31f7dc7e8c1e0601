import type { MessageCatalog } from './templates.js';

/**
 * Hungarian mail and SMS templates. Register: tegező (informal "te") everywhere, as in the
 * Hungarian source ("léphetsz be", "add meg"): the host's own login pages already address the
 * reader this way, so a magázó mail would switch register mid-flow; it also keeps SMS short.
 * No bare article before a placeholder ("a" / "az" depends on how the value is pronounced):
 * "a(z)", or a noun in between.
 */
export const hu: MessageCatalog = {
  'ticket.confirmation': {
    subject: '[#{number}] {title}',
    text:
      'Megkaptuk a kérésedet. A bejelentésed száma: #{number} – {title}.\n\n' +
      'Ha további információt küldenél, vagy az ügy állásáról érdeklődnél, válaszolj erre az e-mailre úgy, ' +
      'hogy a tárgyban megmaradjon a [#{number}] hivatkozás, vagy add meg a bejelentés számát, ' +
      'amikor felveszed velünk a kapcsolatot.',
  },
  'ticket.reminder': {
    subject: '[#{number}] Válaszodra várunk: {title}',
    text:
      'A bejelentésed (#{number}, {title}) a válaszodra vár. ' +
      'Ha nem jelentkezel, {autoResolveAt} időpontban automatikusan megoldottnak jelöljük.\n\n' +
      'Ha szeretnéd nyitva tartani, válaszolj erre az e-mailre.',
  },
  'ticket.auto_solved': {
    subject: '[#{number}] Megoldva: {title}',
    text:
      'Mivel nem kaptunk tőled választ, a bejelentésedet (#{number}, {title}) automatikusan megoldottnak jelöltük.\n\n' +
      'Ha a probléma továbbra is fennáll, válaszolj erre az e-mailre, és újra foglalkozunk vele.',
  },
  'ticket.agent_reply': {
    subject: '[#{number}] Új válasz: {title}',
    text:
      '{body}\n\n' +
      '--\n' +
      'Bejelentés: #{number} – {title}\n' +
      'Ha válaszolnál, egyszerűen válaszolj erre az e-mailre, és hagyd a tárgyban a [#{number}] hivatkozást.',
  },
  'ticket.follow_up_created': {
    subject: '[#{number}] Folytatás (#{previousNumber}): {title}',
    text:
      'A korábbi bejelentésed (#{previousNumber}) már le van zárva, ezért az üzenetedhez új, ' +
      'kapcsolódó bejelentést nyitottunk: #{number} – {title}.\n\n' +
      'A továbbiakban kérjük, erre a számra hivatkozz: #{number}.',
  },
  'account.activation': {
    subject: 'Aktiváld a fiókodat',
    text:
      'Kedves {name}!\n\n' +
      'Létrehoztuk a fiókodat. Mielőtt bejelentkezhetnél, aktiválnod kell az alábbi hivatkozással:\n\n' +
      '{link}\n\n' +
      'A hivatkozás érvényességi ideje: {expiresIn}. Ha nem te regisztráltál, hagyd figyelmen kívül ezt az e-mailt.',
  },
  'account.username_unavailable': {
    subject: 'A(z) {username} felhasználónév nem szabad',
    text: 'Szia!\n\nValaki (valószínűleg te) a(z) {username} felhasználónévvel próbált regisztrálni ezzel az e-mail-címmel. Ez a felhasználónév már foglalt, ezért nem jött létre fiók.\n\nHa te voltál, regisztrálj újra egy másik felhasználónévvel. Ha nem te voltál, nyugodtan hagyd figyelmen kívül ezt az üzenetet.\n',
  },
  'account.already_registered': {
    subject: 'Valaki a te e-mail-címeddel próbált regisztrálni',
    text:
      'Kedves {name}!\n\n' +
      'Valaki új fiókot próbált regisztrálni ezzel az e-mail-címmel, amely már a(z) {login} fiókodhoz tartozik.\n\n' +
      'Ha te voltál, jelentkezz be a meglévő fiókoddal, vagy ha elfelejtetted a jelszavadat, ' +
      'válaszd a „Nem tudom a jelszavam” lehetőséget. ' +
      'Ha nem te voltál, hagyd figyelmen kívül ezt az e-mailt – a fiókod nem változott.',
  },
  'password.reset_code': {
    subject: 'Jelszó-visszaállító kódod',
    // One UCS-2 SMS (70 units) with a 10-digit code and the longest lifetime wording ("539 másodperc"):
    // "titkos" says "do not share it"; "Érvényes:" takes any unit without a case ending.
    text: 'Titkos jelszó-visszaállító kód: {code}. Érvényes: {expiresIn}.',
  },
  'password.reset_link': {
    subject: 'Új jelszó megadása',
    text:
      'Jelszó-visszaállítást kértek a fiókodhoz. Új jelszót az alábbi hivatkozáson adhatsz meg:\n\n' +
      '{link}\n\n' +
      'A hivatkozás csak egyszer használható, érvényességi ideje: {expiresIn}. ' +
      'Ha nem te kérted, hagyd figyelmen kívül ezt az e-mailt – a jelszavad nem változik.',
  },
  'password.changed': {
    subject: 'Megváltozott a jelszavad',
    text:
      'Kedves {name}!\n\n' +
      'A fiókod jelszavát az imént megváltoztatták.\n\n' +
      'Ha nem te voltál, azonnal adj meg új jelszót, és vedd fel a kapcsolatot az ügyfélszolgálattal.',
  },
  'username.reminder': {
    subject: 'Felhasználóneveid',
    text:
      'Az ehhez az e-mail-címhez tartozó felhasználóneveket kérted:\n\n' +
      '{usernames}\n\n' +
      'Ha nem te kérted, hagyd figyelmen kívül ezt az e-mailt.',
  },
  'business.temporary_password': {
    subject: 'Üzleti felhasználód belépési adatai',
    text:
      'Üzleti felhasználót hoztunk létre számodra.\n\n' +
      'Belépési azonosító: {login}\n' +
      'Ideiglenes jelszó: {password}\n\n' +
      'Az ideiglenes jelszó egyszer használható, érvényességi ideje: {expiresIn}. ' +
      'Az első belépés után kötelező megváltoztatni.',
  },
  'organization.sms_setting_changed': {
    subject: 'Módosult a belépési SMS-kód beállítása – {organization}',
    text:
      'A belépéshez használt egyszer használatos SMS-kód beállítását {changedBy} módosította. ' +
      'Cég: {organization}. SMS-kód belépéskor: {enabled}.\n\n' +
      'Ha nem számítottál erre a változásra, azonnal vedd fel a kapcsolatot az ügyfélszolgálattal.',
  },
  'login.code': {
    subject: 'Belépési kódod',
    // One UCS-2 SMS (70 units) with a 10-digit code and the longest lifetime wording ("539 másodperc"):
    // "titkos" says "do not share it", "díjmentes" that the SMS costs nothing.
    text: 'Titkos belépési kód: {code}. Érvényes: {expiresIn}. Díjmentes.',
  },
  'recovery.notice': {
    subject: 'A(z) {login} fiók helyreállítása: {step}',
    text:
      'Új fejlemény a(z) {login} fiókod helyreállítására vonatkozó kérésben: {step}.\n\n' +
      'A kérés lezárult, a fiókodon semmi sem változott. ' +
      'Ha nem te kérted a helyreállítást, vedd fel a kapcsolatot az ügyfélszolgálattal.',
  },
  'recovery.requester_notice': {
    subject: '[#{number}] Fiók-helyreállítás: {step}',
    text:
      'Új fejlemény a fiókod helyreállítására vonatkozó kérésedben (#{number}): {step}.\n\n' +
      'Ha további információt küldenél, válaszolj erre az e-mailre úgy, ' +
      'hogy a tárgyban megmaradjon a [#{number}] hivatkozás.',
  },
  'recovery.requested': {
    subject: '[#{number}] Megkaptuk a fiók-helyreállítási kérésedet',
    text:
      'Megkaptuk a fiókod helyreállítására vonatkozó kérésedet, és #{number} számon rögzítettük.\n\n' +
      'Az ügyfélszolgálat bizonyítékot fog kérni arra, hogy a fiók a tiéd; ezt erre a bejelentésre válaszolva küldd el. ' +
      'A bizonyíték nélküli kérést {expiresIn} után lezárjuk.',
  },
  'recovery.opened': {
    subject: 'Valaki kérte a(z) {login} fiók helyreállítását',
    text:
      'Kérték a(z) {login} fiókod helyreállítását arra hivatkozva, hogy a második azonosítási tényező elveszett.\n\n' +
      'Ha te kérted, most nincs teendőd. Ha nem te voltál, itt visszavonhatod: {cancelLink}',
  },
  'recovery.approved': {
    subject: 'A(z) {login} fiók helyreállítása jóváhagyva',
    text:
      'Az ügyfélszolgálat jóváhagyta a(z) {login} fiókod helyreállítását. ' +
      '{waitingEndsAt} időpontban a régi második tényezőt töröljük, és minden munkamenetet lezárunk; ' +
      'a következő belépéskor újat kell beállítanod.\n\n' +
      'Ha nem te kérted, addig még visszavonhatod: {cancelLink}',
  },
  'recovery.completed': {
    subject: 'A(z) {login} fiók helyreállítása befejeződött',
    text:
      'A(z) {login} fiókod helyreállítása befejeződött: a korábbi {factor} már nem használható második tényezőként, ' +
      'és minden munkamenetet lezártunk. A következő belépéskor új második tényezőt kell beállítanod.\n\n' +
      'Ha nem te kérted, azonnal vedd fel a kapcsolatot az ügyfélszolgálattal.',
  },
  'recovery.cancelled': {
    subject: 'A(z) {login} fiók helyreállítása visszavonva',
    text: 'A(z) {login} fiókod helyreállítását visszavonták. A fiókon semmi sem változott.',
  },
  // The SMS with the cancel link use GSM-7 letters only (é, ö, ü; no á, í, ó, ő, ú, ű): the link leaves 35 septets.
  'recovery.sms_opened': {
    subject: 'Fiók-helyreállítási kérés',
    text: 'Belépésed cseréjét kérték. Nem te? {cancelLink}',
  },
  'recovery.sms_approved': {
    subject: 'Fiók-helyreállítás jóváhagyva',
    text: 'Belépéscsere: {waitingEndsAt} {cancelLink}',
  },
  'recovery.sms_closed': {
    subject: 'Fiók-helyreállítás',
    text: 'Fiók-helyreállítás: {step}. Nem te kérted? Hívj minket azonnal!',
  },
  'factor.enrolled': {
    subject: 'Új telefonszám a(z) {login} fiókhoz',
    text:
      'A(z) {maskedPhone} telefonszámot állították be a(z) {login} fiókod második tényezőjeként.\n\n' +
      'Ha nem te voltál, azonnal vedd fel a kapcsolatot az ügyfélszolgálattal.',
  },
  // ── factors ──
  'factor.added': {
    subject: 'Új második tényező a(z) {login} fiókban',
    text:
      'A(z) {factor} második tényezőt hozzáadták a(z) {login} fiókodhoz.\n\n' +
      'Ha nem te voltál, azonnal vedd fel a kapcsolatot az ügyfélszolgálattal.',
  },
  'factor.removed': {
    subject: 'Második tényezőt töröltek a(z) {login} fiókból',
    text:
      'A(z) {factor} második tényezőt eltávolították a(z) {login} fiókodból.\n\n' +
      'Ha nem te voltál, azonnal vedd fel a kapcsolatot az ügyfélszolgálattal.',
  },
  'factor.renamed': {
    subject: 'Átnevezték a(z) {login} fiók egyik második tényezőjét',
    text:
      'A(z) {login} fiókod {previous} második tényezőjének új neve: {factor}.\n\n' +
      'Ha nem te voltál, azonnal vedd fel a kapcsolatot az ügyfélszolgálattal.',
  },
  'factor.email_code': {
    subject: 'Belépési kódod',
    text: 'Belépési kódod: {code}. Érvényességi idő: {expiresIn}. Ne add meg senkinek.',
  },
  'factor.sms_confirm_code': {
    subject: 'Telefon hozzáadása a fiókodhoz',
    // One UCS-2 SMS (70 units) with a 10-digit code and the longest lifetime wording ("539 másodperc"):
    // the purpose heads the text; there is no room left for "ha nem te kérted".
    text: 'Telefon hozzáadása a fiókodhoz: {code}. Érvényes: {expiresIn}.',
  },
  'factor.email_confirm_code': {
    subject: 'E-mail-cím hozzáadása a(z) {login} fiókhoz',
    text:
      'Add meg ezt a kódot, hogy ezt az e-mail-címet második tényezőként hozzáadd a(z) {login} fiókodhoz: {code}. ' +
      'Érvényességi idő: {expiresIn}. Ne oszd meg senkivel. Ha nem te kérted, hagyd figyelmen kívül ezt a levelet.',
  },
  'email.change_code': {
    subject: 'Erősítsd meg a(z) {login} fiók új e-mail-címét',
    text:
      'Add meg ezt a kódot, hogy ez legyen a(z) {login} fiókod e-mail-címe: {code}. ' +
      'Érvényességi idő: {expiresIn}. Ha nem te kérted, hagyd figyelmen kívül ezt a levelet.',
  },
  'email.changed': {
    subject: 'Megváltozott a(z) {login} fiók e-mail-címe',
    text:
      'A(z) {login} fiókod e-mail-címe erre változott: {newEmail}. Erre a címre több levelet nem küldünk.\n\n' +
      'Ha nem te voltál, azonnal vedd fel a kapcsolatot az ügyfélszolgálattal.',
  },
  // ── tickets: people ──
  'ticket.status_solved': {
    subject: '[#{number}] Megoldva: {title}',
    text:
      'Kedves {name}!\n\n' +
      'A(z) #{number} számú bejelentést ({title}) megoldottnak jelöltük.\n\n' +
      'Ha a probléma nem oldódott meg, válaszolj erre a levélre, és a bejelentés újra megnyílik.',
  },
  'ticket.status_on_hold': {
    subject: '[#{number}] Felfüggesztve: {title}',
    text:
      'Kedves {name}!\n\n' +
      'A(z) #{number} számú bejelentést ({title}) felfüggesztettük: váratlan működést tapasztaltunk, ' +
      'és dolgozunk a javításán. Amint előrelépés történik, jelentkezünk.',
  },
  'ticket.status_resumed': {
    subject: '[#{number}] Újra folyamatban: {title}',
    text:
      'Kedves {name}!\n\n' +
      'A(z) #{number} számú bejelentés ({title}) felfüggesztése véget ért: az ügyfélszolgálat ismét dolgozik rajta.',
  },
  'ticket.status_reopened': {
    subject: '[#{number}] Újra megnyitva: {title}',
    text:
      'Kedves {name}!\n\n' +
      'A(z) #{number} számú bejelentés ({title}) egy új válasz nyomán újra megnyílt, az ügyfélszolgálat ismét foglalkozik vele.',
  },
  'ticket.survey': {
    subject: '[#{number}] Elégedett voltál? {title}',
    text:
      'Kedves {name}!\n\n' +
      'A(z) #{number} számú bejelentésedet ({title}) nemrég megoldottuk. Kérjük, jelezd, hogy elégedett voltál-e ' +
      'a segítséggel: értékeld jónak vagy rossznak ezen a linken (egyszer használható):\n\n' +
      '{link}',
  },
  'ticket.requester_replied': {
    subject: '[#{number}] Az ügyfél válaszolt: {title}',
    text: '{body}\n\n--\nÚj válasz az ügyfél oldaláról a(z) #{number} számú bejelentésben: {title}.',
  },
  'ticket.requester_reopened': {
    subject: '[#{number}] Az ügyfél újranyitotta: {title}',
    text: '{body}\n\n--\nEz a válasz újranyitotta a megoldott #{number} számú bejelentést: {title}.',
  },
  // ── tickets: shape ──
  'ticket.confirmation_guest': {
    subject: '[#{number}] {title}',
    text:
      'Megkaptuk a kérésedet. A bejelentésed száma: #{number} – {title}.\n\n' +
      'Itt követheted és válaszolhatsz rá: {link}\n\nA linket ne add tovább: aki ismeri, olvashatja és megválaszolhatja a bejelentést. Erre az e-mailre is válaszolhatsz, ha a tárgyban megmarad a [#{number}] hivatkozás.',
  },
};
