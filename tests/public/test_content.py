"""The public information pages: signs, get help, privacy and accessibility.

They must answer in English and French, end every signs page with what to do, read the
phone numbers from the HelpChannel data, and never set a tracking cookie or pull in a
third-party resource.
"""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from lantern.core.roles import Role
from lantern.public.content import GENERAL_SIGNS, SIGN_PAGES, Kind, sign_page
from lantern.public.models import HelpChannel

pytestmark = pytest.mark.django_db

SLUGS = [page.slug for page in SIGN_PAGES]
INFORMATION_PAGES = [
    "public:start",
    "public:signs",
    "public:get_help",
    "public:privacy",
    "public:accessibility",
]
HELPLINE = "modern_slavery_helpline"
LINK_ATTRIBUTE = re.compile(r"""\b(?:src|href)\s*=\s*(["'])(.*?)\1""", re.IGNORECASE)
EXIT_LINK = re.compile(r"<a\b[^>]*govuk-exit-this-page__button[^>]*>", re.DOTALL)
WHAT_TO_DO = re.compile(r'<section id="what-to-do".*?</section>', re.DOTALL)


def _path(name: str, language: str = "en-gb", **kwargs: str) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def _every_public_path() -> list[str]:
    names = [(name, {}) for name in INFORMATION_PAGES]
    names += [("public:sign_page", {"slug": slug}) for slug in SLUGS]
    return [
        _path(name, language, **kwargs) for language in ("en-gb", "fr") for name, kwargs in names
    ]


def _channel(code: str) -> HelpChannel:
    return HelpChannel.objects.get(code=code)


# The content itself.


def test_there_is_a_page_per_form_of_exploitation_and_per_sector():
    forms = {page.slug for page in SIGN_PAGES if page.kind == Kind.FORM}
    sectors = {page.slug for page in SIGN_PAGES if page.kind == Kind.SECTOR}
    assert forms == {
        "labour-exploitation",
        "sexual-exploitation",
        "criminal-exploitation",
        "domestic-servitude",
        "child-exploitation",
    }
    assert sectors == {
        "hand-car-washes",
        "nail-bars",
        "agriculture-and-food-packing",
        "construction",
        "cannabis-cultivation",
        "hospitality",
        "manufacturing",
    }
    assert len(SLUGS) == len(set(SLUGS))


def test_every_page_has_signs_and_links_only_to_pages_that_exist():
    assert all(section.items for section in GENERAL_SIGNS)
    for page in SIGN_PAGES:
        assert page.signs, page.slug
        assert len(page.related_pages) == len(page.related), page.slug


def test_an_unknown_slug_has_no_page():
    assert sign_page("no-such-page") is None


def test_the_content_is_translated_when_rendered():
    page = sign_page("domestic-servitude")
    with translation.override("fr"):
        assert str(page.title) == "Servitude domestique"


def test_the_help_channels_are_loaded_from_the_data_file():
    numbers = dict(HelpChannel.objects.values_list("code", "phone_number"))
    assert numbers == {
        "emergency": "999",
        "modern_slavery_helpline": "08000 121 700",
        "police_non_emergency": "101",
        "crimestoppers": "0800 555 111",
        "gangmasters_labour_abuse_authority": "0800 432 0804",
        "salvation_army_referral_line": "0800 808 3733",
        "child_trafficking_guardians": "0800 043 4303",
    }
    assert _channel("emergency").textphone == "18000"
    assert _channel("police_non_emergency").textphone_href == "tel:18001101"
    assert all(channel.name_fr and channel.description_fr for channel in HelpChannel.objects.all())
    assert not HelpChannel.objects.exclude(website="").exists()


# The pages.


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("language", ["en-gb", "fr"])
def test_every_sign_page_answers_in_both_languages(client, slug, language):
    path = _path("public:sign_page", language, slug=slug)
    assert path.startswith("/fr/help/signs/" if language == "fr" else "/help/signs/")
    response = client.get(path)
    assert response.status_code == 200
    with translation.override(language):
        assert f"{sign_page(slug).title}</h1>" in response.text


def test_an_unknown_sign_page_is_not_found(client):
    assert client.get("/help/signs/no-such-page/").status_code == 404
    assert client.get("/fr/help/signs/no-such-page/").status_code == 404


@pytest.mark.parametrize("slug", SLUGS)
def test_every_sign_page_ends_with_what_to_do(client, slug):
    text = client.get(_path("public:sign_page", slug=slug)).text
    section = WHAT_TO_DO.search(text)
    assert section is not None
    assert 'href="tel:999"' in section.group()
    assert 'href="tel:08000121700"' in section.group()
    assert f'href="{reverse("public:report_start")}"' in section.group()
    # Nothing but closing tags between the ending and the end of the main content.
    after = text[section.end() : text.index("</main>")]
    assert re.fullmatch(r"(\s*</div>)*\s*", after), after


def test_the_sector_pages_add_the_workers_channel(client):
    glaa = 'href="tel:08004320804"'
    assert glaa in client.get(_path("public:sign_page", slug="hand-car-washes")).text
    assert glaa not in client.get(_path("public:sign_page", slug="cannabis-cultivation")).text


