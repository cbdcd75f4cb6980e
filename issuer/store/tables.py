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
