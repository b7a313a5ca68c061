"""The rules, on their own: no database, no web framework."""

from datetime import UTC, datetime, timedelta

import pytest

from queue_service.domain import lifecycle, waits
from queue_service.domain.assignment import LANGUAGE_WINDOW, call_order
from queue_service.domain.codes import ticket_code
from queue_service.domain.errors import IllegalTransition
from queue_service.domain.lifecycle import Action, Status
from queue_service.domain.ordering import QueuedTicket, in_queue_order

T0 = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)


def queued(id_: int, minutes_ago: float, language: str = "en", urgent: bool = False):
    return QueuedTicket(id_, urgent, T0 - timedelta(minutes=minutes_ago), language)


class TestLifeCycle:
    @pytest.mark.parametrize(
        ("status", "action", "after"),
        [
            (Status.WAITING, Action.CALL, Status.CALLED),
            (Status.CALLED, Action.START, Status.IN_SESSION),
            (Status.IN_SESSION, Action.COMPLETE, Status.COMPLETED),
            (Status.CALLED, Action.NO_SHOW, Status.NO_SHOW),
            (Status.CALLED, Action.REQUEUE, Status.WAITING),
            (Status.NO_SHOW, Action.REQUEUE, Status.WAITING),
            (Status.WAITING, Action.CANCEL, Status.CANCELLED),
            (Status.WAITING, Action.LEFT, Status.LEFT),
        ],
    )
    def test_legal_moves(self, status, action, after):
        assert lifecycle.next_status(status, action) == after

    @pytest.mark.parametrize("status", [Status.COMPLETED, Status.CANCELLED, Status.LEFT])
    @pytest.mark.parametrize("action", list(Action))
    def test_finished_visits_cannot_move(self, status, action):
        with pytest.raises(IllegalTransition):
            lifecycle.next_status(status, action)

    def test_a_waiting_person_cannot_be_started_or_completed_without_being_called(self):
        for action in (Action.START, Action.COMPLETE, Action.NO_SHOW, Action.REQUEUE):
            with pytest.raises(IllegalTransition):
                lifecycle.next_status(Status.WAITING, action)

    def test_every_status_but_waiting_has_a_time_stamp(self):
        assert set(lifecycle.STAMP_FOR) == set(Status) - {Status.WAITING}


class TestOrdering:
    def test_urgent_first_then_first_come_first_served(self):
        line = [queued(1, 30), queued(2, 5, urgent=True), queued(3, 40), queued(4, 1, urgent=True)]
        assert [t.id for t in in_queue_order(line)] == [2, 4, 3, 1]


class TestCallOrder:
    def order(self, line, speaks=("en",), others=(), minutes=0):
        return call_order(
            line,
            manager_languages=set(speaks),
            languages_of_other_managers=set(others),
            now=T0 + timedelta(minutes=minutes),
        )

    def test_urgent_person_is_called_first_whatever_their_language(self):
        line = [queued(1, 20, "en"), queued(2, 1, "vi", urgent=True)]
        assert self.order(line, speaks=("en",), others=("vi",))[0] == 2

    def test_head_of_line_is_called_when_the_manager_speaks_their_language(self):
        assert self.order([queued(1, 5, "es"), queued(2, 4, "en")], speaks=("en", "es")) == [1, 2]

    def test_manager_gets_someone_in_their_language_while_a_colleague_can_take_the_head(self):
        line = [queued(1, 5, "ht"), queued(2, 4, "en")]
        assert self.order(line, speaks=("en",), others=("ht",)) == [2, 1]

    def test_head_is_never_skipped_when_no_one_else_on_duty_speaks_their_language(self):
        line = [queued(1, 5, "zh"), queued(2, 4, "en")]
        assert self.order(line, speaks=("en",), others=("es",)) == [1, 2]

    def test_head_who_waited_past_the_window_is_taken_by_the_next_manager(self):
        minutes = LANGUAGE_WINDOW.total_seconds() / 60
        line = [queued(1, minutes, "ht"), queued(2, 1, "en")]
        assert self.order(line, speaks=("en",), others=("ht",)) == [1, 2]

    def test_everyone_is_in_the_order_so_a_lost_race_moves_on(self):
        line = [queued(i, 10 - i, "en") for i in range(1, 6)]
        assert sorted(self.order(line)) == [1, 2, 3, 4, 5]

    def test_empty_line(self):
        assert self.order([]) == []


class TestWaits:
    def test_no_wait_when_a_manager_is_free(self):
        assert waits.estimate_wait_minutes(1, managers_on_duty=2, busy=1, service_minutes=20) == 0

    def test_next_in_line_waits_half_a_visit_for_a_busy_manager(self):
        assert waits.estimate_wait_minutes(1, managers_on_duty=1, busy=1, service_minutes=20) == 10

    def test_wait_grows_with_place_and_shrinks_with_managers(self):
        one = waits.estimate_wait_minutes(5, managers_on_duty=1, busy=1, service_minutes=20)
        two = waits.estimate_wait_minutes(5, managers_on_duty=2, busy=2, service_minutes=20)
        assert one == 90 and two == 45

    def test_gives_no_number_when_nobody_is_on_duty(self):
        wait = waits.estimate_wait_minutes(1, managers_on_duty=0, busy=0, service_minutes=20)
        assert wait is None

    def test_typical_visit_is_the_median_within_bounds(self):
        assert waits.typical_service_minutes([]) == waits.DEFAULT_SERVICE_MINUTES
        assert waits.typical_service_minutes([10, 12, 120]) == 12
        assert waits.typical_service_minutes([0.5, 1, 1]) == waits.SERVICE_MINUTES_RANGE[0]


class TestCodes:
    @pytest.mark.parametrize(
        ("number", "code"),
        [
            (1, "A-001"),
            (42, "A-042"),
            (999, "A-999"),
            (1000, "B-001"),
            (26 * 999 + 1, "A1-001"),
        ],
    )
    def test_codes(self, number, code):
        assert ticket_code(number) == code

    def test_codes_never_repeat_on_a_busy_day(self):
        codes = [ticket_code(n) for n in range(1, 60_000)]
        assert len(set(codes)) == len(codes)