def test_the_signs_page_lists_the_general_signs_and_every_page(client):
    text = client.get(_path("public:signs")).text
    assert str(GENERAL_SIGNS[0].items[0]) in text
    for slug in SLUGS:
        assert f'href="{_path("public:sign_page", slug=slug)}"' in text
    assert WHAT_TO_DO.search(text)


def test_the_start_page_offers_every_way_forward(client):
    text = client.get(_path("public:start")).text
    assert "Worried someone is being exploited?" in text
    for name in ("public:signs", "public:get_help", "public:report_start"):
        assert f'href="{reverse(name)}"' in text
    assert "govuk-warning-text" in text
    assert 'href="tel:999"' in text


def test_get_help_shows_every_active_channel_as_a_phone_link(client):
    text = client.get(_path("public:get_help")).text
    for channel in HelpChannel.objects.filter(is_active=True):
        assert f'href="{channel.phone_href}"' in text, channel.code
        if channel.audience != HelpChannel.Audience.EMERGENCY:  # a warning, not a card
            assert escape(channel.name) in text, channel.code
    assert 'href="tel:18000"' in text
    assert 'id="happening-to-you"' in text


def test_get_help_hides_a_channel_an_administrator_deactivated(client):
    HelpChannel.objects.filter(code="crimestoppers").update(is_active=False)
    text = client.get(_path("public:get_help")).text
    assert "tel:0800555111" not in text
    assert "Crimestoppers" not in text
    assert "tel:08000121700" in text


def test_get_help_shows_a_number_an_administrator_changed(client):
    HelpChannel.objects.filter(code=HELPLINE).update(phone_number="0800 000 1234")
    text = client.get(_path("public:get_help")).text
    assert 'href="tel:08000001234"' in text
    assert "0800 000 1234" in text
    assert "tel:08000121700" not in text
    ending = WHAT_TO_DO.search(client.get(_path("public:signs")).text).group()
    assert 'href="tel:08000001234"' in ending


def test_get_help_is_in_french_under_fr(client):
    text = client.get(_path("public:get_help", "fr")).text
    assert '<html lang="fr"' in text
    assert _channel("salvation_army_referral_line").name_fr in text
    assert _channel(HELPLINE).description_fr in text


@pytest.mark.parametrize("name", ["public:privacy", "public:accessibility"])
@pytest.mark.parametrize("language", ["en-gb", "fr"])
def test_privacy_and_accessibility_answer_in_both_languages(client, name, language):
    response = client.get(_path(name, language))
    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.text


def test_the_privacy_notice_names_what_is_stored_and_what_is_not(client):
    text = client.get(_path("public:privacy")).text
    for words in ("postcode", "photos", "IP address", "sessionid", "csrftoken", "analytics"):
        assert words in text


def test_the_accessibility_statement_states_its_target_and_its_limits(client):
    text = client.get(_path("public:accessibility")).text
    assert "WCAG" in text and "2.2" in text and "AA" in text
    assert "axe-core" in text
    assert "without JavaScript" in text


# Rules for every public page.


@pytest.mark.parametrize("path", _every_public_path())
def test_every_public_page_offers_a_quick_exit_without_a_referrer(client, path):
    text = client.get(path).text
    link = EXIT_LINK.search(text)
    assert link is not None, path
    relation = re.search(r'rel="([^"]*)"', link.group())
    assert relation is not None and "noreferrer" in relation.group(1).split()
    assert f'href="{settings.PUBLIC_EXIT_URL}"' in link.group()


@pytest.mark.parametrize("path", _every_public_path())
def test_no_public_page_sets_a_cookie_it_does_not_need(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert set(response.cookies) <= {"csrftoken", "sessionid"}, path


@pytest.mark.parametrize("path", _every_public_path())
def test_no_public_page_links_or_loads_a_third_party(client, path):
    text = client.get(path).text
    external = {
        address
        for _quote, address in LINK_ATTRIBUTE.findall(text)
        if re.match(r"(?:https?:)?//", address, re.IGNORECASE)
    }
    assert external <= {settings.PUBLIC_EXIT_URL}, path


@pytest.mark.parametrize("language", ["en-gb", "fr"])
@pytest.mark.parametrize("name", INFORMATION_PAGES)
def test_every_public_page_links_to_the_statistics_in_its_footer(client, name, language):
    with translation.override(language):
        page, statistics = reverse(name), reverse("evaluation:statistics")
    text = client.get(page).text
    footer = text[text.index('<footer class="govuk-footer"') :]
    assert f'href="{statistics}"' in footer
    assert client.get(statistics).status_code == 200


@pytest.mark.parametrize(("address", "help_page"), [("/", "/help/"), ("/fr/", "/fr/help/")])
def test_the_site_address_opens_the_public_help_without_an_account(client, address, help_page):
    response = client.get(address, follow=True)

    assert response.redirect_chain == [(help_page, 302)]
    page = response.content.decode()
    assert f'href="{_path("public:report_start", "fr" if "fr" in address else "en-gb")}"' in page
    assert f'href="{_path("core:login", "fr" if "fr" in address else "en-gb")}"' in page


def test_a_signed_in_partner_still_gets_their_home_at_the_site_address(signed_in):
    partner = signed_in(Role.PARTNER_CONTRIBUTOR)

    response = partner.get("/")

    assert response.status_code == 200
    assert "core/home.html" in [template.name for template in response.templates]
