"""The tables, as SQLAlchemy 2 typed models, one module per aggregate, and the behaviour
that belongs to each row.

Rules live in `domain`; these classes apply them to stored state and record the domain
events that are published once the transaction commits.
"""

from .audit import AuditEntry
from .base import Base, RecordsEvents, UTCDateTime
from .cases import CaseEvent, CaseGoal, CriticalNeedCase
from .messages import Message, SmsOptOut, SmsPace
from .report_days import SettledDay
from .sign_in_throttle import SignInThrottle
from .sites import DutyShift, Site, SiteHours, default_business_hours
from .staff import Staff, StaffToken, staff_sites
from .tickets import Ticket
from .visits import DailyCounter, TicketEvent, TicketNote, Visitor, VisitorKey

__all__ = [
    "AuditEntry",
    "Base",
    "CaseEvent",
    "CaseGoal",
    "CriticalNeedCase",
    "DailyCounter",
    "DutyShift",
    "Message",
    "RecordsEvents",
    "SettledDay",
    "SignInThrottle",
    "Site",
    "SiteHours",
    "SmsOptOut",
    "SmsPace",
    "Staff",
    "StaffToken",
    "Ticket",
    "TicketEvent",
    "TicketNote",
    "UTCDateTime",
    "Visitor",
    "VisitorKey",
    "default_business_hours",
    "staff_sites",
]
