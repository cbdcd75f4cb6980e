"""The exception tree of the ``badges`` library.

    BadgesError
     ├── InvalidInput (ValueError)            bad data handed to an issuing function
     │    ├── InvalidCredential                a credential that breaks the data model
     │    ├── InvalidKey                       malformed or unsupported key material
     │    ├── InvalidDid                       malformed DID or DID URL
     │    ├── InvalidEncoding                  bad multibase / base58 / base64url text
     │    ├── JsonLdError                      JSON-LD processing failed (incl. safe mode)
     │    │    └── UndefinedTerm               a term/type the contexts do not define
     │    ├── InvalidStatusList                a status list credential that must not be trusted
     │    └── InvalidImage                     an image (PNG/SVG) refused by badges.images
     │         └── BakingError                 no baked badge, or a payload that cannot be (un)baked
     ├── ResolutionError (LookupError)         a resource could not be obtained
     │    ├── DocumentLoaderError              a context URL that is not pinned
     │    ├── DidResolutionError               a DID or verification method not found
     │    └── FetchError                       the injected HTTP fetcher failed
     └── ProofError                            a proof could not be created or checked
          └── UnsupportedAlgorithm (ValueError) an alg/cryptosuite outside the allow-list

Issuing functions raise these; ``badges.verify`` never raises and reports them instead.
"""

from __future__ import annotations


class BadgesError(Exception):
    """Root of every error raised by the ``badges`` library."""


class InvalidInput(BadgesError, ValueError):
    """Input data is malformed."""


class InvalidCredential(InvalidInput):
    """A credential (or one of its parts) breaks the data model."""


class InvalidKey(InvalidInput):
    """Key material is malformed or of an unsupported type."""


class InvalidDid(InvalidInput):
    """A DID or DID URL is malformed or uses an unsupported method."""


class InvalidEncoding(InvalidInput):
    """Text in multibase, base58btc or base64url could not be decoded."""


class JsonLdError(InvalidInput):
    """JSON-LD context processing, expansion or RDF conversion failed."""

    def __init__(self, message: str, code: str = "jsonld_error") -> None:
        super().__init__(message)
        self.code = code


class UndefinedTerm(JsonLdError):
    """Safe mode: a property or type is not defined by the active context."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="undefined_term")


class InvalidStatusList(InvalidInput):
    """A status list credential is unsigned, tampered, expired, too short or malformed."""


class InvalidImage(InvalidInput):
    """An image is malformed, unsafe, too large or carries a baked badge (``badges.images``)."""


class BakingError(InvalidImage):
    """An image carries no baked badge, or a payload cannot be baked or read (``badges.baking``)."""


class ResolutionError(BadgesError, LookupError):
    """A resource needed to process the input could not be obtained."""


class DocumentLoaderError(ResolutionError):
    """A JSON-LD context URL is not one of the pinned documents."""


class DidResolutionError(ResolutionError):
    """A DID document or verification method could not be resolved."""


class FetchError(ResolutionError):
    """The injected HTTP fetcher could not fetch a URL; ``status`` is the HTTP status of
    an answer that was not a success (``None`` when there was no answer)."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class ProofError(BadgesError):
    """A proof could not be created or verified; ``code`` is a stable snake_case id."""

    def __init__(self, message: str, code: str = "proof_error") -> None:
        super().__init__(message)
        self.code = code


class UnsupportedAlgorithm(ProofError, ValueError):
    """An algorithm, curve or cryptosuite outside the allow-list."""

    def __init__(self, message: str, code: str = "unsupported_algorithm") -> None:
        super().__init__(message, code)
