"""The provider's webhooks: texts people send, delivery reports of ours, and calls (Twilio)."""

from . import voice  # noqa: F401  (its route joins the blueprint)
from .twilio import twilio_webhooks

__all__ = ["twilio_webhooks"]
