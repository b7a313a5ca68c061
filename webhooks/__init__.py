"""The provider's webhooks: texts people send, and delivery reports of ours (Twilio)."""

from .twilio import twilio_webhooks

__all__ = ["twilio_webhooks"]
