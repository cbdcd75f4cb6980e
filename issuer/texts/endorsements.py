"""Texts of endorsements: the public endorse pages, the confirmation mail, the badge page's
"Endorsements" section and the texts that go into EndorsementCredentials."""

from __future__ import annotations

CATALOG: dict[str, tuple[str, str, str]] = {
    # ------------------------------------------------------------------ relations
    "endorse_relation_peer": ("vertainen", "kollega", "peer"),
    "endorse_relation_mentor": ("mentori", "mentor", "mentor"),
    "endorse_relation_mentee": ("mentoroitava", "adept", "mentee"),
    "endorse_relation_partner": ("kumppaniorganisaatio", "partnerorganisation", "partner"),
    # ------------------------------------------------------------------ in the credential
    "endorse_credential_name": (
        "Suositus: {target}",
        "Rekommendation: {target}",
        "Endorsement: {target}",
    ),
    "endorse_credential_description": (
        "{name} ({relation}) suosittelee: {target}",
        "{name} ({relation}) rekommenderar: {target}",
        "{name} ({relation}) endorses: {target}",
    ),
    "endorse_credential_description_plain": (
        "{name} suosittelee: {target}",
        "{name} rekommenderar: {target}",
        "{name} endorses: {target}",
    ),
    "endorse_person_profile": (
        "Merkin ylläpitämä suosittelijan tunnus, vahvistettu sähköpostilla.",
        "En rekommendentidentitet som Merkki förvaltar, bekräftad via e-post.",
        "An endorser identity hosted by Merkki, confirmed by e-mail.",
    ),
    # ------------------------------------------------------------------ /endorse/{target}
    "endorse_title_award": (
        "Suosittele tätä merkkiä",
        "Rekommendera det här märket",
        "Endorse this badge",
    ),
    "endorse_title_achievement": (
        "Suosittele tätä osaamismerkkiä",
        "Rekommendera det här kompetensmärket",
        "Endorse this achievement",
    ),
    "endorse_intro": (
        "Kerro lyhyesti, miksi suosittelet. Lähetämme vahvistuslinkin sähköpostiisi; "
        "suositus julkaistaan allekirjoitettuna, kun vahvistat sen. Sähköpostiosoitettasi ei "
        "näytetä.",
        "Berätta kort varför du rekommenderar. Vi skickar en bekräftelselänk till din e-post; "
        "rekommendationen publiceras signerad när du bekräftar den. Din e-postadress visas inte.",
        "Say briefly why you endorse it. We send a confirmation link to your e-mail; the "
        "endorsement is published, signed, once you confirm it. Your e-mail address is not shown.",
    ),
    "endorse_name": ("Nimesi", "Ditt namn", "Your name"),
    "endorse_email": ("Sähköpostiosoitteesi", "Din e-postadress", "Your e-mail address"),
    "endorse_relation": ("Suhteesi merkin saajaan", "Din relation", "Your relation"),
    "endorse_statement": ("Suositus", "Rekommendation", "Statement"),
    "endorse_statement_help": (
        "Enintään {limit} merkkiä, millä kielellä tahansa.",
        "Högst {limit} tecken, på vilket språk som helst.",
        "At most {limit} characters, in any language.",
    ),
    "endorse_submit": (
        "Lähetä vahvistuslinkki",
        "Skicka bekräftelselänk",
        "Send confirmation link",
    ),
    "endorse_sent_title": ("Tarkista sähköpostisi", "Kontrollera din e-post", "Check your e-mail"),
    "endorse_sent_text": (
        "Lähetimme vahvistuslinkin. Suositus julkaistaan, kun avaat linkin ja vahvistat sen "
        "{hours} tunnin kuluessa.",
        "Vi skickade en bekräftelselänk. Rekommendationen publiceras när du öppnar länken och "
        "bekräftar den inom {hours} timmar.",
        "We sent a confirmation link. The endorsement is published when you open it and confirm "
        "within {hours} hours.",
    ),
    "endorse_confirm_title": (
        "Vahvista suosituksesi",
        "Bekräfta din rekommendation",
        "Confirm your endorsement",
    ),
    "endorse_confirm_text": (
        "Kun vahvistat, Merkki allekirjoittaa suosituksesi Open Badges 3.0 -suosituksena "
        "(EndorsementCredential) nimelläsi ja julkaisee sen.",
        "När du bekräftar signerar Merkki din rekommendation som en Open Badges 3.0-"
        "rekommendation (EndorsementCredential) i ditt namn och publicerar den.",
        "When you confirm, Merkki signs your statement as an Open Badges 3.0 "
        "EndorsementCredential in your name and publishes it.",
    ),
    "endorse_confirm_button": (
        "Vahvista ja julkaise",
        "Bekräfta och publicera",
        "Confirm and publish",
    ),
    "endorse_link_invalid": (
        "Linkki ei kelpaa: se on vanhentunut tai sitä on jo käytetty.",
        "Länken gäller inte: den har gått ut eller redan använts.",
        "This link is not valid: it has expired or was used already.",
    ),
    "endorse_target_closed": (
        "Tätä merkkiä ei voi suositella, koska se ei ole voimassa.",
        "Det här märket kan inte rekommenderas eftersom det inte är giltigt.",
        "This badge cannot be endorsed because it is not valid.",
    ),
    "endorse_error_name": ("Kirjoita nimesi.", "Skriv ditt namn.", "Give your name."),
    "endorse_error_email": (
        "Sähköpostiosoite ei kelpaa.",
        "E-postadressen är ogiltig.",
        "The e-mail address is not valid.",
    ),
    "endorse_error_relation": ("Valitse suhde.", "Välj en relation.", "Choose a relation."),
    "endorse_error_statement": (
        "Kirjoita suositus (enintään {limit} merkkiä).",
        "Skriv en rekommendation (högst {limit} tecken).",
        "Write a statement (at most {limit} characters).",
    ),
    "endorse_error_csrf": (
        "Lomake vanhentui. Lähetä se uudelleen.",
        "Formuläret har gått ut. Skicka det igen.",
        "The form expired. Send it again.",
    ),
    "endorse_error_rate": (
        "Liian monta pyyntöä. Yritä uudelleen myöhemmin.",
        "För många förfrågningar. Försök igen senare.",
        "Too many requests. Try again later.",
    ),
    # ------------------------------------------------------------------ the mail
    "endorse_mail_subject": (
        "Vahvista suosituksesi: {target}",
        "Bekräfta din rekommendation: {target}",
        "Confirm your endorsement: {target}",
    ),
    "endorse_mail_intro": (
        "Hei {name}, vahvista suosituksesi avaamalla linkki {hours} tunnin kuluessa:",
        "Hej {name}, bekräfta din rekommendation genom att öppna länken inom {hours} timmar:",
        "Hello {name}, confirm your endorsement by opening the link within {hours} hours:",
    ),
    "endorse_mail_ignore": (
        "Jos et kirjoittanut suositusta, voit jättää tämän viestin huomiotta.",
        "Om du inte skrev rekommendationen kan du bortse från det här meddelandet.",
        "If you did not write this endorsement, ignore this message.",
    ),
    # ------------------------------------------------------------------ showing them
    "endorsements_title": ("Suositukset", "Rekommendationer", "Endorsements"),
    "endorsements_none": (
        "Tällä merkillä ei ole vielä suosituksia.",
        "Det här märket har inga rekommendationer ännu.",
        "This badge has no endorsements yet.",
    ),
    "endorse_this": (
        "Suosittele tätä merkkiä",
        "Rekommendera det här märket",
        "Endorse this badge",
    ),
    "endorsement_of_award": ("tästä merkistä", "om det här märket", "of this badge"),
    "endorsement_of_achievement": (
        "osaamismerkistä",
        "om kompetensmärket",
        "of the achievement",
    ),
    "endorsement_of_issuer": ("myöntäjästä", "om utfärdaren", "of the issuer"),
    "endorsement_view": (
        "Allekirjoitettu suositus",
        "Signerad rekommendation",
        "Signed endorsement",
    ),
    "endorsement_title": ("Suositus", "Rekommendation", "Endorsement"),
    "endorsement_by": ("Suosittelija", "Rekommendent", "Endorser"),
    "endorsement_endorses": ("Suositeltu", "Rekommenderat", "Endorses"),
    "endorsement_date": ("Päivämäärä", "Datum", "Date"),
    "endorsement_hidden": (
        "Merkin haltija on piilottanut tämän suosituksen. Se on edelleen allekirjoitettu ja "
        "kelvollinen.",
        "Märkets innehavare har dolt den här rekommendationen. Den är fortfarande signerad och "
        "giltig.",
        "The badge's owner has hidden this endorsement. It is still signed and valid.",
    ),
    "endorsement_verify": (
        "Tarkista tämä suositus",
        "Kontrollera den här rekommendationen",
        "Verify this endorsement",
    ),
}
