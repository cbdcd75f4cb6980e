"""The service's tables: plain rows, no behaviour (orchestration lives in ``issuer.services``).

Every object that belongs to an organisation carries ``org_id`` and every query
filters on it (``issuer.store.repo``). Migrations in ``issuer/migrations`` create
exactly these tables.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from issuer.store.base import Base, UTCDateTime, new_id, utcnow

ID = String(36)


class Organization(Base):
    __tablename__ = "organizations"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Issuer(Base):
    """An issuer Profile; ``name``/``description`` are texts by language or plain strings."""

    __tablename__ = "issuers"
    __table_args__ = (Index(None, "org_id", "id"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"))
    name: Mapped[Any] = mapped_column(JSON)
    description: Mapped[Any | None] = mapped_column(JSON)
    url: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(320))
    image: Mapped[str | None] = mapped_column(Text)
    did_method: Mapped[str] = mapped_column(String(8))  # web | key
    format: Mapped[str] = mapped_column(String(8))  # ldp | jwt
    default_language: Mapped[str] = mapped_column(String(2))
    ob2_signed: Mapped[bool] = mapped_column(Boolean, default=False)  # OB 2.0 signed (JWS)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SigningKey(Base):
    """A key pair of an issuer; the private JWK is AES-GCM encrypted (``issuer.crypto``)."""

    __tablename__ = "signing_keys"
    __table_args__ = (  # at most one current key per issuer, even under concurrent rotations
        Index(
            "uq_signing_keys_current",
            "issuer_id",
            unique=True,
            sqlite_where=text("status = 'current'"),
            postgresql_where=text("status = 'current'"),
        ),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    issuer_id: Mapped[str] = mapped_column(ForeignKey("issuers.id"), index=True)
    key_type: Mapped[str] = mapped_column(String(16))  # Ed25519 | P-256 | RSA
    status: Mapped[str] = mapped_column(String(16))  # current | retired | compromised
    public_jwk: Mapped[dict[str, Any]] = mapped_column(JSON)
    private_key: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # compromised: proofs made at/after ``compromised_since`` are not to be trusted (the
    # DID document says so with ``revoked``); ``compromised_at`` is when it was reported
    compromised_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    compromised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    compromise_reason: Mapped[str | None] = mapped_column(Text)


class Ob2Key(Base):
    """An issuer's RSA key for signed Open Badges 2.0 assertions (``issuer.services.ob2``).

    Public as a CryptographicKey at ``/ob2/issuers/{issuer_id}/keys/{id}``; the private
    key (PKCS#8 PEM) is AES-GCM encrypted like ``SigningKey``'s. At most one current key
    per issuer; keys are never removed, so baked JWSs keep verifying.
    """

    __tablename__ = "ob2_keys"
    __table_args__ = (
        Index(
            "uq_ob2_keys_current",
            "issuer_id",
            unique=True,
            sqlite_where=text("status = 'current'"),
            postgresql_where=text("status = 'current'"),
        ),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    issuer_id: Mapped[str] = mapped_column(ForeignKey("issuers.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))  # current | retired
    public_key_pem: Mapped[str] = mapped_column(Text)
    private_key: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Achievement(Base):
    """An achievement's identity and state; its content lives in versions."""

    __tablename__ = "achievements"
    __table_args__ = (Index(None, "org_id", "id"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"))
    issuer_id: Mapped[str] = mapped_column(ForeignKey("issuers.id"))
    current_version: Mapped[int] = mapped_column(Integer)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    catalog_key: Mapped[str | None] = mapped_column(String(64))
    search_text: Mapped[str] = mapped_column(Text)  # lowercased names in every language
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AchievementVersion(Base):
    """One immutable version: the multilingual OB 3.0 Achievement source (no ``id``)."""

    __tablename__ = "achievement_versions"
    __table_args__ = (UniqueConstraint("achievement_id", "version"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    achievement_id: Mapped[str] = mapped_column(ForeignKey("achievements.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    source: Mapped[dict[str, Any]] = mapped_column(JSON)
    evidence_required: Mapped[bool] = mapped_column(Boolean, default=False)
    default_validity_days: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AchievementImage(Base):
    """An uploaded, sanitised achievement image (``badges.images``), addressed by content.

    Public at ``/achievements/{achievement_id}/image/{sha256}.{png|svg}``; rows are never
    changed or removed, so a credential that names that URL keeps its bytes.
    """

    __tablename__ = "achievement_images"
    __table_args__ = (UniqueConstraint("achievement_id", "sha256"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    achievement_id: Mapped[str] = mapped_column(ForeignKey("achievements.id"))
    sha256: Mapped[str] = mapped_column(String(64))  # of ``data``, hex
    media_type: Mapped[str] = mapped_column(String(32))  # image/png | image/svg+xml
    data: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Award(Base):
    """An issued credential, stored exactly as signed.

    ``credential`` is the OB 3.0 JSON; ``ldp`` says whether it carries its
    eddsa-rdfc-2022 proof (Ed25519 keys) - for P-256/RSA keys only the VC-JWT in
    ``jwt`` is verifiable. ``recipient_ref`` is the keyed e-mail hash
    (``hmac-sha256:…``) or the recipient's DID/URL, for search.
    """

    __tablename__ = "awards"
    __table_args__ = (
        UniqueConstraint("org_id", "idempotency_key"),
        Index(None, "org_id", "id"),
        Index(None, "org_id", "recipient_ref"),
        Index(None, "recipient_ref"),  # an earner's badges in every organisation (/my)
        Index(None, "achievement_id"),
        Index(None, "signing_key_id", "created_at"),  # awards a compromised key signed
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"))
    issuer_id: Mapped[str] = mapped_column(ForeignKey("issuers.id"))
    achievement_id: Mapped[str] = mapped_column(ForeignKey("achievements.id"))
    achievement_version_id: Mapped[str] = mapped_column(ForeignKey("achievement_versions.id"))
    achievement_version: Mapped[int] = mapped_column(Integer)
    signing_key_id: Mapped[str] = mapped_column(ForeignKey("signing_keys.id"))
    recipient_type: Mapped[str] = mapped_column(String(8))  # email | did | url
    recipient_ref: Mapped[str] = mapped_column(String(512))
    language: Mapped[str] = mapped_column(String(2))
    format: Mapped[str] = mapped_column(String(8))  # ldp | jwt (as requested)
    status: Mapped[str] = mapped_column(String(16), default="active")
    credential: Mapped[dict[str, Any]] = mapped_column(JSON)
    ldp: Mapped[bool] = mapped_column(Boolean)
    jwt: Mapped[str | None] = mapped_column(Text)
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime)
    valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    request_hash: Mapped[str | None] = mapped_column(String(64))
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # links between awards (ids; ``issuer.services.renewal``): a renewal (new validity)
    # and a re-issue with the current key after a key compromise
    renewed_from: Mapped[str | None] = mapped_column(String(36))
    renewed_by: Mapped[str | None] = mapped_column(String(36))
    reissued_from: Mapped[str | None] = mapped_column(String(36))
    reissued_by: Mapped[str | None] = mapped_column(String(36))
    # revocation and suspension (``issuer.services.award_status``; status lists, 0004)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revocation_reason: Mapped[str | None] = mapped_column(Text)
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspension_reason: Mapped[str | None] = mapped_column(Text)
    # the earner's privacy switch (``/my``): off, the HTML page answers 404 to everyone
    # but the signed-in earner; the machine forms (.json, .jwt, images) stay public
    public_page: Mapped[bool] = mapped_column(Boolean, default=True)


class StatusList(Base):
    """A W3C Bitstring Status List of one issuer for one purpose (revocation | suspension).

    The bits are not stored here: a bit is set when its :class:`StatusEntry` ``is_set``.
    ``version`` grows with every change of a bit; ``credential``/``jwt`` hold the list
    credential as last signed (for ``signed_version`` with ``signing_key_id``) and are
    signed again when either is stale. At most one open (not full) list per issuer and
    purpose; a full list stays published for ever.
    """

    __tablename__ = "status_lists"
    __table_args__ = (
        Index(
            "uq_status_lists_open",
            "issuer_id",
            "purpose",
            unique=True,
            sqlite_where=text("NOT is_full"),
            postgresql_where=text("NOT is_full"),
        ),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"))
    issuer_id: Mapped[str] = mapped_column(ForeignKey("issuers.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))  # revocation | suspension
    size: Mapped[int] = mapped_column(Integer)  # entries (bits)
    is_full: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=0)
    signed_version: Mapped[int | None] = mapped_column(Integer)
    signing_key_id: Mapped[str | None] = mapped_column(ForeignKey("signing_keys.id"))
    credential: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    jwt: Mapped[str | None] = mapped_column(Text)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StatusEntry(Base):
    """One allocated index of a status list, for one award; never reused.

    ``(list_id, list_index)`` is unique: that constraint is what makes concurrent
    allocation safe. The foreign key to ``awards`` is checked at commit, because the
    entry is allocated before the credential that names it is signed and stored.
    """

    __tablename__ = "status_entries"
    __table_args__ = (
        UniqueConstraint("list_id", "list_index"),
        UniqueConstraint("award_id", "purpose"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    list_id: Mapped[str] = mapped_column(ForeignKey("status_lists.id"))
    list_index: Mapped[int] = mapped_column(Integer)
    award_id: Mapped[str] = mapped_column(
        ForeignKey("awards.id", deferrable=True, initially="DEFERRED")
    )
    purpose: Mapped[str] = mapped_column(String(16))
    is_set: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ApiToken(Base):
    """A bearer token ``mk_<id>_<secret>``; only SHA-256 of the secret is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    scopes: Mapped[str] = mapped_column(String(200))  # comma-separated
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuditEvent(Base):
    """Append-only: a database trigger (see the first migration) refuses UPDATE and DELETE."""

    __tablename__ = "audit_events"
    __table_args__ = (Index(None, "org_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: datetime.now(UTC))
    org_id: Mapped[str | None] = mapped_column(ForeignKey("organizations.id"))
    actor_id: Mapped[str] = mapped_column(String(64))
    actor_name: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class BulkJob(Base):
    """A bulk award job from one CSV file: its rows are in :class:`BulkJobRow`.

    ``status``: queued → running → done (or failed). A worker owns a running job until
    ``lease_until``; it renews the lease after every batch, so when a worker dies another
    one takes the job over once the lease has expired. One job per file and achievement.
    """

    __tablename__ = "bulk_jobs"
    __table_args__ = (
        UniqueConstraint("org_id", "achievement_id", "file_sha256"),
        Index(None, "org_id", "id"),
        Index(None, "status", "lease_until"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"))
    achievement_id: Mapped[str] = mapped_column(ForeignKey("achievements.id"))
    file_sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    total: Mapped[int] = mapped_column(Integer)
    done: Mapped[int] = mapped_column(Integer, default=0)
    issued: Mapped[int] = mapped_column(Integer, default=0)  # new awards (done - skipped)
    errors: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_by: Mapped[str] = mapped_column(String(64))
    created_by_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    worker: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class BulkJobRow(Base):
    """One valid CSV row of a job; ``award_id`` is set in the batch that issues it.

    ``idempotency_key`` is the award's: the row's content key combined with the
    achievement id (``awards`` is unique on org and key, so no row is issued twice).
    """

    __tablename__ = "bulk_job_rows"
    __table_args__ = (
        UniqueConstraint("job_id", "line"),
        Index(None, "job_id", "award_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job_id: Mapped[str] = mapped_column(ForeignKey("bulk_jobs.id"))
    line: Mapped[int] = mapped_column(Integer)
    recipient_type: Mapped[str] = mapped_column(String(8))  # email | did | url
    recipient: Mapped[str] = mapped_column(String(2048))
    name: Mapped[str | None] = mapped_column(String(200))
    narrative: Mapped[str | None] = mapped_column(Text)
    evidence_urls: Mapped[list[str]] = mapped_column(JSON, default=list)
    level: Mapped[str | None] = mapped_column(String(200))
    valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    language: Mapped[str | None] = mapped_column(String(2))
    idempotency_key: Mapped[str] = mapped_column(String(200))
    award_id: Mapped[str | None] = mapped_column(String(36))
    error: Mapped[str | None] = mapped_column(Text)


class MailMessage(Base):
    """One e-mail in the durable outbox, rendered when queued (``issuer.services.mail``).

    Queued in the same transaction as what it reports, delivered later by the mail
    worker: ``status`` queued → sent, or failed after the last attempt; ``next_attempt_at``
    moves forward with backoff after each failed attempt.
    """

    __tablename__ = "mail_outbox"
    __table_args__ = (Index(None, "status", "next_attempt_at"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    org_id: Mapped[str | None] = mapped_column(ForeignKey("organizations.id"))
    kind: Mapped[str] = mapped_column(String(32))  # award | magic_link | password_reset | …
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Application(Base):
    """An earner's application for a badge (``issuer.services.applications``).

    ``status``: draft (until the e-mail address is confirmed) → submitted →
    changes_requested ⇄ submitted → approved | rejected. The applicant's address is kept
    AES-GCM encrypted (``email_encrypted``, bound to the row id) to send status mails and
    issue the badge, and as the keyed hash ``email_hash`` for throttling and search.
    ``confirm_token_hash`` is SHA-256 of the single-use confirmation token (cleared on use).
    """

    __tablename__ = "applications"
    __table_args__ = (
        Index(None, "org_id", "status", "id"),
        Index(None, "email_hash", "created_at"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"))
    achievement_id: Mapped[str] = mapped_column(ForeignKey("achievements.id"), index=True)
    achievement_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    email_encrypted: Mapped[str] = mapped_column(Text)
    email_hash: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2))
    claimed_level: Mapped[str] = mapped_column(String(200))
    approved_level: Mapped[str | None] = mapped_column(String(200))
    narrative: Mapped[str] = mapped_column(Text)
    reviewer_id: Mapped[str | None] = mapped_column(String(64))
    reviewer_name: Mapped[str | None] = mapped_column(String(200))
    decision_message: Mapped[str | None] = mapped_column(Text)  # request or reason
    award_id: Mapped[str | None] = mapped_column(String(36))
    confirm_token_hash: Mapped[str | None] = mapped_column(String(64))
    confirm_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ApplicationEvidence(Base):
    """One evidence item of an application: a text, a URL or a file (bytes in ``data``,
    type sniffed from the content, ``sha256`` of the bytes). Never changed once added."""

    __tablename__ = "application_evidence"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # text | url | file
    text: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    file_name: Mapped[str | None] = mapped_column(String(200))
    media_type: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64))
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ApplicationEvent(Base):
    """The history of an application, append-only (a trigger refuses UPDATE and DELETE)."""

    __tablename__ = "application_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    action: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(20))  # the status after the event
    actor_type: Mapped[str] = mapped_column(String(16))  # applicant | reviewer
    actor_id: Mapped[str | None] = mapped_column(String(64))
    actor_name: Mapped[str | None] = mapped_column(String(200))
    level: Mapped[str | None] = mapped_column(String(200))
    message: Mapped[str | None] = mapped_column(Text)


class EarnerLink(Base):
    """A single-use magic link to an earner's badges (``issuer.services.earner``).

    Only SHA-256 of the link's secret is stored. ``recipient_ref`` is the keyed hash of
    the e-mail address (``awards.recipient_ref``), the same in every organisation.
    ``purpose``: ``award`` (in an award e-mail) or ``request`` (asked for on ``/my``).
    """

    __tablename__ = "earner_links"
    __table_args__ = (Index(None, "recipient_ref", "created_at"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    recipient_ref: Mapped[str] = mapped_column(String(512))
    purpose: Mapped[str] = mapped_column(String(16))  # award | request
    award_id: Mapped[str | None] = mapped_column(ForeignKey("awards.id"))
    lang: Mapped[str] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class EarnerSession(Base):
    """An earner's signed-in session, opened by a magic link; the cookie holds its secret
    (only SHA-256 of it is stored). Ended by signing out or at ``expires_at``."""

    __tablename__ = "earner_sessions"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    recipient_ref: Mapped[str] = mapped_column(String(512))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class User(Base):
    """A person who signs in; ``email`` is stored normalised (trimmed, lower case)."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(200))  # argon2id, PHC string
    lang: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)


class Membership(Base):
    """A user's role in one organisation: owner | issuer | reviewer | viewer."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "org_id"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    org_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WebSession(Base):
    """A server-side sign-in session; ``id`` is SHA-256 of the cookie's random token."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the absolute limit
    user_agent: Mapped[str | None] = mapped_column(String(300))
    ip: Mapped[str | None] = mapped_column(String(64))


class LoginAttempt(Base):
    """A failed sign-in, counted per e-mail address and per client address (throttling)."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index(None, "email", "at"), Index(None, "ip", "at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(320))
    ip: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PasswordResetToken(Base):
    """A single-use password reset link; ``id`` is SHA-256 of the link's token."""

    __tablename__ = "password_reset_tokens"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Invitation(Base):
    """An invitation to join an organisation with a role; only the token's hash is kept."""

    __tablename__ = "invitations"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    email: Mapped[str] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(16))
    invited_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Endorser(Base):
    """A light endorser identity: a person confirmed by e-mail, hosted by Merkki.

    Its DID ``did:web:<host>:endorsers:<id>`` resolves to ``/endorsers/<id>/did.json``;
    the Ed25519 key (``private_key`` AES-GCM encrypted bound to the row id, like
    ``SigningKey``'s) signs only endorsements the person confirmed from their mailbox.
    One identity per organisation and address: ``email_ref`` is the keyed hash of the
    normalised address; ``email_hash`` the public ``sha256$`` hash salted with the id.
    """

    __tablename__ = "endorsers"
    __table_args__ = (UniqueConstraint("org_id", "email_ref"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"))
    name: Mapped[str] = mapped_column(String(200))
    email_ref: Mapped[str] = mapped_column(String(100))
    email_hash: Mapped[str] = mapped_column(String(100))
    public_jwk: Mapped[dict[str, Any]] = mapped_column(JSON)
    private_key: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Endorsement(Base):
    """A signed OB 3.0 EndorsementCredential, stored exactly as signed.

    ``target_type``/``target_id``: the endorsed award, achievement or issuer; ``org_id``
    is the organisation of that target (it moderates: ``hidden`` endorsements stay valid
    but are not listed, shown or embedded). The endorser is an issuer profile
    (``endorser_issuer_id``) or a light identity (``endorser_id``).
    """

    __tablename__ = "endorsements"
    __table_args__ = (
        Index(None, "target_type", "target_id", "id"),
        Index(None, "org_id", "id"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"))
    target_type: Mapped[str] = mapped_column(String(16))  # award | achievement | issuer
    target_id: Mapped[str] = mapped_column(String(36))
    endorser_type: Mapped[str] = mapped_column(String(16))  # issuer | person
    endorser_org_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"))
    endorser_issuer_id: Mapped[str | None] = mapped_column(ForeignKey("issuers.id"))
    endorser_id: Mapped[str | None] = mapped_column(ForeignKey("endorsers.id"))
    endorser_name: Mapped[str] = mapped_column(String(200))
    relation: Mapped[str | None] = mapped_column(String(16))  # peer | mentor | mentee | partner
    comment: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2))
    credential: Mapped[dict[str, Any]] = mapped_column(JSON)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_by: Mapped[str | None] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EndorsementRequest(Base):
    """An endorsement written on the public page, waiting for its e-mail confirmation.

    The address itself is not stored: only its keyed hash (``email_ref``) and the public
    hash the endorser identity will carry. ``token_hash`` is SHA-256 of the single-use
    token mailed to the address; it expires at ``expires_at``.
    """

    __tablename__ = "endorsement_requests"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"))
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[str] = mapped_column(String(36))
    endorser_id: Mapped[str] = mapped_column(String(36))  # minted now, used if new
    name: Mapped[str] = mapped_column(String(200))
    email_ref: Mapped[str] = mapped_column(String(100))
    email_hash: Mapped[str] = mapped_column(String(100))
    relation: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    endorsement_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CatalogEntry(Base):
    """What the catalog file says of a catalog achievement beyond its OB content (0012):
    its family, the evidence applicants are expected to give, its place in the file."""

    __tablename__ = "catalog_entries"

    achievement_id: Mapped[str] = mapped_column(ForeignKey("achievements.id"), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    family: Mapped[str] = mapped_column(String(64))
    evidence_expectations: Mapped[dict[str, str]] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Pathway(Base):
    """A pathway (0012): its achievement is awarded automatically to a recipient who holds
    every ``all`` requirement and at least ``any_count`` of the ``any`` requirements."""

    __tablename__ = "pathways"
    __table_args__ = (UniqueConstraint("org_id", "achievement_id"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"))
    achievement_id: Mapped[str] = mapped_column(ForeignKey("achievements.id"))
    any_count: Mapped[int] = mapped_column(Integer, default=0)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PathwayRequirement(Base):
    """One required achievement of a pathway: ``kind`` all | any, in ``position`` order."""

    __tablename__ = "pathway_requirements"

    pathway_id: Mapped[str] = mapped_column(ForeignKey("pathways.id"), primary_key=True)
    achievement_id: Mapped[str] = mapped_column(
        ForeignKey("achievements.id"), primary_key=True, index=True
    )
    kind: Mapped[str] = mapped_column(String(8))  # all | any
    position: Mapped[int] = mapped_column(Integer)
