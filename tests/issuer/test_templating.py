"""Templates are found in a checkout, in an installed package, or in MERKKI_TEMPLATES_DIR."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import UndefinedError

from issuer import i18n, templating
from issuer.settings import Settings
from tests.conftest import REPO


def test_checkout_templates_are_used() -> None:
    assert templating.template_dirs(Settings())[0] == REPO / "templates"
    environment = templating.make_templates(Settings())
    assert environment.autoescape is not False


def test_the_environment_is_strict() -> None:
    environment = templating.make_templates(Settings())
    with pytest.raises(UndefinedError):
        environment.get_template("credential.html").render({})


def test_installed_package_folder_is_the_fallback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Outside a checkout the loader reads ``issuer/templates`` of the installed package."""
    package = tmp_path / "site-packages" / "issuer"
    (package / "templates").mkdir(parents=True)
    (package / "templates" / "credential.html").write_text("{{ name }}", encoding="utf-8")
    monkeypatch.setattr(templating, "CHECKOUT", tmp_path / "site-packages")
    monkeypatch.setattr(templating.resources, "files", lambda _name: package)
    environment = templating.make_templates(Settings())
    assert environment.get_template("credential.html").render(name="<b>") == "&lt;b&gt;"


def test_templates_dir_setting_comes_first(tmp_path: Path) -> None:
    (tmp_path / "credential.html").write_text("custom {{ name }}", encoding="utf-8")
    environment = templating.make_templates(Settings(templates_dir=tmp_path))
    assert environment.get_template("credential.html").render(name="x") == "custom x"


def test_missing_templates_fail_at_start(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(templating, "CHECKOUT", tmp_path)
    monkeypatch.setattr(templating.resources, "files", lambda _name: tmp_path / "none")
    with pytest.raises(RuntimeError, match="no templates folder"):
        templating.make_templates(Settings())


PAGES = ("credential.html", "verify.html")


@pytest.mark.parametrize("name", PAGES)
def test_every_page_extends_the_layout(name: str) -> None:
    source = (REPO / "templates" / name).read_text(encoding="utf-8")
    assert source.startswith('{% extends "base.html" %}')
    for forbidden in ("<script", "<style", "style="):
        assert forbidden not in source


def test_the_layout_declares_the_language_and_the_landmarks() -> None:
    environment = templating.make_templates(Settings())
    page = environment.get_template("verify.html").render(
        lang="sv",
        t=i18n.TEXTS["sv"],
        languages=[{"code": "fi", "name": "suomi", "href": "?lang=fi", "current": False}],
        css_url="/static/merkki.css?v=1",
        form={"credential": "</textarea><b>", "url": "", "recipient": "", "errors": []},
        result=None,
        csrf_field="csrf_token",
        csrf="t",
    )
    assert '<html lang="sv">' in page
    for landmark in ("<header", "<main", "<nav", "<footer"):
        assert landmark in page
    assert 'href="#main"' in page  # the skip link
    assert "&lt;/textarea&gt;&lt;b&gt;" in page  # typed input cannot break out of the form
