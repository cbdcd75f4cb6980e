"""W3C VC-API ``POST /credentials/issue`` (VC-API §3.2.1 "Issue Credential")."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class IssueRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    credential: dict[str, Any] = Field(description="The unsigned credential (OB 3.0 JSON)")
    options: dict[str, Any] = Field(default_factory=dict, description="No options are supported")


class IssueResponse(BaseModel):
    verifiableCredential: dict[str, Any]  # the VC-API member name
