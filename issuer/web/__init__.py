"""The signed-in web pages: sessions, roles, CSRF-checked forms and the admin layout.

``issuer.web.session`` (:class:`WebUser`, ``Role``) and ``issuer.web.deps``
(``CurrentUser``, ``require_role``, ``checked_form``, ``render_admin``) are what every
admin page uses; :func:`install` registers the pages' refusal handlers.
"""

from __future__ import annotations

from fastapi import FastAPI

from issuer.web import errors


def install(app: FastAPI) -> None:
    """Answer sign-in, role and CSRF refusals of the web pages with redirects and pages."""
    errors.install(app)
