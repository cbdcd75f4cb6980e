"""Plain-language messages for verification results, in English, Finnish and Swedish.

Each stable code maps to one template per language; ``{name}`` placeholders are
filled from the check's ``params``. Codes double as the last path segment of
the RFC 9457 problem ``type`` URIs the service answers with.
"""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES = ("en", "fi", "sv")

_CATALOG: dict[str, tuple[str, str, str]] = {
    # code: (en, fi, sv)
    "ok_parse": (
        "The credential was read ({format}).",
        "Tunniste luettiin ({format}).",
        "Intyget lästes in ({format}).",
    ),
    "ok_context": (
        "It declares the Verifiable Credentials and Open Badges contexts.",
        "Se ilmoittaa Verifiable Credentials- ja Open Badges -kontekstit.",
        "Det anger kontexterna för Verifiable Credentials och Open Badges.",
    ),
    "ok_schema": (
        "It matches the official Open Badges 3.0 JSON Schema.",
        "Se vastaa virallista Open Badges 3.0 -skeemaa.",
        "Det följer det officiella JSON-schemat för Open Badges 3.0.",
    ),
    "ok_issuer": (
        "The signing key {key} belongs to the issuer {issuer}.",
        "Allekirjoitusavain {key} kuuluu myöntäjälle {issuer}.",
        "Signeringsnyckeln {key} tillhör utfärdaren {issuer}.",
    ),
    "ok_proof": (
        "The signature ({suite}) is valid: the credential has not been changed since it was signed.",
        "Allekirjoitus ({suite}) on kelvollinen: tunnistetta ei ole muutettu allekirjoituksen jälkeen.",
        "Signaturen ({suite}) är giltig: intyget har inte ändrats sedan det signerades.",
    ),
    "ok_valid_from": (
        "It has been valid since {valid_from}.",
        "Se on ollut voimassa {valid_from} alkaen.",
        "Det har varit giltigt sedan {valid_from}.",
    ),
    "ok_valid_until": (
        "It is valid until {valid_until}.",
        "Se on voimassa {valid_until} asti.",
        "Det är giltigt till {valid_until}.",
    ),
    "no_expiry": (
        "It does not expire.",
        "Sillä ei ole päättymispäivää.",
        "Det upphör inte att gälla.",
    ),
    "ok_status": (
        "The issuer has not revoked or suspended it.",
        "Myöntäjä ei ole perunut eikä keskeyttänyt sitä.",
        "Utfärdaren har inte återkallat eller tillfälligt spärrat det.",
    ),
    "no_status": (
        "The issuer publishes no revocation status for it.",
        "Myöntäjä ei julkaise sille peruutustietoa.",
        "Utfärdaren publicerar ingen återkallelsestatus för det.",
    ),
    "status_not_checked": (
        "The revocation status was not checked.",
        "Peruutustilaa ei tarkistettu.",
        "Återkallelsestatusen kontrollerades inte.",
    ),
    "schema_not_applicable": (
        "No Open Badges schema applies to its type; it was checked as a generic credential.",
        "Sen tyyppiin ei sovellu mikään Open Badges -skeema; se tarkistettiin yleisenä tunnisteena.",
        "Inget Open Badges-schema gäller för dess typ; det kontrollerades som ett allmänt intyg.",
    ),
    "schema_undeclared": (
        "It declares no credentialSchema; {count} departures from the Open Badges schema are reported as notes.",
        "Se ei ilmoita credentialSchema-skeemaa; {count} poikkeamaa Open Badges -skeemasta raportoidaan huomioina.",
        "Det anger inget credentialSchema; {count} avvikelser från Open Badges-schemat rapporteras som anmärkningar.",
    ),
    "bare_did_key": (
        "The signing key {key} is a bare did:key; its single key was used.",
        "Allekirjoitusavain {key} on pelkkä did:key; sen ainoaa avainta käytettiin.",
        "Signeringsnyckeln {key} är en ren did:key; dess enda nyckel användes.",
    ),
    "jwk_not_bound": (
        "The JWT carries its own key (jwk) that no document of the issuer {issuer} lists: the signature proves integrity, not who signed.",
        "JWT sisältää oman avaimensa (jwk), jota mikään myöntäjän {issuer} asiakirja ei mainitse: allekirjoitus todistaa eheyden, ei allekirjoittajaa.",
        "JWT:n bär sin egen nyckel (jwk) som inget dokument från utfärdaren {issuer} listar: signaturen visar integritet, inte vem som signerade.",
    ),
    "key_revoked_later": (
        "It was signed on {signed} with the key {key}, which the issuer marked compromised later, on {revoked}; signatures made before that stay valid.",
        "Se allekirjoitettiin {signed} avaimella {key}, jonka myöntäjä merkitsi vaarantuneeksi myöhemmin, {revoked}; sitä ennen tehdyt allekirjoitukset pysyvät kelvollisina.",
        "Det signerades {signed} med nyckeln {key}, som utfärdaren senare, {revoked}, markerade som komprometterad; signaturer gjorda före det förblir giltiga.",
    ),
    "status_type_not_checked": (
        "A status entry of type {type} was not checked: this verifier cannot read that kind of list.",
        "Tyypin {type} tilamerkintää ei tarkistettu: tämä tarkistaja ei osaa lukea sellaista listaa.",
        "En statuspost av typen {type} kontrollerades inte: denna verifierare kan inte läsa sådana listor.",
    ),
    "ok_recipient": (
        "It was awarded to {recipient}.",
        "Se on myönnetty henkilölle {recipient}.",
        "Det har tilldelats {recipient}.",
    ),
    "recipient_not_requested": (
        "No recipient was given to compare.",
        "Vastaanottajaa ei annettu vertailtavaksi.",
        "Ingen mottagare angavs för jämförelse.",
    ),
    "ok_endorsement": (
        "The {count} embedded endorsement(s) verify: each one's signature and signer check out.",
        "Merkkiin upotetut suositukset ({count}) ovat kelvollisia: kunkin allekirjoitus ja "
        "allekirjoittaja on tarkistettu.",
        "De {count} inbäddade rekommendationerna är giltiga: varje signatur och "
        "undertecknare har kontrollerats.",
    ),
    "endorsement_invalid": (
        "{failed} of {count} embedded endorsements are not valid ({detail}). They are not "
        "counted; the badge itself is judged on its own checks.",
        "{failed}/{count} upotetusta suosituksesta ei ole kelvollisia ({detail}). Niitä ei "
        "oteta huomioon; merkki arvioidaan omien tarkistustensa perusteella.",
        "{failed} av {count} inbäddade rekommendationer är inte giltiga ({detail}). De räknas "
        "inte; märket bedöms utifrån sina egna kontroller.",
    ),
    "endorsement_unverifiable": (
        "{count} embedded endorsement(s) could not be checked ({detail}); the badge itself is "
        "judged on its own checks.",
        "{count} upotettua suositusta ei voitu tarkistaa ({detail}); merkki arvioidaan omien "
        "tarkistustensa perusteella.",
        "{count} inbäddade rekommendationer kunde inte kontrolleras ({detail}); märket bedöms "
        "utifrån sina egna kontroller.",
    ),
    "endorsement_not_valid": (
        "The endorsement {id} by {issuer} is not valid ({verdict}): {detail}",
        "Suositus {id} (suosittelija {issuer}) ei ole kelvollinen ({verdict}): {detail}",
        "Rekommendationen {id} från {issuer} är inte giltig ({verdict}): {detail}",
    ),
    "endorsements_truncated": (
        "Only the first {limit} embedded endorsements were checked.",
        "Vain ensimmäiset {limit} upotettua suositusta tarkistettiin.",
        "Endast de {limit} första inbäddade rekommendationerna kontrollerades.",
    ),
    "skipped_after_failure": (
        "Not checked, because an earlier check did not pass.",
        "Ei tarkistettu, koska aiempi tarkistus ei mennyt läpi.",
        "Kontrollerades inte eftersom en tidigare kontroll inte godkändes.",
    ),
    # failures
    "not_json": (
        "The input is neither JSON nor a JWT: {detail}",
        "Syöte ei ole JSON eikä JWT: {detail}",
        "Indata är varken JSON eller en JWT: {detail}",
    ),
    "not_object": (
        "A credential must be a JSON object.",
        "Tunnisteen on oltava JSON-olio.",
        "Ett intyg måste vara ett JSON-objekt.",
    ),
    "too_large": (
        "The input is larger than {limit} bytes.",
        "Syöte on suurempi kuin {limit} tavua.",
        "Indata är större än {limit} byte.",
    ),
    "too_deep": (
        "The JSON is nested deeper than {limit} levels.",
        "JSON on sisäkkäinen yli {limit} tasoa.",
        "JSON är nästlad djupare än {limit} nivåer.",
    ),
    "malformed_jwt": (
        "The JWT is malformed: {detail}",
        "JWT on virheellinen: {detail}",
        "JWT:n är felaktig: {detail}",
    ),
    "bad_context": (
        "The @context is not valid for a credential: {detail}",
        "@context ei kelpaa tunnisteelle: {detail}",
        "@context är inte giltig för ett intyg: {detail}",
    ),
    "bad_type": (
        "The type is not valid: {detail}",
        "Tyyppi ei kelpaa: {detail}",
        "Typen är inte giltig: {detail}",
    ),
    "schema_invalid": (
        "It does not match the Open Badges schema: {detail}",
        "Se ei vastaa Open Badges -skeemaa: {detail}",
        "Det följer inte Open Badges-schemat: {detail}",
    ),
    "schema_vc11": (
        "It uses the older VC 1.1 data model (issuanceDate), read as its VC 2.0 equivalent.",
        "Se käyttää vanhempaa VC 1.1 -tietomallia (issuanceDate), joka luettiin VC 2.0 -vastineenaan.",
        "Det använder den äldre datamodellen VC 1.1 (issuanceDate), tolkad som motsvarande VC 2.0.",
    ),
    "schema_warning": (
        "Schema note: {detail}",
        "Skeemahuomio: {detail}",
        "Schemaanmärkning: {detail}",
    ),
    "issuer_missing": (
        "The issuer is missing or has no id.",
        "Myöntäjä puuttuu tai siltä puuttuu tunniste.",
        "Utfärdaren saknas eller saknar id.",
    ),
    "key_not_bound": (
        "The signing key {key} does not belong to the issuer {issuer}.",
        "Allekirjoitusavain {key} ei kuulu myöntäjälle {issuer}.",
        "Signeringsnyckeln {key} tillhör inte utfärdaren {issuer}.",
    ),
    "key_revoked": (
        "It was signed on {signed} with the key {key}, which the issuer marked compromised on {revoked}: signatures made from then on are not accepted.",
        "Se allekirjoitettiin {signed} avaimella {key}, jonka myöntäjä merkitsi vaarantuneeksi {revoked}: sen jälkeen tehtyjä allekirjoituksia ei hyväksytä.",
        "Det signerades {signed} med nyckeln {key}, som utfärdaren markerade som komprometterad {revoked}: signaturer gjorda från och med då godtas inte.",
    ),
    "key_revoked_undated": (
        "It was signed with the key {key}, which the issuer marked compromised on {revoked}, and the signature does not say when it was made, so it cannot be shown to predate the compromise.",
        "Se allekirjoitettiin avaimella {key}, jonka myöntäjä merkitsi vaarantuneeksi {revoked}, eikä allekirjoituksessa ole aikaa, joten ei voida osoittaa, että se tehtiin ennen vaarantumista.",
        "Det signerades med nyckeln {key}, som utfärdaren markerade som komprometterad {revoked}, och signaturen anger inte när den gjordes, så det går inte att visa att den gjordes före det.",
    ),
    "jwt_no_issuer_key": (
        "The JWT names no key (kid or jwk), and the issuer {issuer} publishes no key for {alg}.",
        "JWT ei nimeä avainta (kid tai jwk), eikä myöntäjä {issuer} julkaise {alg}-avainta.",
        "JWT:n anger ingen nyckel (kid eller jwk), och utfärdaren {issuer} publicerar ingen nyckel för {alg}.",
    ),
    "key_not_authorized": (
        "The issuer has not authorised the key {key} to sign credentials (assertionMethod).",
        "Myöntäjä ei ole valtuuttanut avainta {key} allekirjoittamaan tunnisteita (assertionMethod).",
        "Utfärdaren har inte godkänt nyckeln {key} för att signera intyg (assertionMethod).",
    ),
    "unsupported_did_method": (
        "The key {key} uses a DID method that cannot be resolved.",
        "Avain {key} käyttää DID-menetelmää, jota ei voi selvittää.",
        "Nyckeln {key} använder en DID-metod som inte kan slås upp.",
    ),
    "key_unresolvable": (
        "The signing key {key} could not be retrieved: {detail}",
        "Allekirjoitusavainta {key} ei saatu haettua: {detail}",
        "Signeringsnyckeln {key} kunde inte hämtas: {detail}",
    ),
    "no_proof": (
        "The credential is not signed.",
        "Tunnistetta ei ole allekirjoitettu.",
        "Intyget är inte signerat.",
    ),
    "invalid_signature": (
        "The signature is not valid: the credential was changed after signing or signed with another key.",
        "Allekirjoitus ei ole kelvollinen: tunnistetta on muutettu allekirjoituksen jälkeen tai se on allekirjoitettu toisella avaimella.",
        "Signaturen är ogiltig: intyget har ändrats efter signeringen eller signerats med en annan nyckel.",
    ),
    "unsupported_cryptosuite": (
        "The signature type is not supported: {detail}",
        "Allekirjoitustyyppiä ei tueta: {detail}",
        "Signaturtypen stöds inte: {detail}",
    ),
    "unsupported_algorithm": (
        "The signature algorithm is not allowed: {detail}",
        "Allekirjoitusalgoritmi ei ole sallittu: {detail}",
        "Signaturalgoritmen är inte tillåten: {detail}",
    ),
    "malformed_proof": (
        "The signature is malformed: {detail}",
        "Allekirjoitus on virheellinen: {detail}",
        "Signaturen är felaktig: {detail}",
    ),
    "proof_transformation_error": (
        "The credential contains data outside its declared vocabulary, so it cannot be checked safely: {detail}",
        "Tunniste sisältää tietoja, joita sen sanasto ei määrittele, joten sitä ei voi tarkistaa turvallisesti: {detail}",
        "Intyget innehåller data utanför sitt deklarerade vokabulär och kan därför inte kontrolleras säkert: {detail}",
    ),
    "proof_context_mismatch": (
        "The signature's @context differs from the credential's.",
        "Allekirjoituksen @context poikkeaa tunnisteen kontekstista.",
        "Signaturens @context skiljer sig från intygets.",
    ),
    "key_type_mismatch": (
        "The signature and the key do not match in type: {detail}",
        "Allekirjoituksen ja avaimen tyypit eivät täsmää: {detail}",
        "Signaturens och nyckelns typer stämmer inte överens: {detail}",
    ),
    "wrong_proof_purpose": (
        'The signature was made for "{purpose}", not for asserting a credential.',
        'Allekirjoitus on tehty tarkoitukseen "{purpose}", ei tunnisteen myöntämiseen.',
        'Signaturen gjordes för "{purpose}", inte för att utfärda ett intyg.',
    ),
    "claim_mismatch": (
        "The JWT claims disagree with the credential: {detail}",
        "JWT:n väitteet ovat ristiriidassa tunnisteen kanssa: {detail}",
        "JWT:ns anspråk stämmer inte med intyget: {detail}",
    ),
    "not_yet_valid": (
        "It is not valid before {valid_from}.",
        "Se ei ole voimassa ennen {valid_from}.",
        "Det är inte giltigt före {valid_from}.",
    ),
    "bad_date": (
        "A date is not a valid ISO 8601 date-time: {detail}",
        "Päivämäärä ei ole kelvollinen ISO 8601 -aika: {detail}",
        "Ett datum är inte en giltig ISO 8601-tidpunkt: {detail}",
    ),
    "expired": (
        "It expired on {valid_until}.",
        "Se vanheni {valid_until}.",
        "Det upphörde att gälla {valid_until}.",
    ),
    "revoked": (
        "The issuer has revoked it.",
        "Myöntäjä on perunut sen.",
        "Utfärdaren har återkallat det.",
    ),
    "suspended": (
        "The issuer has suspended it.",
        "Myöntäjä on keskeyttänyt sen.",
        "Utfärdaren har tillfälligt spärrat det.",
    ),
    "status_from_issuer": (
        "The status comes from the issuing service's own record of this badge.",
        "Tila perustuu myöntävän palvelun omaan tietoon tästä merkistä.",
        "Statusen kommer från den utfärdande tjänstens egna uppgifter om märket.",
    ),
    "status_unreachable": (
        "The revocation status could not be checked: {detail}",
        "Peruutustilaa ei voitu tarkistaa: {detail}",
        "Återkallelsestatusen kunde inte kontrolleras: {detail}",
    ),
    "status_invalid": (
        "The revocation status list is not valid: {detail}",
        "Peruutuslista ei ole kelvollinen: {detail}",
        "Återkallelselistan är inte giltig: {detail}",
    ),
    "recipient_mismatch": (
        "It was not awarded to {recipient}.",
        "Sitä ei ole myönnetty henkilölle {recipient}.",
        "Det har inte tilldelats {recipient}.",
    ),
    "internal_error": (
        "The check failed unexpectedly: {detail}",
        "Tarkistus epäonnistui odottamatta: {detail}",
        "Kontrollen misslyckades oväntat: {detail}",
    ),
    # Open Badges 2.0 (badges.ob2) and input dispatch (badges.verify)
    "ok_hosted": (
        "The issuer hosts this badge at {url}; that copy was checked.",
        "Myöntäjä julkaisee tämän merkin osoitteessa {url}; se kopio tarkistettiin.",
        "Utfärdaren publicerar märket på {url}; den kopian kontrollerades.",
    ),
    "ok_ob2_documents": (
        "The assertion, its badge class and its issuer are valid Open Badges 2.0 documents.",
        "Myönnetty merkki, sen merkkiluokka ja myöntäjä ovat kelvollisia Open Badges 2.0 -asiakirjoja.",
        "Märket, dess märkesklass och utfärdaren är giltiga Open Badges 2.0-dokument.",
    ),
    "ok_hosted_scope": (
        "The badge {id} is hosted where the issuer {issuer} publishes its badges.",
        "Merkki {id} on julkaistu siellä, missä myöntäjä {issuer} julkaisee merkkinsä.",
        "Märket {id} finns där utfärdaren {issuer} publicerar sina märken.",
    ),
    "ob2_hosted_id": (
        'A hosted badge must have an http(s) address as its id, got "{id}".',
        'Julkaistun merkin tunnisteen on oltava http(s)-osoite, nyt "{id}".',
        'Ett publicerat märke måste ha en http(s)-adress som id, fick "{id}".',
    ),
    "ob2_hosted_mismatch": (
        "The badge served at {url} is not the same badge: {detail}",
        "Osoitteessa {url} julkaistu merkki ei ole sama merkki: {detail}",
        "Märket som publiceras på {url} är inte samma märke: {detail}",
    ),
    "ob2_hosted_differs": (
        "The copy the issuer hosts at {url} differs from the one given; the issuer's copy was used.",
        "Myöntäjän osoitteessa {url} julkaisema kopio poikkeaa annetusta; myöntäjän kopiota käytettiin.",
        "Kopian som utfärdaren publicerar på {url} skiljer sig från den som gavs; utfärdarens kopia användes.",
    ),
    "ob2_profile_replaced": (
        "The issuer profile embedded in the badge differs from the one the issuer publishes at {url}; the published one was used.",
        "Merkkiin upotettu myöntäjän profiili poikkeaa myöntäjän osoitteessa {url} julkaisemasta; julkaistua käytettiin.",
        "Utfärdarprofilen som är inbäddad i märket skiljer sig från den som utfärdaren publicerar på {url}; den publicerade användes.",
    ),
    "ob2_invalid": (
        "It is not a valid Open Badges 2.0 badge: {detail}",
        "Se ei ole kelvollinen Open Badges 2.0 -merkki: {detail}",
        "Det är inte ett giltigt Open Badges 2.0-märke: {detail}",
    ),
    "ob2_bad_document": (
        "A document of the badge is not usable: {detail}",
        "Merkin asiakirja ei kelpaa: {detail}",
        "Ett dokument som hör till märket går inte att använda: {detail}",
    ),
    "document_unreachable": (
        "A document needed to check the badge could not be retrieved: {detail}",
        "Merkin tarkistukseen tarvittavaa asiakirjaa ei saatu haettua: {detail}",
        "Ett dokument som behövs för att kontrollera märket kunde inte hämtas: {detail}",
    ),
    "ob2_out_of_scope": (
        "The badge {id} is not hosted where the issuer {issuer} allows its badges to be.",
        "Merkkiä {id} ei ole julkaistu siellä, missä myöntäjä {issuer} sallii merkkiensä olla.",
        "Märket {id} finns inte där utfärdaren {issuer} tillåter att dess märken finns.",
    ),
    "ob2_key_not_listed": (
        "The signing key {key} is not one of the keys the issuer {issuer} lists.",
        "Allekirjoitusavain {key} ei ole myöntäjän {issuer} ilmoittamien avainten joukossa.",
        "Signeringsnyckeln {key} är inte en av de nycklar som utfärdaren {issuer} anger.",
    ),
    "ob2_no_keys": (
        "The issuer {issuer} lists no public key to check the signature with.",
        "Myöntäjä {issuer} ei ilmoita julkista avainta, jolla allekirjoituksen voisi tarkistaa.",
        "Utfärdaren {issuer} anger ingen publik nyckel att kontrollera signaturen med.",
    ),
    "ob2_bad_key": (
        "The signing key {key} is not usable: {detail}",
        "Allekirjoitusavain {key} ei kelpaa: {detail}",
        "Signeringsnyckeln {key} går inte att använda: {detail}",
    ),
    "ob2_revocation_reason": (
        "Reason given for the revocation: {reason}",
        "Peruutuksen syy: {reason}",
        "Angivet skäl för återkallelsen: {reason}",
    ),
    "ob2_property_missing": (
        'The issuer profile has no "{name}", which Open Badges 2.0 expects of issuers.',
        'Myöntäjän profiilista puuttuu "{name}", jota Open Badges 2.0 edellyttää myöntäjiltä.',
        'Utfärdarens profil saknar "{name}", som Open Badges 2.0 förväntar sig av utfärdare.',
    ),
    "baked_image": (
        "The badge was read from a baked {format} image.",
        "Merkki luettiin {format}-kuvaan leivotusta merkistä.",
        "Märket lästes ur en {format}-bild där det var inbakat.",
    ),
    "baked_invalid": (
        "No badge could be read from the image: {detail}",
        "Kuvasta ei voitu lukea merkkiä: {detail}",
        "Inget märke kunde läsas ur bilden: {detail}",
    ),
}

CODES = frozenset(_CATALOG)


class _Defaults(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "?"


def message(code: str, params: Mapping[str, object] | None = None, lang: str = "en") -> str:
    """The message for ``code`` in ``lang`` (en, fi or sv; English for anything else)."""
    templates = _CATALOG.get(code)
    if templates is None:
        return code
    index = LANGUAGES.index(lang) if lang in LANGUAGES else 0
    return templates[index].format_map(_Defaults(params or {}))
