"""The lexicon suggests indicators from free text; edits to it apply at once."""

from lantern.core import lexicon
from lantern.core.models import Indicator, IndicatorPhrase


def codes(text: str) -> dict[str, list[str]]:
    """Indicator code → the phrases that suggested it."""
    return {
        Indicator.objects.get(pk=suggestion.indicator_id).code: suggestion.phrases
        for suggestion in lexicon.suggest(text)
        if suggestion.indicator_id
    }


def test_whole_words_only_ignoring_case_and_accents(db):
    assert codes("He is in DEBT to them")["debt"] == ["debt"]
    assert "debt" not in codes("He is indebted")
    assert codes("Ils sont enfermes")["restricted_movement"] == ["enfermés"]


def test_a_phrase_added_by_an_analyst_is_used_straight_away(db):
    assert "threats" not in codes("they said they would burn the house")
    IndicatorPhrase.objects.create(
        indicator=Indicator.objects.get(code="threats"), language="en", phrase="burn the house"
    )

    assert codes("they said they would burn the house")["threats"] == ["burn the house"]
