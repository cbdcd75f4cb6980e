"""Jinja2 templates (autoescape, ``StrictUndefined``), from a checkout or an installed wheel.

Templates live in the checkout's top-level ``templates/`` folder; ``issuer/templates`` is
a symlink to it, so a wheel built with the package-data rule ``issuer = ["templates/*"]``
carries real copies. Folders searched, in order: ``MERKKI_TEMPLATES_DIR`` (if set), the
checkout's ``templates/`` (found beside ``pyproject.toml`` next to this package), and
``issuer/templates`` inside the installed package.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from issuer.settings import Settings

CHECKOUT = Path(__file__).resolve().parent.parent


def template_dirs(settings: Settings) -> list[Path]:
    """The existing template folders, most specific first."""
    candidates: list[Path] = []
    if settings.templates_dir is not None:
        candidates.append(settings.templates_dir)
    if (CHECKOUT / "pyproject.toml").is_file():
        candidates.append(CHECKOUT / "templates")
    candidates.append(Path(str(resources.files("issuer") / "templates")))
    return [path for path in candidates if path.is_dir()]


def make_templates(settings: Settings) -> Environment:
    """The template environment; fails at start, not at the first page, without templates."""
    folders = template_dirs(settings)
    if not folders:
        raise RuntimeError(
            "no templates folder: expected templates/ in the checkout or issuer/templates "
            "in the installed package (or set MERKKI_TEMPLATES_DIR)"
        )
    environment = Environment(
        loader=FileSystemLoader(folders),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.get_template("credential.html")  # every required template is there
    return environment
