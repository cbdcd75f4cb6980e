"""Texts of signing in, the admin layout, and the users, tokens and audit pages."""

from __future__ import annotations

CATALOG: dict[str, tuple[str, str, str]] = {
    # ------------------------------------------------------------------ admin layout
    "admin_title": ("Hallinta", "Administration", "Administration"),
    "admin_nav": ("Hallinnan valikko", "Administrationsmeny", "Administration menu"),
    "admin_org": ("Organisaatio", "Organisation", "Organisation"),
    "admin_switch_org": ("Vaihda organisaatiota", "Byt organisation", "Switch organisation"),
    "admin_switch": ("Vaihda", "Byt", "Switch"),
    "admin_nav_dashboard": ("Yleiskatsaus", "Översikt", "Overview"),
    "admin_nav_achievements": ("Merkit", "Märken", "Badges"),
    "admin_nav_awards": ("Myönnetyt", "Utfärdade", "Awards"),
    "admin_nav_bulk": ("Joukkomyöntö", "Massutfärdande", "Bulk award"),
    "admin_nav_applications": ("Hakemukset", "Ansökningar", "Applications"),
    "admin_nav_issuers": ("Myöntäjät", "Utfärdare", "Issuers"),
    "admin_nav_tokens": ("API-avaimet", "API-nycklar", "API tokens"),
    "admin_nav_users": ("Käyttäjät", "Användare", "Users"),
    "admin_nav_audit": ("Tapahtumaloki", "Händelselogg", "Audit log"),
    "admin_role_owner": ("Omistaja", "Ägare", "Owner"),
    "admin_role_issuer": ("Myöntäjä", "Utfärdare", "Issuer"),
    "admin_role_reviewer": ("Arvioija", "Granskare", "Reviewer"),
    "admin_role_viewer": ("Katselija", "Läsare", "Viewer"),
    "admin_error_title": ("Toimintoa ei voitu tehdä", "Åtgärden kunde inte utföras", "Not allowed"),
    "admin_error_role": (
        "Roolisi ei salli tätä sivua tai toimintoa.",
        "Din roll tillåter inte den här sidan eller åtgärden.",
        "Your role does not allow this page or action.",
    ),
    "admin_error_csrf": (
        "Lomakkeen turvatunniste puuttui tai oli vanhentunut. Lataa sivu uudelleen ja yritä "
        "uudestaan.",
        "Formulärets säkerhetstoken saknades eller hade gått ut. Ladda om sidan och försök igen.",
        "The form's security token was missing or expired. Reload the page and try again.",
    ),
    "admin_back_home": ("Takaisin hallintaan", "Tillbaka till administrationen", "Back to admin"),
    "admin_saved": ("Tallennettu.", "Sparat.", "Saved."),
    "admin_cancel": ("Peruuta", "Avbryt", "Cancel"),
    "admin_previous": ("Edellinen sivu", "Föregående sida", "Previous page"),
    "admin_next": ("Seuraava sivu", "Nästa sida", "Next page"),
    "admin_none": ("Ei mitään näytettävää.", "Inget att visa.", "Nothing to show."),
    # ------------------------------------------------------------------ sign in
    "auth_sign_in": ("Kirjaudu sisään", "Logga in", "Sign in"),
    "auth_sign_out": ("Kirjaudu ulos", "Logga ut", "Sign out"),
    "auth_email": ("Sähköpostiosoite", "E-postadress", "E-mail address"),
    "auth_password": ("Salasana", "Lösenord", "Password"),
    "auth_login_intro": (
        "Kirjaudu Merkin hallintaan organisaatiosi tunnuksilla.",
        "Logga in på Merkkis administration med din organisations konto.",
        "Sign in to Merkki's administration with your organisation account.",
    ),
    "auth_error_login": (
        "Sähköpostiosoite tai salasana on väärin.",
        "E-postadressen eller lösenordet är fel.",
        "The e-mail address or password is wrong.",
    ),
    "auth_error_throttled": (
        "Liian monta epäonnistunutta kirjautumista. Yritä uudelleen {minutes} minuutin kuluttua.",
        "För många misslyckade inloggningar. Försök igen om {minutes} minuter.",
        "Too many failed sign-ins. Try again in {minutes} minutes.",
    ),
    "auth_error_no_org": (
        "Tunnuksellasi ei ole pääsyä mihinkään organisaatioon.",
        "Ditt konto har inte åtkomst till någon organisation.",
        "Your account has no access to any organisation.",
    ),
    "auth_forgot_link": ("Unohditko salasanan?", "Glömt lösenordet?", "Forgot your password?"),
    "auth_signed_out": ("Olet kirjautunut ulos.", "Du har loggat ut.", "You have signed out."),
    # ------------------------------------------------------------------ password reset
    "auth_forgot_title": ("Salasanan vaihto", "Byt lösenord", "Reset your password"),
    "auth_forgot_intro": (
        "Anna sähköpostiosoitteesi. Lähetämme linkin, jolla voit asettaa uuden salasanan.",
        "Ange din e-postadress. Vi skickar en länk där du kan välja ett nytt lösenord.",
        "Enter your e-mail address. We will send a link for setting a new password.",
    ),
    "auth_forgot_send": ("Lähetä linkki", "Skicka länken", "Send the link"),
    "auth_forgot_sent": (
        "Jos osoitteella on tunnus, siihen lähetettiin linkki. Linkki on voimassa tunnin.",
        "Om adressen har ett konto skickades en länk dit. Länken gäller en timme.",
        "If the address has an account, a link was sent to it. The link is valid for an hour.",
    ),
    "auth_reset_title": ("Aseta uusi salasana", "Välj ett nytt lösenord", "Set a new password"),
    "auth_new_password": ("Uusi salasana", "Nytt lösenord", "New password"),
    "auth_repeat_password": ("Salasana uudelleen", "Lösenordet igen", "Repeat the password"),
    "auth_password_hint": (
        "Vähintään {min} merkkiä. Pitkä lause on hyvä salasana.",
        "Minst {min} tecken. En lång mening är ett bra lösenord.",
        "At least {min} characters. A long sentence makes a good password.",
    ),
    "auth_reset_save": ("Tallenna salasana", "Spara lösenordet", "Save the password"),
    "auth_reset_done": (
        "Salasana vaihdettiin. Kirjaudu sisään uudella salasanalla.",
        "Lösenordet har bytts. Logga in med det nya lösenordet.",
        "Your password was changed. Sign in with the new password.",
    ),
    "auth_reset_invalid": (
        "Linkki on vanhentunut tai jo käytetty. Pyydä uusi linkki.",
        "Länken har gått ut eller redan använts. Be om en ny länk.",
        "The link has expired or was already used. Ask for a new link.",
    ),
    "auth_error_too_short": (
        "Salasanassa on oltava vähintään {min} merkkiä.",
        "Lösenordet måste ha minst {min} tecken.",
        "The password must have at least {min} characters.",
    ),
    "auth_error_long": (
        "Salasana on liian pitkä.",
        "Lösenordet är för långt.",
        "The password is too long.",
    ),
    "auth_error_mismatch": (
        "Salasanat eivät ole samat.",
        "Lösenorden är inte likadana.",
        "The passwords are not the same.",
    ),
    "auth_mail_reset_subject": (
        "Merkki: salasanan vaihto",
        "Merkki: byt lösenord",
        "Merkki: reset your password",
    ),
    "auth_mail_reset_body": (
        "Joku (toivottavasti sinä) pyysi uutta salasanaa Merkki-tunnukselle {email}. Aseta "
        "uusi salasana tästä linkistä tunnin kuluessa:",
        "Någon (förhoppningsvis du) bad om ett nytt lösenord för Merkki-kontot {email}. Välj "
        "ett nytt lösenord via den här länken inom en timme:",
        "Someone (hopefully you) asked for a new password for the Merkki account {email}. "
        "Set a new password with this link within an hour:",
    ),
    "auth_mail_ignore": (
        "Jos et pyytänyt tätä, voit jättää viestin huomiotta: salasanasi ei muutu.",
        "Om du inte bad om detta kan du strunta i meddelandet: ditt lösenord ändras inte.",
        "If you did not ask for this, ignore this message: your password does not change.",
    ),
    # ------------------------------------------------------------------ invitations
    "auth_mail_invite_subject": (
        "Kutsu Merkkiin: {org}",
        "Inbjudan till Merkki: {org}",
        "Invitation to Merkki: {org}",
    ),
    "auth_mail_invite_body": (
        "{inviter} kutsui sinut organisaation {org} Merkki-palveluun roolissa {role}. Hyväksy "
        "kutsu 7 päivän kuluessa:",
        "{inviter} bjöd in dig till organisationen {org} i Merkki med rollen {role}. Godkänn "
        "inbjudan inom 7 dagar:",
        "{inviter} invited you to {org} on Merkki with the role {role}. Accept the invitation "
        "within 7 days:",
    ),
    "auth_invite_title": ("Kutsu: {org}", "Inbjudan: {org}", "Invitation: {org}"),
    "auth_invite_intro": (
        "Sinut on kutsuttu organisaatioon {org} roolissa {role} osoitteella {email}.",
        "Du har bjudits in till {org} med rollen {role} på adressen {email}.",
        "You were invited to {org} with the role {role} at the address {email}.",
    ),
    "auth_invite_create": (
        "Luo tunnus ja liity",
        "Skapa ett konto och gå med",
        "Create your account and join",
    ),
    "auth_invite_join": (
        "Liity organisaatioon",
        "Gå med i organisationen",
        "Join the organisation",
    ),
    "auth_invite_sign_in": (
        "Osoitteella on jo tunnus. Kirjaudu sisään sillä hyväksyäksesi kutsun.",
        "Adressen har redan ett konto. Logga in med det för att godkänna inbjudan.",
        "The address has an account already. Sign in with it to accept the invitation.",
    ),
    "auth_invite_other": (
        "Olet kirjautunut osoitteella {email}, mutta kutsu on osoitteelle {invited}. Kirjaudu "
        "ulos ja kirjaudu kutsutulla osoitteella.",
        "Du är inloggad som {email}, men inbjudan gäller {invited}. Logga ut och logga in med "
        "den inbjudna adressen.",
        "You are signed in as {email}, but the invitation is for {invited}. Sign out and sign "
        "in with the invited address.",
    ),
    "auth_invite_invalid": (
        "Kutsu on vanhentunut tai jo käytetty. Pyydä uusi kutsu.",
        "Inbjudan har gått ut eller redan använts. Be om en ny inbjudan.",
        "The invitation has expired or was already used. Ask for a new one.",
    ),
    "auth_name": ("Nimi", "Namn", "Name"),
    # ------------------------------------------------------------------ /admin/users
    "admin_users_title": ("Käyttäjät", "Användare", "Users"),
    "admin_users_intro": (
        "Organisaation jäsenet ja heidän roolinsa. Omistajat hallitsevat käyttäjiä ja "
        "API-avaimia, myöntäjät myöntävät ja peruvat merkkejä, arvioijat käsittelevät "
        "hakemuksia ja katselijat näkevät tiedot.",
        "Organisationens medlemmar och deras roller. Ägare hanterar användare och "
        "API-nycklar, utfärdare utfärdar och återkallar märken, granskare behandlar "
        "ansökningar och läsare ser uppgifterna.",
        "The organisation's members and their roles. Owners manage users and API tokens, "
        "issuers award and revoke badges, reviewers handle applications and viewers can look.",
    ),
    "admin_users_role": ("Rooli", "Roll", "Role"),
    "admin_users_last_login": ("Viimeksi kirjautunut", "Senast inloggad", "Last sign-in"),
    "admin_users_never": ("ei koskaan", "aldrig", "never"),
    "admin_users_change": ("Vaihda rooli", "Byt roll", "Change role"),
    "admin_users_remove": ("Poista", "Ta bort", "Remove"),
    "admin_users_you": ("sinä", "du", "you"),
    "admin_users_invite": ("Kutsu käyttäjä", "Bjud in en användare", "Invite a user"),
    "admin_users_send_invite": ("Lähetä kutsu", "Skicka inbjudan", "Send the invitation"),
    "admin_users_invited": (
        "Kutsu lähetettiin osoitteeseen {email}.",
        "Inbjudan skickades till {email}.",
        "The invitation was sent to {email}.",
    ),
    "admin_users_pending": ("Avoimet kutsut", "Öppna inbjudningar", "Pending invitations"),
    "admin_users_expires": ("Vanhenee", "Går ut", "Expires"),
    "admin_users_last_owner": (
        "Organisaatiolla on oltava vähintään yksi omistaja.",
        "Organisationen måste ha minst en ägare.",
        "The organisation must keep at least one owner.",
    ),
    "admin_users_member_exists": (
        "Osoite kuuluu jo organisaatioon.",
        "Adressen hör redan till organisationen.",
        "The address is a member already.",
    ),
    "admin_users_bad_email": (
        "Anna kelvollinen sähköpostiosoite.",
        "Ange en giltig e-postadress.",
        "Give a valid e-mail address.",
    ),
    "admin_users_removed": (
        "Käyttäjä poistettiin.",
        "Användaren togs bort.",
        "The user was removed.",
    ),
    # ------------------------------------------------------------------ /admin/tokens
    "admin_tokens_title": ("API-avaimet", "API-nycklar", "API tokens"),
    "admin_tokens_intro": (
        "API-avaimella järjestelmät (esim. HR- tai koulutusjärjestelmä) voivat myöntää ja "
        "lukea merkkejä. Avain näytetään vain kerran.",
        "Med en API-nyckel kan system (t.ex. HR- eller utbildningssystem) utfärda och läsa "
        "märken. Nyckeln visas bara en gång.",
        "With an API token, systems (e.g. HR or learning systems) can award and read badges. "
        "A token is shown once only.",
    ),
    "admin_tokens_name": ("Nimi", "Namn", "Name"),
    "admin_tokens_scopes": ("Oikeudet", "Behörigheter", "Scopes"),
    "admin_tokens_created": ("Luotu", "Skapad", "Created"),
    "admin_tokens_status": ("Tila", "Status", "Status"),
    "admin_tokens_active": ("Käytössä", "Aktiv", "Active"),
    "admin_tokens_revoked": ("Mitätöity", "Återkallad", "Revoked"),
    "admin_tokens_revoke": ("Mitätöi", "Återkalla", "Revoke"),
    "admin_tokens_create": ("Luo avain", "Skapa en nyckel", "Create a token"),
    "admin_tokens_new": ("Uusi API-avain", "Ny API-nyckel", "New API token"),
    "admin_tokens_secret": (
        "Kopioi avain nyt: sitä ei näytetä uudelleen.",
        "Kopiera nyckeln nu: den visas inte igen.",
        "Copy the token now: it will not be shown again.",
    ),
    "admin_tokens_no_scopes": (
        "Valitse vähintään yksi oikeus.",
        "Välj minst en behörighet.",
        "Choose at least one scope.",
    ),
    "admin_tokens_no_name": (
        "Anna avaimelle nimi.",
        "Ge nyckeln ett namn.",
        "Give the token a name.",
    ),
    "admin_tokens_revoked_ok": (
        "Avain mitätöitiin.",
        "Nyckeln återkallades.",
        "The token was revoked.",
    ),
    "admin_scope_read": ("lukea", "läsa", "read"),
    "admin_scope_award": ("myöntää", "utfärda", "award"),
    "admin_scope_revoke": ("perua", "återkalla", "revoke"),
    "admin_scope_manage": ("hallita", "hantera", "manage"),
    # ------------------------------------------------------------------ /admin/audit
    "admin_audit_title": ("Tapahtumaloki", "Händelselogg", "Audit log"),
    "admin_audit_intro": (
        "Kuka teki mitä ja milloin. Lokia ei voi muuttaa.",
        "Vem gjorde vad och när. Loggen kan inte ändras.",
        "Who did what, and when. The log cannot be changed.",
    ),
    "admin_audit_when": ("Aika (UTC)", "Tid (UTC)", "Time (UTC)"),
    "admin_audit_action": ("Tapahtuma", "Händelse", "Action"),
    "admin_audit_actor": ("Tekijä", "Utförare", "Actor"),
    "admin_audit_target": ("Kohde", "Objekt", "Target"),
    "admin_audit_details": ("Tiedot", "Detaljer", "Details"),
    "admin_audit_from": ("Alkaen", "Från", "From"),
    "admin_audit_to": ("Asti", "Till", "To"),
    "admin_audit_filter": ("Suodata", "Filtrera", "Filter"),
    "admin_audit_clear": ("Tyhjennä", "Rensa", "Clear"),
    "admin_audit_any": ("kaikki", "alla", "any"),
    "admin_audit_bad_date": (
        "Anna päivämäärä muodossa VVVV-KK-PP.",
        "Ange datumet som ÅÅÅÅ-MM-DD.",
        "Give the date as YYYY-MM-DD.",
    ),
}
