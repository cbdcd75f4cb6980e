"""The public pages' texts in Finnish, Swedish and English, and choosing the page language.

One catalog, :data:`TEXTS`: a key maps to its three translations; every language has
every key (a test checks it). Verification messages are not here: they come with each
check from ``badges.messages``. The page language is, in order: ``?lang=``, the
``merkki_lang`` cookie (set when a visitor picks a language), the best match of
``Accept-Language`` (RFC 9110 §12.5.4), and English.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from datetime import UTC, date, datetime

import issuer.texts

LANGS: tuple[str, ...] = ("fi", "sv", "en")
DEFAULT_LANG = "en"
COOKIE = "merkki_lang"
LANGUAGE_NAMES = {"fi": "suomi", "sv": "svenska", "en": "English"}
"""Each language named in itself, as a language switcher shows it."""

_T = tuple[str, str, str]  # (fi, sv, en)

_CATALOG: dict[str, _T] = {
    # ------------------------------------------------------------------ every page
    "skip": ("Siirry sisältöön", "Hoppa till innehållet", "Skip to content"),
    "language": ("Kieli", "Språk", "Language"),
    "nav": ("Päävalikko", "Huvudmeny", "Main menu"),
    "nav_verify": ("Tarkista merkki", "Kontrollera ett märke", "Verify a badge"),
    "footer": (
        "Merkki – avoimet osaamismerkit (Open Badges 3.0 ja 2.0)",
        "Merkki – öppna kompetensmärken (Open Badges 3.0 och 2.0)",
        "Merkki – open badges for competences (Open Badges 3.0 and 2.0)",
    ),
    # ------------------------------------------------------------------ /verify form
    "verify_title": (
        "Tarkista osaamismerkki",
        "Kontrollera ett kompetensmärke",
        "Verify a badge",
    ),
    "verify_intro": (
        "Tarkista, onko merkki aito, voimassa ja todella sen esittäjän. Merkki voi olla "
        "kenen tahansa myöntämä, ei vain Merkki-palvelun.",
        "Kontrollera att ett märke är äkta, giltigt och verkligen tillhör den som visar "
        "det. Märket kan vara utfärdat av vem som helst, inte bara av Merkki.",
        "Check that a badge is genuine, still valid and really belongs to the person who "
        "shows it. The badge may come from any issuer, not only from Merkki.",
    ),
    "input_legend": ("Merkki", "Märket", "The badge"),
    "input_hint": (
        "Käytä yhtä tapaa: liitä merkki, lataa tiedosto tai anna osoite.",
        "Använd ett sätt: klistra in märket, ladda upp en fil eller ange en adress.",
        "Use one way: paste the badge, upload a file or give a web address.",
    ),
    "paste_label": (
        "Liitä merkki (JSON tai JWT)",
        "Klistra in märket (JSON eller JWT)",
        "Paste the badge (JSON or JWT)",
    ),
    "file_label": (
        "tai lataa merkkikuva tai -tiedosto (PNG, SVG, JSON, JWT)",
        "eller ladda upp en märkesbild eller -fil (PNG, SVG, JSON, JWT)",
        "or upload a badge image or file (PNG, SVG, JSON, JWT)",
    ),
    "url_label": (
        "tai anna merkin tai merkkikuvan osoite",
        "eller ange adressen till märket eller märkesbilden",
        "or give the web address of the badge or badge image",
    ),
    "recipient_legend": (
        "Saajan tarkistus (valinnainen)",
        "Kontroll av mottagaren (valfritt)",
        "Recipient check (optional)",
    ),
    "recipient_label": (
        "Hakijan sähköpostiosoite",
        "Sökandens e-postadress",
        "The applicant's e-mail address",
    ),
    "recipient_hint": (
        "Merkissä saajan osoite on tiivisteenä. Tarkistamme, vastaako se tätä osoitetta. "
        "Osoitetta ei tallenneta.",
        "I märket finns mottagarens adress som en hash. Vi kontrollerar att den motsvarar "
        "den här adressen. Adressen sparas inte.",
        "The badge holds the recipient's address as a hash. We check whether it matches "
        "this address. The address is not stored.",
    ),
    "submit": ("Tarkista", "Kontrollera", "Verify"),
    "verify_again": (
        "Tarkista toinen merkki",
        "Kontrollera ett annat märke",
        "Verify another badge",
    ),
    "form_problem": ("Lomakkeessa on virhe", "Formuläret har ett fel", "There is a problem"),
    "error_csrf": (
        "Lomake vanheni tai se lähetettiin toiselta sivustolta. Lähetä se uudelleen.",
        "Formuläret har gått ut eller skickades från en annan webbplats. Skicka det igen.",
        "The form expired or was sent from another site. Please send it again.",
    ),
    "error_none": (
        "Liitä merkki, lataa tiedosto tai anna osoite.",
        "Klistra in märket, ladda upp en fil eller ange en adress.",
        "Paste the badge, upload a file or give a web address.",
    ),
    "error_several": (
        "Käytä vain yhtä tapaa: poista ylimääräiset kentät ({fields}).",
        "Använd bara ett sätt: töm de extra fälten ({fields}).",
        "Use only one way: clear the extra fields ({fields}).",
    ),
    "error_too_large": (
        "Merkki on liian suuri (enintään {limit}).",
        "Märket är för stort (högst {limit}).",
        "The badge is too large (at most {limit}).",
    ),
    "error_invalid": (
        "Syötettä ei voitu käyttää: {detail}",
        "Indata kunde inte användas: {detail}",
        "The input could not be used: {detail}",
    ),
    "error_url": (
        "Anna osoite, joka alkaa https:// (tai http://).",
        "Ange en adress som börjar med https:// (eller http://).",
        "Give an address that starts with https:// (or http://).",
    ),
    "error_rate": (
        "Liian monta tarkistusta. Yritä uudelleen {seconds} sekunnin kuluttua.",
        "För många kontroller. Försök igen om {seconds} sekunder.",
        "Too many checks. Try again in {seconds} seconds.",
    ),
    "field_credential": ("liitetty merkki", "inklistrat märke", "pasted badge"),
    "field_file": ("tiedosto", "fil", "file"),
    "field_url": ("osoite", "adress", "web address"),
    # ------------------------------------------------------------------ verdicts
    "result_title": ("Tarkistuksen tulos", "Resultat av kontrollen", "Verification result"),
    "verdict_valid": ("Kelvollinen", "Giltigt", "Valid"),
    "verdict_invalid": ("Ei kelvollinen", "Inte giltigt", "Not valid"),
    "verdict_revoked": ("Peruttu", "Återkallat", "Revoked"),
    "verdict_suspended": ("Keskeytetty", "Tillfälligt upphävt", "Suspended"),
    "verdict_expired": ("Vanhentunut", "Har gått ut", "Expired"),
    "verdict_indeterminate": (
        "Ei voitu tarkistaa",
        "Kunde inte kontrolleras",
        "Could not be checked",
    ),
    "explain_valid": (
        "Merkki on aito, sitä ei ole muutettu, ja se on voimassa.",
        "Märket är äkta, har inte ändrats och är giltigt.",
        "The badge is genuine, unchanged and valid.",
    ),
    "explain_invalid": (
        "Merkkiin ei voi luottaa. Alla näkyy, mikä tarkistus epäonnistui ja miksi.",
        "Märket går inte att lita på. Nedan ser du vilken kontroll som misslyckades och varför.",
        "The badge cannot be trusted. Below you see which check failed and why.",
    ),
    "explain_revoked": (
        "Merkki on aito, mutta myöntäjä on perunut sen.",
        "Märket är äkta, men utfärdaren har återkallat det.",
        "The badge is genuine, but its issuer has revoked it.",
    ),
    "explain_suspended": (
        "Merkki on aito, mutta myöntäjä on keskeyttänyt sen voimassaolon.",
        "Märket är äkta, men utfärdaren har tillfälligt upphävt det.",
        "The badge is genuine, but its issuer has suspended it.",
    ),
    "explain_expired": (
        "Merkki on aito, mutta sen voimassaolo on päättynyt.",
        "Märket är äkta, men dess giltighetstid har gått ut.",
        "The badge is genuine, but it has expired.",
    ),
    "explain_indeterminate": (
        "Jotakin tarvittavaa (esimerkiksi myöntäjän avainta) ei saatu haettua. Yritä myöhemmin "
        "uudelleen.",
        "Något som behövs (till exempel utfärdarens nyckel) kunde inte hämtas. Försök igen senare.",
        "Something needed (such as the issuer's key) could not be fetched. Try again later.",
    ),
    "unverified_claims": (
        "Alla olevat tiedot ovat merkin omia väitteitä: niitä ei voitu vahvistaa.",
        "Uppgifterna nedan är märkets egna påståenden: de kunde inte bekräftas.",
        "The details below are the badge's own claims: they could not be confirmed.",
    ),
    "checks": ("Tarkistukset", "Kontroller", "Checks"),
    "warnings": ("Huomautukset", "Anmärkningar", "Notes"),
    "failed_check": ("Epäonnistunut tarkistus", "Misslyckad kontroll", "Failed check"),
    "error_check": (
        "Tarkistus, jota ei voitu tehdä",
        "Kontroll som inte kunde göras",
        "Check that could not be done",
    ),
    "outcome_passed": ("Läpäisty", "Godkänd", "Passed"),
    "outcome_failed": ("Epäonnistui", "Underkänd", "Failed"),
    "outcome_error": ("Ei voitu tarkistaa", "Kunde inte kontrolleras", "Could not be checked"),
    "outcome_skipped": ("Ohitettu", "Överhoppad", "Skipped"),
    "check_parse": ("Luku", "Inläsning", "Reading"),
    "check_context": ("Kontekstit", "Kontexter", "Contexts"),
    "check_schema": ("Rakenne", "Struktur", "Structure"),
    "check_issuer": ("Myöntäjän avain", "Utfärdarens nyckel", "Issuer's key"),
    "check_proof": ("Allekirjoitus", "Signatur", "Signature"),
    "check_valid_from": ("Voimassaolon alku", "Giltighetens början", "Valid from"),
    "check_valid_until": ("Voimassaolon loppu", "Giltighetens slut", "Expiry"),
    "check_status": ("Peruutustila", "Återkallelsestatus", "Revocation status"),
    "check_recipient": ("Saaja", "Mottagare", "Recipient"),
    "check_endorsement": ("Suositus", "Rekommendation", "Endorsement"),
    "recipient_matched": (
        "Merkki on myönnetty tälle sähköpostiosoitteelle.",
        "Märket är utfärdat till den här e-postadressen.",
        "The badge was awarded to this e-mail address.",
    ),
    "recipient_not_matched": (
        "Merkkiä ei ole myönnetty tälle sähköpostiosoitteelle.",
        "Märket är inte utfärdat till den här e-postadressen.",
        "The badge was not awarded to this e-mail address.",
    ),
    "recipient_unchecked": (
        "Saajaa ei tarkistettu (anna sähköpostiosoite tarkistaaksesi).",
        "Mottagaren kontrollerades inte (ange en e-postadress för att kontrollera).",
        "The recipient was not checked (give an e-mail address to check it).",
    ),
    # ------------------------------------------------------------------ badge facts
    "achievement": ("Saavutus", "Prestation", "Achievement"),
    "description": ("Kuvaus", "Beskrivning", "Description"),
    "criteria": ("Myöntämisen kriteerit", "Kriterier", "Criteria"),
    "issuer": ("Myöntäjä", "Utfärdare", "Issuer"),
    "recipient": ("Saaja", "Mottagare", "Recipient"),
    "issued": ("Myönnetty", "Utfärdat", "Issued"),
    "expires": ("Voimassa asti", "Giltigt till", "Valid until"),
    "no_expiry": ("Ei päättymispäivää", "Inget slutdatum", "No end date"),
    "level": ("Taso", "Nivå", "Level"),
    "narrative": ("Perustelut", "Motivering", "Narrative"),
    "evidence": ("Näyttö", "Bevis", "Evidence"),
    "status": ("Tila", "Status", "Status"),
    "badge_image": ("Merkin kuva: {name}", "Märkets bild: {name}", "Badge image: {name}"),
    # ------------------------------------------------------------------ /credentials/{id}
    "status_active": ("Voimassa", "Giltigt", "Valid"),
    "status_revoked": ("Peruttu", "Återkallat", "Revoked"),
    "status_suspended": ("Keskeytetty", "Tillfälligt upphävt", "Suspended"),
    "status_expired": ("Vanhentunut", "Har gått ut", "Expired"),
    "downloads": ("Lataa merkki", "Ladda ner märket", "Download the badge"),
    "download_json": (
        "Allekirjoitettu merkki (JSON)",
        "Signerat märke (JSON)",
        "Signed badge (JSON)",
    ),
    "download_jwt": ("Allekirjoitettu merkki (JWT)", "Signerat märke (JWT)", "Signed badge (JWT)"),
    "download_png": ("Merkkikuva (PNG)", "Märkesbild (PNG)", "Badge image (PNG)"),
    "download_svg": ("Merkkikuva (SVG)", "Märkesbild (SVG)", "Badge image (SVG)"),
    "share": ("Jaa", "Dela", "Share"),
    "share_label": ("Tämän sivun osoite", "Adressen till den här sidan", "Address of this page"),
    "linkedin": (
        "Lisää LinkedIn-profiiliin",
        "Lägg till i LinkedIn-profilen",
        "Add to LinkedIn profile",
    ),
    "qr_title": ("QR-koodi", "QR-kod", "QR code"),
    "qr_alt": (
        "QR-koodi, joka avaa tämän sivun",
        "QR-kod som öppnar den här sidan",
        "QR code that opens this page",
    ),
    "qr_svg": ("QR-koodi (SVG)", "QR-kod (SVG)", "QR code (SVG)"),
    "qr_png": ("QR-koodi (PNG)", "QR-kod (PNG)", "QR code (PNG)"),
    "verify_this": ("Tarkista tämä merkki", "Kontrollera det här märket", "Verify this badge"),
    "about_achievement": ("Merkin kuvaus", "Märkets beskrivning", "About this badge"),
}


def _merged() -> dict[str, _T]:
    """This module's catalog and every ``issuer.texts.<area>.CATALOG``; a key once only."""
    merged = dict(_CATALOG)
    for info in sorted(pkgutil.iter_modules(issuer.texts.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"issuer.texts.{info.name}")
        catalog: Mapping[str, _T] = module.CATALOG
        twice = merged.keys() & catalog.keys()
        if twice:
            raise RuntimeError(f"texts defined twice (issuer.texts.{info.name}): {sorted(twice)}")
        merged.update(catalog)
    return merged


TEXTS: dict[str, dict[str, str]] = {
    lang: {key: values[index] for key, values in _merged().items()}
    for index, lang in enumerate(LANGS)
}
"""``TEXTS[lang][key]``: the page texts of one language."""

_MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def text(lang: str, key: str, **params: object) -> str:
    """``TEXTS[lang][key]`` with ``{name}`` placeholders filled."""
    template = TEXTS.get(lang, TEXTS[DEFAULT_LANG])[key]
    return template.format(**params) if params else template


def accept_language(header: str | None) -> str | None:
    """The supported language the ``Accept-Language`` header prefers (``None``: none).

    Ranges match on their primary subtag (``fi-FI`` is ``fi``); ``q=0`` refuses;
    ties go to the header's order; ``*`` means any language (the default)."""
    best: tuple[float, int, str] | None = None
    for position, part in enumerate((header or "").split(",")):
        tag, *params = (piece.strip() for piece in part.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        primary = tag.lower().split("-")[0]
        lang = DEFAULT_LANG if primary == "*" else primary
        if lang not in LANGS or q <= 0:
            continue
        candidate = (q, -position, lang)
        if best is None or candidate > best:
            best = candidate
    return best[2] if best else None


def choose_language(
    query: str | None, cookie: str | None, accept: str | None, fallback: str = DEFAULT_LANG
) -> str:
    """The page language: ``?lang=``, then the cookie, then ``Accept-Language``."""
    for choice in (query, cookie):
        if choice in LANGS:
            return choice
    return accept_language(accept) or fallback


def format_date(value: datetime | date | str | None, lang: str) -> str | None:
    """A date as people of ``lang`` write it: ``1.12.2026``, ``2026-12-01``, ``1 December
    2026``. Text is read as ISO 8601 (returned as is when it is not)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            parsed: datetime | date = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
        value = parsed
    if isinstance(value, datetime):
        value = (value.astimezone(UTC) if value.tzinfo else value).date()
    if lang == "fi":
        return f"{value.day}.{value.month}.{value.year}"
    if lang == "sv":
        return value.isoformat()
    return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"


def iso_datetime(value: datetime | str | None) -> str | None:
    """The machine-readable form for ``<time datetime>``: UTC ISO 8601."""
    if value is None or isinstance(value, str):
        return value or None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def pick_text(value: object, lang: str) -> str | None:
    """A display string from a plain string or a ``{"fi": …, "sv": …}`` object."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and value:
        for choice in (lang, *LANGS):
            found = value.get(choice)
            if isinstance(found, str):
                return found
    return None
