"""Pathways: a pathway achievement awarded automatically when its requirements are held.

This module is the public face of the pathway service; the work is split by concept:

- :mod:`issuer.services.pathway_definitions`: requirements, validation and CRUD;
- :mod:`issuer.services.pathway_awarding`: what a recipient holds and the automatic
  pathway award in the transaction of every new award (:func:`after_award`);
- :mod:`issuer.services.pathway_progress`: a recipient's progress on each pathway.
"""

from __future__ import annotations

from issuer.services.pathway_awarding import (
    MAX_CHAIN,
    after_award,
    held,
    idempotency_key,
)
from issuer.services.pathway_definitions import (
    Definition,
    add_pathway,
    by_achievement,
    check_definition,
    create_pathway,
    delete_pathway,
    list_pathways,
    pathway_of,
    requirements,
    save_definition,
    update_pathway,
)
from issuer.services.pathway_progress import (
    PathwayProgress,
    RequirementProgress,
    progress_for,
)

__all__ = [
    "MAX_CHAIN",
    "Definition",
    "PathwayProgress",
    "RequirementProgress",
    "add_pathway",
    "after_award",
    "by_achievement",
    "check_definition",
    "create_pathway",
    "delete_pathway",
    "held",
    "idempotency_key",
    "list_pathways",
    "pathway_of",
    "progress_for",
    "requirements",
    "save_definition",
    "update_pathway",
]
