"""First start: the ``demo`` organisation, its issuer and the leadership catalog."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from issuer.auth import SYSTEM
from issuer.catalog import load_catalog
from issuer.services import ServiceContext, audit
from issuer.services.catalog_io import import_catalog
from issuer.services.issuers import new_signing_key
from issuer.store.base import new_id, utcnow
from issuer.store.tables import Issuer, Organization

log = logging.getLogger("merkki.seed")

DEMO_SLUG = "demo"
DEMO_ISSUER_EMAIL = "merkki-demo@example.org"
"""OB 2.0 requires an issuer e-mail; example.org is reserved for documentation (RFC 2606)."""

DEMO_ISSUER_NAME = {
    "fi": "Merkki-demo – esimerkkiorganisaatio",
    "sv": "Merkki-demo – exempelorganisation",
    "en": "Merkki demo organisation",
}
DEMO_ISSUER_DESCRIPTION = {
    "fi": "Esimerkkiorganisaatio, joka myöntää johtamisosaamisen merkkejä Merkki-palvelun "
    "kokeilua varten.",
    "sv": "En exempelorganisation som utfärdar märken för ledarskapskompetens för att "
    "prova tjänsten Merkki.",
    "en": "An example organisation that awards leadership competence badges for trying "
    "out the Merkki service.",
}


def seed_demo(session: Session, ctx: ServiceContext) -> bool:
    """Create the demo organisation once; ``False`` when it exists already."""
    if session.scalar(select(Organization.id).where(Organization.slug == DEMO_SLUG)):
        return False
    now = utcnow()
    org = Organization(id=new_id(), slug=DEMO_SLUG, name="Merkki demo", created_at=now)
    issuer = Issuer(
        id=new_id(),
        org_id=org.id,
        name=DEMO_ISSUER_NAME,
        description=DEMO_ISSUER_DESCRIPTION,
        url=None,
        email=DEMO_ISSUER_EMAIL,
        image=None,
        did_method="web",
        format="ldp",
        default_language="fi",
        created_at=now,
        updated_at=now,
    )
    session.add(org)
    session.flush()
    session.add(issuer)
    session.flush()
    session.add(new_signing_key(ctx, issuer.id, "ed25519"))
    catalog = load_catalog()
    import_catalog(session, SYSTEM, org.id, catalog, issuer_id=issuer.id, commit=False)
    audit.record(
        session,
        SYSTEM,
        "demo.seed",
        "organization",
        org.id,
        org_id=org.id,
        issuer_id=issuer.id,
        achievements=len(catalog.achievements),
    )
    try:
        session.commit()
    except IntegrityError:  # another worker seeded it at the same moment
        session.rollback()
        return False
    log.info(
        "demo_seeded org=%s issuer=%s achievements=%d", org.id, issuer.id, len(catalog.achievements)
    )
    return True
