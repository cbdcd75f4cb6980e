"""Page and e-mail texts by area, in Finnish, Swedish and English.

Each module here defines ``CATALOG: dict[str, tuple[str, str, str]]`` (key → fi, sv, en);
``issuer.i18n`` merges every module with its own catalog and refuses a key defined twice.
"""
