"""Texts of the bulk award pages (``/admin/bulk…``): key → (fi, sv, en)."""

from __future__ import annotations

CATALOG: dict[str, tuple[str, str, str]] = {
    # ------------------------------------------------------------------ the upload form
    "bulk_title": ("Joukkomyöntö", "Massutfärdande", "Bulk award"),
    "bulk_intro": (
        "Myönnä yksi merkki kaikille taulukon henkilöille. Lataa CSV-tiedosto: näet ensin "
        "jokaisen rivin tarkistuksen tuloksen, eikä mitään myönnetä ennen kuin vahvistat.",
        "Utfärda ett märke till alla i ett kalkylblad. Ladda upp en CSV-fil: du ser först "
        "resultatet av kontrollen för varje rad, och inget utfärdas innan du bekräftar.",
        "Award one badge to everyone in a spreadsheet. Upload a CSV file: you first see "
        "every row's check, and nothing is awarded until you confirm.",
    ),
    "bulk_achievement": ("Merkki", "Märke", "Badge"),
    "bulk_choose": ("Valitse merkki", "Välj ett märke", "Choose a badge"),
    "bulk_file": ("CSV-tiedosto", "CSV-fil", "CSV file"),
    "bulk_file_hint": (
        "Sarakkeet: email (tai did tai url) ja valinnaisesti name, level, valid_until, "
        "language, narrative, evidence_url. Erottimena pilkku tai puolipiste; UTF-8 "
        "(Excelissä ”CSV UTF-8”). Enintään {size} ja {rows} riviä.",
        "Kolumner: email (eller did eller url) och valfritt name, level, valid_until, "
        "language, narrative, evidence_url. Kommatecken eller semikolon som avgränsare; "
        "UTF-8 (i Excel ”CSV UTF-8”). Högst {size} och {rows} rader.",
        "Columns: email (or did or url) and optionally name, level, valid_until, language, "
        "narrative, evidence_url. Separated by commas or semicolons; UTF-8 (in Excel "
        '"CSV UTF-8"). At most {size} and {rows} rows.',
    ),
    "bulk_template": (
        "Lataa CSV-pohja",
        "Ladda ner en CSV-mall",
        "Download a CSV template",
    ),
    "bulk_check": ("Tarkista tiedosto", "Kontrollera filen", "Check the file"),
    "bulk_no_achievements": (
        "Organisaatiolla ei ole vielä merkkejä. Luo ensin merkki.",
        "Organisationen har inga märken ännu. Skapa först ett märke.",
        "The organisation has no badges yet. Create a badge first.",
    ),
    "bulk_error_no_file": (
        "Valitse ladattava CSV-tiedosto.",
        "Välj en CSV-fil att ladda upp.",
        "Choose a CSV file to upload.",
    ),
    "bulk_error_no_achievement": (
        "Valitse merkki, joka myönnetään.",
        "Välj märket som ska utfärdas.",
        "Choose the badge to award.",
    ),
    "bulk_error_too_large": (
        "Tiedosto on liian suuri: enintään {size} sallitaan. Jaa se pienempiin tiedostoihin.",
        "Filen är för stor: högst {size} är tillåtet. Dela upp den i mindre filer.",
        "The file is too large: at most {size} is allowed. Split it into smaller files.",
    ),
    "bulk_error_expired": (
        "Tarkistettua tiedostoa ei enää löydy (se vanhenee vuorokaudessa). Lataa se uudelleen.",
        "Den kontrollerade filen finns inte längre (den förfaller efter ett dygn). Ladda upp "
        "den igen.",
        "The checked file is no longer here (it expires after a day). Upload it again.",
    ),
    "bulk_error_archived": (
        "Merkki on arkistoitu, eikä sitä voi myöntää.",
        "Märket är arkiverat och kan inte utfärdas.",
        "The badge is archived and cannot be awarded.",
    ),
    "bulk_recent": ("Viimeisimmät joukkomyönnöt", "Senaste massutfärdanden", "Recent bulk awards"),
    "bulk_recent_none": (
        "Ei vielä joukkomyöntöjä.",
        "Inga massutfärdanden ännu.",
        "No bulk awards yet.",
    ),
    "bulk_col_created": ("Aloitettu", "Startad", "Started"),
    "bulk_col_by": ("Tekijä", "Av", "By"),
    "bulk_col_status": ("Tila", "Status", "Status"),
    "bulk_col_rows": ("Rivejä", "Rader", "Rows"),
    # ------------------------------------------------------------------ the preview
    "bulk_preview_title": ("Tarkista rivit", "Kontrollera raderna", "Check the rows"),
    "bulk_preview_file": (
        "Tiedosto {sha}… ({size}) merkille {name}.",
        "Filen {sha}… ({size}) för märket {name}.",
        "File {sha}… ({size}) for the badge {name}.",
    ),
    "bulk_preview_counts": (
        "{valid} kunnossa, {invalid} virheellistä.",
        "{valid} i ordning, {invalid} felaktiga.",
        "{valid} valid, {invalid} with errors.",
    ),
    "bulk_preview_ok": (
        "Kaikki rivit ovat kunnossa. Mitään ei ole vielä myönnetty.",
        "Alla rader är i ordning. Inget har utfärdats ännu.",
        "Every row is valid. Nothing has been awarded yet.",
    ),
    "bulk_preview_bad": (
        "Korjaa virheelliset rivit taulukossa ja lataa tiedosto uudelleen. Mitään ei ole "
        "myönnetty.",
        "Rätta de felaktiga raderna i kalkylbladet och ladda upp filen igen. Inget har utfärdats.",
        "Fix the rows with errors in the spreadsheet and upload the file again. Nothing has "
        "been awarded.",
    ),
    "bulk_preview_bad_lines": (
        "Virheelliset rivit:",
        "Felaktiga rader:",
        "Rows with errors:",
    ),
    "bulk_preview_file_bad": (
        "Tiedostoa ei voi käyttää:",
        "Filen kan inte användas:",
        "The file cannot be used:",
    ),
    "bulk_preview_hidden": (
        "… ja {count} muuta kunnossa olevaa riviä.",
        "… och {count} andra rader i ordning.",
        "… and {count} more valid rows.",
    ),
    "bulk_preview_job_exists": (
        "Tämä tiedosto on jo vahvistettu tälle merkille.",
        "Den här filen har redan bekräftats för det här märket.",
        "This file has already been confirmed for this badge.",
    ),
    "bulk_preview_open_job": ("Näytä myöntö", "Visa utfärdandet", "Show the award round"),
    "bulk_col_line": ("Rivi", "Rad", "Line"),
    "bulk_col_recipient": ("Saaja", "Mottagare", "Recipient"),
    "bulk_col_name": ("Nimi", "Namn", "Name"),
    "bulk_col_result": ("Tarkistus", "Kontroll", "Check"),
    "bulk_row_ok": ("Kunnossa", "I ordning", "Valid"),
    "bulk_row_bad": ("Virhe", "Fel", "Error"),
    "bulk_column": ("sarake {column}", "kolumn {column}", "column {column}"),
    "bulk_confirm": (
        "Myönnä {count} merkkiä",
        "Utfärda {count} märken",
        "Award {count} badges",
    ),
    "bulk_confirm_hint": (
        "Saajat saavat merkin sähköpostiinsa. Samaa riviä ei koskaan myönnetä kahdesti.",
        "Mottagarna får märket per e-post. Samma rad utfärdas aldrig två gånger.",
        "The recipients get the badge by e-mail. The same row is never awarded twice.",
    ),
    "bulk_upload_again": (
        "Lataa korjattu tiedosto",
        "Ladda upp en rättad fil",
        "Upload a fixed file",
    ),
    "bulk_cancel": ("Peruuta", "Avbryt", "Cancel"),
    # ------------------------------------------------------------------ the job page
    "bulk_job_title": ("Joukkomyöntö", "Massutfärdande", "Bulk award"),
    "bulk_job_of": ("Merkki: {name}", "Märke: {name}", "Badge: {name}"),
    "bulk_progress_label": ("Edistyminen", "Framsteg", "Progress"),
    "bulk_progress_text": (
        "{done} / {total} riviä käsitelty",
        "{done} / {total} rader behandlade",
        "{done} / {total} rows handled",
    ),
    "bulk_status_queued": ("Jonossa", "I kö", "Queued"),
    "bulk_status_running": ("Käynnissä", "Pågår", "Running"),
    "bulk_status_done": ("Valmis", "Klar", "Done"),
    "bulk_status_failed": ("Epäonnistui", "Misslyckades", "Failed"),
    "bulk_running_hint": (
        "Merkkejä myönnetään taustalla. Voit sulkea sivun; työ jatkuu.",
        "Märkena utfärdas i bakgrunden. Du kan stänga sidan; arbetet fortsätter.",
        "The badges are being awarded in the background. You may close this page; the work "
        "goes on.",
    ),
    "bulk_summary": ("Yhteenveto", "Sammanfattning", "Summary"),
    "bulk_count_issued": ("Myönnetty", "Utfärdade", "Issued"),
    "bulk_count_skipped": (
        "Ohitettu (myönnetty jo aiemmin)",
        "Överhoppade (redan utfärdade)",
        "Skipped (awarded before)",
    ),
    "bulk_count_failed": ("Virheitä", "Fel", "Errors"),
    "bulk_count_total": ("Rivejä yhteensä", "Rader totalt", "Rows in all"),
    "bulk_report": (
        "Lataa tulosraportti (CSV)",
        "Ladda ner resultatrapporten (CSV)",
        "Download the result report (CSV)",
    ),
    "bulk_failed_reason": ("Syy: {reason}", "Orsak: {reason}", "Reason: {reason}"),
    "bulk_errors_title": (
        "Rivit, joita ei myönnetty",
        "Rader som inte utfärdades",
        "Rows not awarded",
    ),
    "bulk_new": ("Uusi joukkomyöntö", "Nytt massutfärdande", "New bulk award"),
    "bulk_awards_list": ("Merkin myönnöt", "Märkets utfärdade märken", "The badge's awards"),
    # ------------------------------------------------------------------ row problems
    "bulk_err_file_too_large": (
        "Tiedosto on liian suuri. Jaa se pienempiin tiedostoihin.",
        "Filen är för stor. Dela upp den i mindre filer.",
        "The file is too large. Split it into smaller files.",
    ),
    "bulk_err_encoding": (
        "Tiedosto ei ole UTF-8-tekstiä. Tallenna Excelissä muodossa ”CSV UTF-8 (luetteloerotin)”.",
        "Filen är inte UTF-8-text. Spara i Excel som ”CSV UTF-8 (kommaavgränsad)”.",
        'The file is not UTF-8 text. In Excel, save it as "CSV UTF-8 (comma delimited)".',
    ),
    "bulk_err_empty_file": ("Tiedosto on tyhjä.", "Filen är tom.", "The file is empty."),
    "bulk_err_malformed_csv": (
        "Riviä {line} ei voi lukea CSV:nä: lainausmerkki puuttuu tai on väärässä kohdassa.",
        "Rad {line} kan inte läsas som CSV: ett citattecken saknas eller står fel.",
        "Line {line} cannot be read as CSV: a quotation mark is missing or misplaced.",
    ),
    "bulk_err_too_many_rows": (
        "Tiedostossa on liikaa rivejä. Jaa se pienempiin tiedostoihin.",
        "Filen har för många rader. Dela upp den i mindre filer.",
        "The file has too many rows. Split it into smaller files.",
    ),
    "bulk_err_no_rows": (
        "Tiedostossa on otsikkorivi mutta ei yhtään saajaa.",
        "Filen har en rubrikrad men inga mottagare.",
        "The file has a header line but no recipients.",
    ),
    "bulk_err_too_many_errors": (
        "Tarkistus keskeytyi rivillä {line}, koska virheitä oli liikaa. Korjaa nämä ja lataa "
        "tiedosto uudelleen.",
        "Kontrollen avbröts på rad {line} eftersom felen var för många. Rätta dessa och ladda "
        "upp filen igen.",
        "The check stopped on line {line}: there were too many errors. Fix these and upload "
        "the file again.",
    ),
    "bulk_err_unknown_column": (
        "Tuntematon sarake ”{column}”. Ensimmäisellä rivillä pitää olla sarakkeiden nimet.",
        "Okänd kolumn ”{column}”. Den första raden ska ange kolumnernas namn.",
        'Unknown column "{column}". The first line must name the columns.',
    ),
    "bulk_err_duplicate_column": (
        "Sarake {column} on kahdesti.",
        "Kolumnen {column} finns två gånger.",
        "The column {column} appears twice.",
    ),
    "bulk_err_missing_recipient_column": (
        "Saajan sarake puuttuu: lisää sarake email (tai did tai url).",
        "Mottagarkolumnen saknas: lägg till en kolumn email (eller did eller url).",
        "There is no recipient column: add a column email (or did or url).",
    ),
    "bulk_err_extra_value": (
        "Rivillä on arvo sarakkeessa, jolla ei ole nimeä otsikkorivillä.",
        "Raden har ett värde i en kolumn som saknar namn på rubrikraden.",
        "The row has a value in a column without a name on the header line.",
    ),
    "bulk_err_missing_recipient": (
        "Saaja puuttuu: anna sähköpostiosoite.",
        "Mottagaren saknas: ange en e-postadress.",
        "The recipient is missing: give an e-mail address.",
    ),
    "bulk_err_multiple_recipients": (
        "Anna yksi saaja riviä kohti.",
        "Ange en mottagare per rad.",
        "Give one recipient per row.",
    ),
    "bulk_err_duplicate_recipient": (
        "Sama saaja on jo aiemmalla rivillä.",
        "Samma mottagare finns redan på en tidigare rad.",
        "The same recipient is already on an earlier line.",
    ),
    "bulk_err_invalid_email": (
        "Sähköpostiosoite ei kelpaa.",
        "E-postadressen är inte giltig.",
        "The e-mail address is not valid.",
    ),
    "bulk_err_invalid_did": ("DID ei kelpaa.", "DID:en är inte giltig.", "The DID is not valid."),
    "bulk_err_invalid_url": (
        "Osoite (URL) ei kelpaa.",
        "Adressen (URL) är inte giltig.",
        "The URL is not valid.",
    ),
    "bulk_err_invalid_evidence_url": (
        "Näytön osoite ei kelpaa: käytä http(s)-osoitteita välilyönnillä tai |-merkillä "
        "eroteltuina.",
        "Adressen till beviset är inte giltig: använd http(s)-adresser åtskilda med "
        "mellanslag eller |.",
        "An evidence URL is not valid: use http(s) addresses separated by spaces or |.",
    ),
    "bulk_err_too_many_evidence_urls": (
        "Liikaa näyttöjen osoitteita (enintään 20).",
        "För många adresser till bevis (högst 20).",
        "Too many evidence URLs (at most 20).",
    ),
    "bulk_err_unknown_level": (
        "Tuntematon taso. Käytä merkin tasoa tai jätä kenttä tyhjäksi.",
        "Okänd nivå. Använd en av märkets nivåer eller lämna fältet tomt.",
        "Unknown level. Use one of the badge's levels or leave it empty.",
    ),
    "bulk_err_invalid_date": (
        "Päivämäärä ei kelpaa: käytä muotoa 31.12.2027 tai 2027-12-31.",
        "Datumet är inte giltigt: använd formen 2027-12-31 eller 31.12.2027.",
        "The date is not valid: use 2027-12-31 or 31.12.2027.",
    ),
    "bulk_err_date_not_in_future": (
        "Voimassaolon päättymispäivän pitää olla tulevaisuudessa (tai jätä se tyhjäksi).",
        "Slutdatumet för giltigheten ska ligga i framtiden (eller lämna det tomt).",
        "The end of validity must be in the future (or leave it empty).",
    ),
    "bulk_err_invalid_language": (
        "Kieli ei kelpaa: käytä merkin kieltä (fi, sv tai en) tai jätä tyhjäksi.",
        "Språket är inte giltigt: använd märkets språk (fi, sv eller en) eller lämna tomt.",
        "The language is not valid: use one of the badge's languages (fi, sv, en) or leave "
        "it empty.",
    ),
    "bulk_err_too_long": (
        "Arvo on liian pitkä.",
        "Värdet är för långt.",
        "The value is too long.",
    ),
    "bulk_err_invalid_character": (
        "Arvossa on ohjausmerkkejä.",
        "Värdet innehåller styrtecken.",
        "The value has control characters.",
    ),
    "bulk_err_evidence_required": (
        "Merkki vaatii näytön: anna evidence_url.",
        "Märket kräver bevis: ange evidence_url.",
        "The badge requires evidence: give an evidence_url.",
    ),
    "bulk_err_other": (
        "Rivi ei kelpaa.",
        "Raden är inte giltig.",
        "The row is not valid.",
    ),
}
