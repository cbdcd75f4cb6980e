"""Texts of the public pathway page (``/pathways/{id}``)."""

from __future__ import annotations

CATALOG: dict[str, tuple[str, str, str]] = {
    "pathways_label": ("Osaamispolku", "Kompetensstig", "Pathway"),
    "pathways_intro": (
        "Tämä merkki myönnetään automaattisesti, kun samalla henkilöllä on saman "
        "organisaation myöntäminä voimassa olevat merkit, jotka alla luetellaan.",
        "Det här märket beviljas automatiskt när samma person har de giltiga märken från "
        "samma organisation som räknas upp nedan.",
        "This badge is awarded automatically when the same person holds the valid badges "
        "listed below, awarded by the same organisation.",
    ),
    "pathways_all_of": ("Kaikki nämä merkit", "Alla dessa märken", "All of these badges"),
    "pathways_any_of": (
        "Lisäksi vähintään {count} seuraavista",
        "Dessutom minst {count} av följande",
        "And at least {count} of these",
    ),
    "pathways_criteria": ("Myöntämisen perusteet", "Kriterier", "Criteria"),
    "pathways_achievement": (
        "Polun merkin kuvaus (JSON)",
        "Stigens märke (JSON)",
        "The pathway badge's description (JSON)",
    ),
    "pathways_requirement": ("Vaatimus", "Krav", "Requirement"),
}
