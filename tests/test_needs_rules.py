"""A site's need categories: which lists are valid, and what a person sees for each need."""

import pytest

from queue_service.domain import needs
from queue_service.domain.errors import ValidationFailed
from queue_service.domain.needs import Need

SIX = ("en", "es", "pt", "ht", "zh", "vi")
BUS_PASSES = {
    "en": "Bus passes",
    "es": "Pases de autobús",
    "pt": "Passe de ônibus",
    "ht": "Kat bis",
    "zh": "公交卡",
    "vi": "Vé xe buýt",
}


def catalog(slug: str, lang: str) -> str:
    return f"{slug} in the {lang} catalog"


def refusal(*args, **kwargs) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as caught:
        needs.check(*args, **kwargs)
    return caught.value.fields


def test_a_default_need_shows_the_catalogs_words_unless_the_site_has_its_own() -> None:
    assert needs.client_label(Need("food"), "ht", catalog) == "food in the ht catalog"
    own = Need("food", {"ht": "Manje cho"})
    assert needs.client_label(own, "ht", catalog) == "Manje cho"
    assert needs.client_label(own, "es", catalog) == "food in the es catalog"


def test_a_custom_need_shows_its_own_label_and_never_its_slug() -> None:
    custom = Need("bus-passes", BUS_PASSES)
    assert needs.client_label(custom, "ht", catalog) == "Kat bis"
    # A language the site no longer offers (an old ticket): another of its labels.
    only_spanish = Need("id-cards", {"es": "Documentos"})
    assert needs.client_label(only_spanish, "vi", catalog) == "Documentos"


def test_staff_see_the_sites_english_label_or_the_catalogs_english() -> None:
    assert needs.staff_label(Need("housing")) == "A place to live"
    assert needs.staff_label(Need("housing", {"en": "Shelter"})) == "Shelter"
    assert needs.staff_labels([Need("bus-passes", BUS_PASSES)], ["bus-passes"]) == ["Bus passes"]


def test_the_staff_english_is_the_catalogs_own_source_text() -> None:
    from flask import Flask
    from flask_babel import Babel, force_locale

    from web_kernel.need_words import NEED_LABELS

    app = Flask(__name__)
    Babel(app)
    with app.app_context(), force_locale("en"):
        assert {slug: str(text) for slug, text in NEED_LABELS.items()} == needs.DEFAULT_NEED_NAMES


def test_a_custom_need_without_a_label_in_an_offered_language_is_refused() -> None:
    lacking = {k: v for k, v in BUS_PASSES.items() if k != "ht"}
    fields = refusal([*needs.default_needs(), Need("id-cards", lacking)], SIX)
    assert list(fields) == ["needs.8.labels.ht"]
    assert "Haitian Creole" in fields["needs.8.labels.ht"]


def test_a_default_need_needs_no_labels_and_a_retired_custom_one_is_not_shown() -> None:
    needs.check(needs.default_needs(), SIX)  # no refusal: the catalog has their words
    # A retired need keeps its English for staff only: no Creole label is asked for, because
    # it is not offered to anyone.
    retired = Need("id-cards", {"en": "ID cards"}, retired=True)
    site_list = [*needs.default_needs(), retired]
    needs.check(site_list, SIX)
    assert [n.slug for n in needs.offered(site_list)] == list(needs.DEFAULT_NEEDS)


def test_even_a_retired_custom_need_keeps_a_label_for_staff_and_reports() -> None:
    assert "needs.0.labels" in refusal([Need("id-cards", retired=True)], SIX)


def test_bringing_a_retired_need_back_asks_for_its_labels_again() -> None:
    assert "needs.0.labels.ht" in refusal([Need("id-cards", {"en": "ID cards"})], ("en", "ht"))


def test_offering_a_language_the_custom_needs_lack_names_the_language() -> None:
    fields = refusal([Need("id-cards", {"en": "ID cards"})], ("en", "ht"), languages_changed=True)
    assert "id-cards" in fields["languages"] and "Haitian Creole" in fields["languages"]


def test_a_need_visits_refer_to_cannot_be_removed() -> None:
    fields = refusal(needs.default_needs()[1:], SIX, removed_in_use=["housing"])
    assert "housing" in fields["needs"] and "retire" in fields["needs"]


def test_at_most_sixteen_needs_are_offered_at_once() -> None:
    many = [Need(f"need-{i}", BUS_PASSES) for i in range(needs.OFFERED_MAX + 1)]
    assert "needs" in refusal(many, SIX)
    many[0] = Need("need-0", BUS_PASSES, retired=True)
    needs.check(many, SIX)


@pytest.mark.parametrize(
    ("sent", "field"),
    [
        ("food", "needs"),
        ([{"slug": "Food"}], "needs.0.slug"),
        ([{"slug": "food"}, {"slug": "food"}], "needs.1.slug"),
        ([{"slug": "food", "labels": {"xx": "?"}}], "needs.0.labels"),
        ([{"slug": "food", "labels": {"en": "x" * 61}}], "needs.0.labels.en"),
        ([{"slug": "food", "labels": {"en": 3}}], "needs.0.labels.en"),
        ([{"slug": "food", "retired": "yes"}], "needs.0.retired"),
        ([{"slug": "food", "colour": "red"}], "needs.0"),
    ],
)
def test_a_malformed_list_is_refused_by_field(sent, field) -> None:  # type: ignore[no-untyped-def]
    errors: dict[str, str] = {}
    needs.parse(sent, errors)
    assert field in errors


def test_labels_are_cleaned_and_an_empty_one_means_the_catalogs_words() -> None:
    errors: dict[str, str] = {}
    sent = [{"slug": "food", "labels": {"en": "  Hot\u200b  meals ", "es": ""}, "label": "Food"}]
    assert needs.parse(sent, errors) == [Need("food", {"en": "Hot meals"})]
    assert errors == {}
