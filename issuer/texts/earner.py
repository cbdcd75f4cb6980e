"""Texts of the earner's pages (``/my``) and of the e-mails earners get."""

from __future__ import annotations

CATALOG: dict[str, tuple[str, str, str]] = {
    # ------------------------------------------------------------------ award e-mail
    "earner_mail_award_subject": (
        "Olet saanut osaamismerkin: {name}",
        "Du har fått ett kompetensmärke: {name}",
        "You have received a badge: {name}",
    ),
    "earner_mail_greeting": ("Hei {name},", "Hej {name},", "Hello {name},"),
    "earner_mail_greeting_plain": ("Hei,", "Hej,", "Hello,"),
    "earner_mail_award_intro": (
        "{issuer} on myöntänyt sinulle osaamismerkin.",
        "{issuer} har tilldelat dig ett kompetensmärke.",
        "{issuer} has awarded you a badge.",
    ),
    "earner_mail_open_my": (
        "Avaa omat merkkisi",
        "Öppna dina märken",
        "Open your badges",
    ),
    "earner_mail_my_hint": (
        "Omat merkkini -sivulla voit ladata merkin, jakaa sen, lisätä sen LinkedIn-profiiliisi "
        "tai digitaaliseen lompakkoon ja päättää, onko merkin sivu julkinen.",
        "På sidan Mina märken kan du ladda ner märket, dela det, lägga till det i din "
        "LinkedIn-profil eller i en digital plånbok och välja om märkets sida är offentlig.",
        "On My badges you can download the badge, share it, add it to your LinkedIn profile "
        "or a digital wallet, and choose whether the badge's page is public.",
    ),
    "earner_mail_my_expires": (
        "Linkki toimii kerran ja vanhenee {days} päivän kuluttua. Uuden linkin saat osoitteesta",
        "Länken fungerar en gång och går ut om {days} dagar. En ny länk får du på",
        "The link works once and expires in {days} days. Get a new link at",
    ),
    "earner_mail_view_badge": (
        "Merkin julkinen sivu",
        "Märkets offentliga sida",
        "The badge's public page",
    ),
    "earner_mail_footer": (
        "Sait tämän viestin, koska sinulle myönnettiin osaamismerkki Merkki-palvelussa. "
        "Merkki on allekirjoitettu Open Badges 3.0 -todiste, jonka aitouden kuka tahansa voi "
        "tarkistaa.",
        "Du får det här meddelandet eftersom du har tilldelats ett kompetensmärke i Merkki. "
        "Märket är ett signerat Open Badges 3.0-intyg som vem som helst kan kontrollera.",
        "You are receiving this message because you were awarded a badge through Merkki. "
        "The badge is a signed Open Badges 3.0 credential that anyone can verify.",
    ),
    # ------------------------------------------------------------------ magic-link e-mail
    "earner_mail_link_subject": (
        "Linkki omiin merkkeihisi",
        "Länk till dina märken",
        "Your link to My badges",
    ),
    "earner_mail_link_intro": (
        "Pyysit linkkiä Omat merkkini -sivulle. Avaa sivu tästä:",
        "Du bad om en länk till sidan Mina märken. Öppna sidan här:",
        "You asked for a link to My badges. Open the page here:",
    ),
    "earner_mail_link_expires": (
        "Linkki toimii kerran ja vanhenee {minutes} minuutin kuluttua.",
        "Länken fungerar en gång och går ut om {minutes} minuter.",
        "The link works once and expires in {minutes} minutes.",
    ),
    "earner_mail_link_ignore": (
        "Jos et pyytänyt linkkiä, voit jättää tämän viestin huomiotta.",
        "Om du inte bad om länken kan du bortse från det här meddelandet.",
        "If you did not ask for this link, you can ignore this message.",
    ),
    # ------------------------------------------------------------------ /my: sign-in
    "earner_title": ("Omat merkkini", "Mina märken", "My badges"),
    "earner_request_intro": (
        "Anna sähköpostiosoite, johon merkkisi on myönnetty. Lähetämme siihen "
        "kertakäyttöisen linkin, jolla pääset merkkeihisi. Salasanaa ei tarvita.",
        "Ange e-postadressen som dina märken har tilldelats. Vi skickar en engångslänk "
        "dit som öppnar dina märken. Inget lösenord behövs.",
        "Enter the e-mail address your badges were awarded to. We will send a one-time "
        "link to it that opens your badges. No password needed.",
    ),
    "earner_email_label": ("Sähköpostiosoite", "E-postadress", "E-mail address"),
    "earner_request_submit": ("Lähetä linkki", "Skicka länken", "Send the link"),
    "earner_request_sent": (
        "Jos tähän osoitteeseen on myönnetty merkkejä, lähetimme siihen linkin. Linkki toimii "
        "{minutes} minuuttia. Katso myös roskapostikansio.",
        "Om märken har tilldelats den här adressen har vi skickat en länk dit. Länken "
        "fungerar i {minutes} minuter. Titta även i skräpposten.",
        "If badges were awarded to this address, we have sent a link to it. The link works "
        "for {minutes} minutes. Check your spam folder too.",
    ),
    "earner_error_email": (
        "Anna sähköpostiosoite, esimerkiksi nimi@esimerkki.fi.",
        "Ange en e-postadress, till exempel namn@exempel.fi.",
        "Enter an e-mail address, for example name@example.com.",
    ),
    "earner_rate_limited": (
        "Liian monta pyyntöä. Yritä uudelleen hetken kuluttua.",
        "För många förfrågningar. Försök igen om en stund.",
        "Too many requests. Please try again in a moment.",
    ),
    "earner_link_title": ("Avaa omat merkkisi", "Öppna dina märken", "Open your badges"),
    "earner_link_intro": (
        "Tämä kertakäyttöinen linkki avaa Omat merkkini -sivun tässä selaimessa.",
        "Den här engångslänken öppnar sidan Mina märken i den här webbläsaren.",
        "This one-time link opens My badges in this browser.",
    ),
    "earner_link_submit": ("Avaa omat merkkini", "Öppna mina märken", "Open my badges"),
    "earner_link_invalid_title": (
        "Linkki ei enää toimi",
        "Länken fungerar inte längre",
        "This link no longer works",
    ),
    "earner_link_invalid": (
        "Linkki on jo käytetty tai se on vanhentunut. Pyydä uusi linkki sähköpostiisi.",
        "Länken har redan använts eller gått ut. Be om en ny länk till din e-post.",
        "The link has been used already or has expired. Ask for a new link by e-mail.",
    ),
    "earner_request_new": ("Pyydä uusi linkki", "Be om en ny länk", "Ask for a new link"),
    # ------------------------------------------------------------------ /my: the list
    "earner_intro": (
        "Kaikki sähköpostiosoitteeseesi myönnetyt merkit, kaikilta myöntäjiltä.",
        "Alla märken som tilldelats din e-postadress, från alla utfärdare.",
        "Every badge awarded to your e-mail address, from every issuer.",
    ),
    "earner_none": (
        "Sähköpostiosoitteeseesi ei ole myönnetty merkkejä.",
        "Inga märken har tilldelats din e-postadress.",
        "No badges have been awarded to your e-mail address.",
    ),
    "earner_count": ("Merkkejä: {count}", "Märken: {count}", "Badges: {count}"),
    "earner_sign_out": ("Kirjaudu ulos", "Logga ut", "Sign out"),
    "earner_signed_out": (
        "Olet kirjautunut ulos.",
        "Du har loggat ut.",
        "You have signed out.",
    ),
    "earner_open_page": ("Avaa merkin sivu", "Öppna märkets sida", "Open the badge's page"),
    "earner_privacy": ("Merkin sivu", "Märkets sida", "The badge's page"),
    "earner_public_on": (
        "Julkinen: kuka tahansa, jolla on osoite, näkee sivun.",
        "Offentlig: alla som har adressen kan se sidan.",
        "Public: anyone with the address can see the page.",
    ),
    "earner_public_off": (
        "Piilotettu: vain sinä näet sivun. Tiedostot ja tarkistus toimivat edelleen.",
        "Dold: bara du ser sidan. Filerna och kontrollen fungerar fortfarande.",
        "Hidden: only you can see the page. The files and verification still work.",
    ),
    "earner_make_private": ("Piilota sivu", "Dölj sidan", "Hide the page"),
    "earner_make_public": ("Julkaise sivu", "Publicera sidan", "Make the page public"),
    "earner_wallet": ("Lisää lompakkoon", "Lägg till i plånboken", "Add to a wallet"),
    "earner_wallet_credential": (
        "Todiste lompakkoon (VC JSON)",
        "Intyg för plånboken (VC JSON)",
        "Credential for a wallet (VC JSON)",
    ),
    "earner_wallet_presentation": (
        "Esitys lompakkoon (VerifiablePresentation)",
        "Presentation för plånboken (VerifiablePresentation)",
        "Presentation for a wallet (VerifiablePresentation)",
    ),
    "earner_wallet_hint": (
        "Learner Credential Wallet: Lisää todiste → Tuo tiedostosta, ja valitse ladattu "
        "tiedosto. Muut W3C VC -lompakot tuovat todisteen tai esityksen tiedostona.",
        "Learner Credential Wallet: Lägg till intyg → Importera från fil och välj den "
        "nedladdade filen. Andra W3C VC-plånböcker importerar intyget eller presentationen "
        "som fil.",
        "Learner Credential Wallet: Add credential → Import from file, and choose the "
        "downloaded file. Other W3C VC wallets import the credential or the presentation "
        "as a file.",
    ),
    "earner_pathways": ("Polkujen eteneminen", "Framsteg på stigarna", "Pathway progress"),
    "earner_pathway_progress": (
        "{done}/{total} merkkiä",
        "{done}/{total} märken",
        "{done} of {total} badges",
    ),
}
