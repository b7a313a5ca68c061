"""What a person may tell us when joining the line, and how it is checked."""

import pytest

from queue_service.domain.checkin import (
    DEFAULT_LANGUAGES,
    NAME_MAX,
    SiteRules,
    parse_check_in,
)
from queue_service.domain.errors import ValidationFailed
from queue_service.domain.needs import DEFAULT_NEEDS

RULES = SiteRules(DEFAULT_LANGUAGES, DEFAULT_NEEDS)


def refused_fields(body) -> set[str]:
    with pytest.raises(ValidationFailed) as caught:
        parse_check_in(body, RULES)
    return set(caught.value.fields)


@pytest.mark.parametrize(
    "typed",
    [
        "6175550123",
        "617-555-0123",
        "(617) 555-0123",
        "617.555.0123",
        "+1 617 555 0123",
        "1-617-555-0123",
    ],
)
def test_a_us_number_typed_any_usual_way_becomes_e164(typed):
    assert parse_check_in({"language": "en", "phone": typed}, RULES).phone == "+16175550123"


@pytest.mark.parametrize(
    ("tag", "language"),
    [
        ("pt-BR", "pt"),
        ("zh-Hans", "zh"),
        ("zh-CN", "zh"),
        ("es-419", "es"),
        ("ht", "ht"),
        ("VI", "vi"),
    ],
)
def test_regional_language_forms_are_accepted(tag, language):
    assert parse_check_in({"language": tag}, RULES).language == language


def test_only_the_language_is_required():
    request = parse_check_in({"language": "en"}, RULES)
    assert (request.name, request.needs, request.phone, request.urgent) == (None, (), None, False)


def test_needs_are_kept_once_each_in_the_order_given():
    assert parse_check_in(
        {"language": "en", "needs": ["food", "housing", "food"]}, RULES
    ).needs == (
        "food",
        "housing",
    )


def test_name_is_tidied_and_invisible_characters_dropped():
    assert (
        parse_check_in({"language": "en", "name": "  Ana\u200b  Maria\n"}, RULES).name
        == "Ana Maria"
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "language"),
        ({"language": "fr"}, "language"),
        ({"language": "zh-Hant"}, "language"),
        ({"language": 7}, "language"),
        ({"language": "en", "needs": ["yachts"]}, "needs"),
        ({"language": "en", "needs": "food"}, "needs"),
        ({"language": "en", "phone": "12345"}, "phone"),
        ({"language": "en", "phone": "call me maybe"}, "phone"),
        ({"language": "en", "phone": 6175550123}, "phone"),
        ({"language": "en", "phone": "617-555-0123 ext 5"}, "phone"),
        ({"language": "en-" + "x" * 5000}, "language"),
        ({"language": "en", "name": "x" * (NAME_MAX + 1)}, "name"),
        ({"language": "en", "urgent": "yes"}, "urgent"),
        ({"language": "en", "sms_opt_in": True}, "sms_opt_in"),
        ({"language": "en", "nmae": "Ana"}, "nmae"),
    ],
)
def test_each_bad_field_is_named(body, field):
    assert field in refused_fields(body)


def test_several_bad_fields_are_all_named_at_once():
    assert refused_fields({"language": "fr", "phone": "1", "needs": ["x"]}) == {
        "language",
        "phone",
        "needs",
    }


@pytest.mark.parametrize("body", [None, [], "en", 3])
def test_a_body_that_is_not_an_object_is_refused(body):
    with pytest.raises(ValidationFailed):
        parse_check_in(body, RULES)
