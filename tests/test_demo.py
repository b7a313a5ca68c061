"""The demo a newcomer starts with: seeded once, with history, and sign-ins that work."""

from sqlalchemy import func, select

from frontdoor.demo import SIGN_INS, seed
from queue_service.models import Ticket


def test_demo_is_seeded_once_with_days_of_history(database):
    assert seed(database) is True
    assert seed(database) is False
    with database.session() as s:
        days = s.scalar(select(func.count(func.distinct(Ticket.service_day))))
        statuses = set(s.scalars(select(Ticket.status).distinct()))
    assert days >= 5
    assert {"completed", "no_show", "waiting"} <= statuses


def test_the_printed_demo_sign_ins_work(database, sign_in):
    seed(database)
    for email, password, _role in SIGN_INS:
        assert sign_in(email, password)
