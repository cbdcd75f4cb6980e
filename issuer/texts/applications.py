"""Texts of badge applications: the apply and status pages, the review pages and the
applicant's e-mails (``app_mail_*``, param-free: the mail templates compose them)."""

from __future__ import annotations

CATALOG: dict[str, tuple[str, str, str]] = {
    # ------------------------------------------------------------------ statuses
    "app_status_draft": (
        "Odottaa sähköpostin vahvistusta",
        "Väntar på bekräftelse av e-postadressen",
        "Waiting for e-mail confirmation",
    ),
    "app_status_submitted": ("Arvioitavana", "Under bedömning", "Under review"),
    "app_status_changes_requested": (
        "Lisätietoja pyydetty",
        "Komplettering begärd",
        "More information requested",
    ),
    "app_status_approved": ("Hyväksytty", "Godkänd", "Approved"),
    "app_status_rejected": ("Hylätty", "Avslagen", "Rejected"),
    # ------------------------------------------------------------------ history
    "app_event_created": ("Hakemus tehty", "Ansökan gjord", "Application made"),
    "app_event_submitted": (
        "Sähköposti vahvistettu, hakemus lähetetty arvioitavaksi",
        "E-postadressen bekräftad, ansökan skickad för bedömning",
        "E-mail confirmed, application sent for review",
    ),
    "app_event_resubmitted": (
        "Täydennetty ja lähetetty uudelleen",
        "Kompletterad och skickad på nytt",
        "Completed and sent again",
    ),
    "app_event_request_changes": (
        "Arvioija pyysi lisätietoja",
        "Bedömaren begärde komplettering",
        "The reviewer asked for more",
    ),
    "app_event_reject": (
        "Arvioija hylkäsi hakemuksen",
        "Bedömaren avslog ansökan",
        "The reviewer rejected the application",
    ),
    "app_event_approve": (
        "Arvioija hyväksyi hakemuksen ja merkki myönnettiin",
        "Bedömaren godkände ansökan och märket utfärdades",
        "The reviewer approved the application and the badge was issued",
    ),
    # ------------------------------------------------------------------ apply page
    "app_apply_title": ("Hae merkkiä", "Ansök om märket", "Apply for the badge"),
    "app_apply_intro": (
        "Kerro, mitä olet tehnyt, ja liitä näytöt. Organisaation arvioija käy hakemuksen "
        "läpi ja myöntää merkin, pyytää lisätietoja tai perustelee hylkäyksen.",
        "Berätta vad du har gjort och bifoga belägg. Organisationens bedömare går igenom "
        "ansökan och utfärdar märket, ber om komplettering eller motiverar ett avslag.",
        "Tell what you have done and attach evidence. A reviewer of the organisation goes "
        "through the application and issues the badge, asks for more or gives a reason "
        "for a rejection.",
    ),
    "app_description": ("Kuvaus", "Beskrivning", "Description"),
    "app_criteria": ("Kriteerit", "Kriterier", "Criteria"),
    "app_levels": ("Tasot", "Nivåer", "Levels"),
    "app_expectations": ("Odotetut näytöt", "Förväntade belägg", "Evidence expected"),
    "app_form_title": ("Hakemus", "Ansökan", "Your application"),
    "app_form_about": ("Sinä ja tekemisesi", "Du och din insats", "You and what you did"),
    "app_email_label": ("Sähköpostiosoite", "E-postadress", "E-mail address"),
    "app_email_hint": (
        "Lähetämme osoitteeseen vahvistuslinkin ja tiedon hakemuksen etenemisestä. Merkki "
        "myönnetään tälle osoitteelle. Osoite tallennetaan salattuna.",
        "Vi skickar en bekräftelselänk och besked om hur ansökan framskrider till adressen. "
        "Märket utfärdas till den här adressen. Adressen sparas krypterad.",
        "We send a confirmation link and news of the application to this address. The "
        "badge is issued to this address. The address is stored encrypted.",
    ),
    "app_name_label": ("Nimi", "Namn", "Name"),
    "app_name_hint": (
        "Nimi näkyy myönnetyssä merkissä.",
        "Namnet syns i det utfärdade märket.",
        "The name is shown in the badge.",
    ),
    "app_language_label": (
        "Viestien ja merkin kieli",
        "Språk för meddelanden och märket",
        "Language of the messages and the badge",
    ),
    "app_level_label": ("Taso, jota haet", "Nivå du ansöker om", "Level you apply for"),
    "app_narrative_label": ("Mitä teit?", "Vad gjorde du?", "What did you do?"),
    "app_narrative_hint": (
        "Kuvaa kriteerien kannalta, mitä teit ja mitä opit. Teksti tulee merkkiin.",
        "Beskriv med tanke på kriterierna vad du gjorde och lärde dig. Texten kommer med i märket.",
        "Describe, with the criteria in mind, what you did and learned. "
        "The text goes into the badge.",
    ),
    "app_evidence_legend": ("Näytöt", "Belägg", "Evidence"),
    "app_evidence_hint": (
        "Hyväksytyn hakemuksen näytöt viitataan merkissä ja ovat merkin linkeistä kenen "
        "tahansa ladattavissa. Älä liitä muiden henkilötietoja tai luottamuksellista aineistoa.",
        "Beläggen i en godkänd ansökan hänvisas till i märket och kan laddas ned av vem som "
        "helst via märkets länkar. Bifoga inte andras personuppgifter eller "
        "konfidentiellt material.",
        "The evidence of an approved application is referenced from the badge and anyone "
        "with the badge can download it. Do not attach other people's personal data or "
        "confidential material.",
    ),
    "app_text_label": (
        "Kirjallinen näyttö (valinnainen)",
        "Skriftligt belägg (valfritt)",
        "Written evidence (optional)",
    ),
    "app_urls_label": (
        "Linkit (valinnainen, yksi riville)",
        "Länkar (valfritt, en per rad)",
        "Links (optional, one a line)",
    ),
    "app_files_label": ("Tiedostot (valinnainen)", "Filer (valfritt)", "Files (optional)"),
    "app_files_hint": (
        "PNG, JPEG, PDF tai tekstitiedosto, enintään 10 Mt kukin, enintään 5 kerralla.",
        "PNG, JPEG, PDF eller textfil, högst 10 MB var, högst 5 åt gången.",
        "PNG, JPEG, PDF or text file, at most 10 MiB each, at most 5 at a time.",
    ),
    "app_submit": ("Lähetä hakemus", "Skicka ansökan", "Send the application"),
    "app_check_email_title": (
        "Tarkista sähköpostisi",
        "Kontrollera din e-post",
        "Check your e-mail",
    ),
    "app_check_email_body": (
        "Lähetimme vahvistuslinkin osoitteeseen, jonka annoit. Hakemus lähtee arvioitavaksi, "
        "kun avaat linkin ja vahvistat sen. Linkki on voimassa 48 tuntia.",
        "Vi skickade en bekräftelselänk till adressen du angav. Ansökan skickas för "
        "bedömning när du öppnar länken och bekräftar den. Länken gäller i 48 timmar.",
        "We sent a confirmation link to the address you gave. The application goes to "
        "review when you open the link and confirm it. The link works for 48 hours.",
    ),
    "app_confirm_title": ("Vahvista hakemus", "Bekräfta ansökan", "Confirm the application"),
    "app_confirm_body": (
        "Vahvista sähköpostiosoitteesi ja lähetä hakemus arvioitavaksi.",
        "Bekräfta din e-postadress och skicka ansökan för bedömning.",
        "Confirm your e-mail address and send the application for review.",
    ),
    "app_confirm_button": ("Vahvista ja lähetä", "Bekräfta och skicka", "Confirm and send"),
    "app_confirmed": (
        "Kiitos! Hakemus on nyt arvioitavana. Saat sähköpostia, kun se etenee.",
        "Tack! Ansökan är nu under bedömning. Du får e-post när den framskrider.",
        "Thank you! The application is now under review. You will get e-mail as it moves on.",
    ),
    "app_link_used": (
        "Tämä vahvistuslinkki on jo käytetty.",
        "Den här bekräftelselänken har redan använts.",
        "This confirmation link has already been used.",
    ),
    "app_link_invalid": (
        "Linkki ei kelpaa tai se on vanhentunut. Tee tarvittaessa uusi hakemus.",
        "Länken är ogiltig eller har gått ut. Gör vid behov en ny ansökan.",
        "The link is not valid or has expired. Apply again if needed.",
    ),
    # ------------------------------------------------------------------ status page
    "app_status_title": ("Hakemuksesi", "Din ansökan", "Your application"),
    "app_status_label": ("Tila", "Status", "Status"),
    "app_bookmark_hint": (
        "Säilytä tämän sivun linkki: se on sähköposteissasi, eikä sivulle pääse muuten.",
        "Spara länken till sidan: den finns i dina e-postmeddelanden och sidan nås inte annars.",
        "Keep this page's link: it is in your e-mails and there is no other way to the page.",
    ),
    "app_history": ("Vaiheet", "Händelser", "History"),
    "app_by_reviewer": ("arvioija", "bedömare", "reviewer"),
    "app_reviewer_message": (
        "Arvioijan viesti",
        "Bedömarens meddelande",
        "Message from the reviewer",
    ),
    "app_evidence_title": ("Näytöt", "Belägg", "Evidence"),
    "app_no_evidence": ("Ei näyttöjä.", "Inga belägg.", "No evidence."),
    "app_claimed_level": ("Haettu taso", "Sökt nivå", "Level applied for"),
    "app_approved_level": ("Hyväksytty taso", "Godkänd nivå", "Approved level"),
    "app_narrative": (
        "Kuvaus omasta toiminnasta",
        "Beskrivning av egen insats",
        "What the applicant did",
    ),
    "app_view_badge": ("Näytä merkki", "Visa märket", "View the badge"),
    "app_resubmit_title": ("Täydennä hakemusta", "Komplettera ansökan", "Complete the application"),
    "app_resubmit_intro": (
        "Lisää näyttöjä tai muokkaa kuvausta ja lähetä hakemus uudelleen arvioitavaksi.",
        "Lägg till belägg eller ändra beskrivningen och skicka ansökan för bedömning på nytt.",
        "Add evidence or edit the description and send the application for review again.",
    ),
    "app_resubmit_button": ("Lähetä uudelleen", "Skicka på nytt", "Send again"),
    "app_resubmitted": (
        "Täydennys vastaanotettu: hakemus on taas arvioitavana.",
        "Kompletteringen har tagits emot: ansökan är åter under bedömning.",
        "Update received: the application is under review again.",
    ),
    "app_file_size": ("{size} kt", "{size} kB", "{size} KiB"),
    # ------------------------------------------------------------------ errors
    "app_error_title": ("Hakemuksessa on virhe", "Ansökan har ett fel", "There is a problem"),
    "app_error_csrf": (
        "Lomake vanheni tai se lähetettiin toiselta sivustolta. Lähetä se uudelleen.",
        "Formuläret har gått ut eller skickades från en annan webbplats. Skicka det igen.",
        "The form expired or was sent from another site. Please send it again.",
    ),
    "app_error_rate": (
        "Liian monta hakemusta lyhyessä ajassa. Yritä myöhemmin uudelleen.",
        "För många ansökningar på kort tid. Försök igen senare.",
        "Too many applications in a short time. Please try again later.",
    ),
    "app_error_too_large": (
        "Tiedosto on liian suuri: {detail}",
        "Filen är för stor: {detail}",
        "A file is too large: {detail}",
    ),
    "app_error_type": (
        "Tiedostotyyppiä ei hyväksytä (vain PNG, JPEG, PDF, teksti): {detail}",
        "Filtypen godtas inte (endast PNG, JPEG, PDF, text): {detail}",
        "The file type is not accepted (only PNG, JPEG, PDF, text): {detail}",
    ),
    "app_error_invalid": (
        "Tarkista kenttä: {detail}",
        "Kontrollera fältet: {detail}",
        "Please check: {detail}",
    ),
    "app_error_state": (
        "Hakemusta ei voi muuttaa tässä vaiheessa.",
        "Ansökan kan inte ändras i det här skedet.",
        "The application cannot be changed at this stage.",
    ),
    "app_error_length": (
        "Pyynnön koko puuttuu tai se on liian suuri.",
        "Begärans storlek saknas eller är för stor.",
        "The request's size is missing or too large.",
    ),
    # ------------------------------------------------------------------ review pages
    "app_admin_title": ("Hakemukset", "Ansökningar", "Applications"),
    "app_admin_filter_status": ("Tila", "Status", "Status"),
    "app_admin_filter_achievement": ("Merkki", "Märke", "Badge"),
    "app_admin_all": ("Kaikki", "Alla", "All"),
    "app_admin_filter_button": ("Suodata", "Filtrera", "Filter"),
    "app_admin_applicant": ("Hakija", "Sökande", "Applicant"),
    "app_admin_badge": ("Merkki", "Märke", "Badge"),
    "app_admin_submitted": ("Lähetetty", "Skickad", "Submitted"),
    "app_admin_empty": ("Ei hakemuksia.", "Inga ansökningar.", "No applications."),
    "app_admin_next": ("Seuraavat", "Nästa", "Next"),
    "app_admin_download": ("Lataa", "Ladda ned", "Download"),
    "app_admin_decision": ("Päätös", "Beslut", "Decision"),
    "app_admin_approve_title": (
        "Hyväksy ja myönnä merkki",
        "Godkänn och utfärda märket",
        "Approve and issue the badge",
    ),
    "app_admin_level": ("Hyväksyttävä taso", "Nivå som godkänns", "Level to approve"),
    "app_admin_message": (
        "Viesti hakijalle (valinnainen)",
        "Meddelande till sökanden (valfritt)",
        "Message to the applicant (optional)",
    ),
    "app_admin_approve_button": ("Hyväksy", "Godkänn", "Approve"),
    "app_admin_changes_title": ("Pyydä lisätietoja", "Begär komplettering", "Ask for more"),
    "app_admin_changes_message": ("Mitä puuttuu?", "Vad saknas?", "What is missing?"),
    "app_admin_changes_button": ("Pyydä lisätietoja", "Begär komplettering", "Ask for more"),
    "app_admin_reject_title": ("Hylkää", "Avslå", "Reject"),
    "app_admin_reject_reason": ("Perustelu", "Motivering", "Reason"),
    "app_admin_reject_button": ("Hylkää hakemus", "Avslå ansökan", "Reject the application"),
    "app_admin_reviewer": ("Arvioija", "Bedömare", "Reviewer"),
    "app_admin_award": ("Myönnetty merkki", "Utfärdat märke", "Issued badge"),
    "app_admin_no_decide": (
        "Vain arvioija tai omistaja voi tehdä päätöksen.",
        "Endast en bedömare eller ägare kan fatta beslut.",
        "Only a reviewer or an owner can decide.",
    ),
    "app_admin_done": ("Päätös tallennettu.", "Beslutet har sparats.", "Decision saved."),
    # ------------------------------------------------------------------ e-mails
    "app_mail_subject_confirm": (
        "Vahvista hakemuksesi: {badge}",
        "Bekräfta din ansökan: {badge}",
        "Confirm your application: {badge}",
    ),
    "app_mail_subject_submitted": (
        "Hakemus vastaanotettu: {badge}",
        "Ansökan mottagen: {badge}",
        "Application received: {badge}",
    ),
    "app_mail_subject_resubmitted": (
        "Täydennys vastaanotettu: {badge}",
        "Komplettering mottagen: {badge}",
        "Update received: {badge}",
    ),
    "app_mail_subject_request_changes": (
        "Hakemukseesi pyydetään lisätietoja: {badge}",
        "Komplettering begärs till din ansökan: {badge}",
        "More information requested: {badge}",
    ),
    "app_mail_subject_reject": (
        "Hakemuksesi on käsitelty: {badge}",
        "Din ansökan har behandlats: {badge}",
        "Your application has been decided: {badge}",
    ),
    "app_mail_subject_approve": (
        "Hakemuksesi hyväksyttiin: {badge}",
        "Din ansökan har godkänts: {badge}",
        "Your application was approved: {badge}",
    ),
    "app_mail_greeting": ("Hei", "Hej", "Hello"),
    "app_mail_confirm_intro": (
        "hait merkkiä",
        "du har ansökt om märket",
        "you applied for the badge",
    ),
    "app_mail_confirm_action": (
        "Vahvista sähköpostiosoitteesi ja lähetä hakemus arvioitavaksi tästä linkistä:",
        "Bekräfta din e-postadress och skicka ansökan för bedömning via den här länken:",
        "Confirm your e-mail address and send the application for review with this link:",
    ),
    "app_mail_confirm_expiry": (
        "Linkki toimii kerran ja on voimassa 48 tuntia.",
        "Länken fungerar en gång och gäller i 48 timmar.",
        "The link works once, within 48 hours.",
    ),
    "app_mail_ignore": (
        "Jos et hakenut merkkiä, voit jättää tämän viestin huomiotta: "
        "mitään ei lähetetä arvioitavaksi.",
        "Om du inte har ansökt om märket kan du bortse från meddelandet: "
        "inget skickas för bedömning.",
        "If you did not apply, ignore this message: nothing is sent for review.",
    ),
    "app_mail_status_intro": (
        "hakemuksesi merkkiin",
        "din ansökan om märket",
        "your application for the badge",
    ),
    "app_mail_status_now": ("Tila:", "Status:", "Status:"),
    "app_mail_message_label": (
        "Arvioijan viesti:",
        "Bedömarens meddelande:",
        "Message from the reviewer:",
    ),
    "app_mail_level_label": ("Hyväksytty taso:", "Godkänd nivå:", "Approved level:"),
    "app_mail_credential_label": ("Merkkisi:", "Ditt märke:", "Your badge:"),
    "app_mail_changes_hint": (
        "Voit lisätä näyttöjä tai muokata kuvausta hakemuksen sivulla ja lähettää sen uudelleen.",
        "Du kan lägga till belägg eller ändra beskrivningen på ansökans sida "
        "och skicka den på nytt.",
        "You can add evidence or edit the description on the application's page and send it again.",
    ),
    "app_mail_status_link": (
        "Hakemuksesi ja sen vaiheet:",
        "Din ansökan och dess händelser:",
        "Your application and its history:",
    ),
    "app_mail_signature": ("Merkki-palvelu", "Tjänsten Merkki", "The Merkki service"),
}
