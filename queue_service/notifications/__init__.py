"""Side effects that leave the building: texts, sent from the outbox after the commit."""
