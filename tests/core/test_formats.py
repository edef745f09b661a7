"""Dates and numbers as each language writes them (src/lantern/formats/, lantern_numbers)."""

import datetime
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

DATES = Template('{{ day|date:"DATE_FORMAT" }}|{{ moment|date:"DATETIME_FORMAT" }}')
NUMBERS = Template(
    "{% load lantern_numbers %}{{ count|grouped }}|{{ small|grouped }}|{{ text|grouped }}"
)


def render(template: Template, language: str, **values: object) -> str:
    with translation.override(language):
        return template.render(Context(values))


@pytest.mark.parametrize(
    ("day", "english", "french"),
    [
        (datetime.date(2021, 6, 17), "17 Jun 2021", "17 juin 2021"),
        (datetime.date(2023, 7, 19), "19 Jul 2023", "19 juillet 2023"),
        (datetime.date(2024, 12, 2), "2 Dec 2024", "2 décembre 2024"),
    ],
)
def test_french_dates_use_french_month_names(day, english, french):
    moment = datetime.datetime(day.year, day.month, day.day, 14, 5)
    assert render(DATES, "en-gb", day=day, moment=moment) == f"{english}|{english} 14:05"
    assert render(DATES, "fr", day=day, moment=moment) == f"{french}|{french} 14:05"


def test_counts_are_grouped_in_each_language_s_way():
    values = {"count": 2500, "small": 12, "text": "K7PD"}
    assert render(NUMBERS, "en-gb", **values) == "2,500|12|K7PD"
    assert render(NUMBERS, "fr", **values) == "2\u202f500|12|K7PD"


def test_identifiers_in_templates_stay_ungrouped():
    """USE_THOUSAND_SEPARATOR stays off: an id printed in an address is never "1 234"."""
    with translation.override("fr"):
        assert Template("/reports/{{ pk }}/").render(Context({"pk": 1234})) == "/reports/1234/"


def test_no_template_writes_a_fixed_abbreviated_date():
    package = Path(__file__).resolve().parents[2] / "src" / "lantern"
    fixed = [
        str(path.relative_to(package))
        for path in package.rglob("templates/**/*.html")
        if '"j M Y' in path.read_text(encoding="utf-8")
    ]
    assert fixed == [], "use DATE_FORMAT or DATETIME_FORMAT, which French writes in full"


PLURAL = Template(
    "{% load i18n lantern_numbers %}{% blocktranslate count counter=n|grouped_count %}"
    "{{ counter }} report{% plural %}{{ counter }} reports{% endblocktranslate %}"
)


@pytest.mark.parametrize(
    ("count", "english", "french"),
    [
        (1, "1 report", "1 rapport"),
        (2500, "2,500 reports", "2\u202f500 rapports"),
    ],
)
def test_counts_in_sentences_are_grouped_and_keep_their_plural(count, english, french):
    assert render(PLURAL, "en-gb", n=count) == english
    assert render(PLURAL, "fr", n=count) == french
