"""Who staff are, and what each kind of staff member may do."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CASE_MANAGER = "case_manager"
    SITE_LEAD = "site_lead"
    ADMIN = "admin"
