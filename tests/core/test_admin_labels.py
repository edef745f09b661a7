"""The admin's table-row inputs have accessible names (axe ``label``, ``select-name``)."""

import re

import pytest
from django.utils import translation

from lantern.core.roles import Role
from lantern.public.models import HelpChannel


@pytest.fixture
def admin_client(signed_in):
    return signed_in(Role.SYSTEM_ADMINISTRATOR)


def visible_controls(html: str) -> list[str]:
    """Every input, select and textarea a person can reach, as its opening tag."""
    tags = re.findall(r"<(?:input|select|textarea)\b[^>]*>", html)
    buttons = ('type="hidden"', 'type="submit"', 'type="button"', 'type="reset"')
    return [tag for tag in tags if not any(kind in tag for kind in buttons)]


def has_name(tag: str, html: str) -> bool:
    if "aria-label=" in tag:
        return True
    identifier = re.search(r'id="([^"]+)"', tag)
    return bool(identifier) and f'for="{identifier.group(1)}"' in html


def test_every_editable_cell_of_the_help_channels_says_its_column_and_row(admin_client):
    channels = list(HelpChannel.objects.all())
    assert channels, "the data migration adds the help channels"
    html = admin_client.get("/admin/public/helpchannel/").content.decode()
    editable = [tag for tag in visible_controls(html) if re.search(r'name="form-\d+-', tag)]
    assert len(editable) == 2 * len(channels)
    assert all(has_name(tag, html) for tag in editable), editable
    first = channels[0]
    rows = {tag for tag in editable if f"{first}" in tag}
    assert any(f'aria-label="Order, {first}"' in tag for tag in rows)


def test_the_indicator_form_labels_the_phrase_and_its_language(admin_client):
    html = admin_client.get("/admin/core/indicator/add/").content.decode()
    unnamed = [tag for tag in visible_controls(html) if not has_name(tag, html)]
    assert unnamed == []
    assert 'aria-label="Phrase, new row 1"' in html
    assert 'aria-label="Language, new row 1"' in html


def test_the_labels_follow_the_language(admin_client):
    with translation.override("fr"):
        html = admin_client.get("/fr/admin/core/indicator/add/").content.decode()
    assert "nouvelle ligne 1" in html


def test_a_change_page_names_the_existing_rows_and_their_delete_boxes(admin_client):
    from lantern.core.models import Indicator

    indicator = Indicator.objects.filter(phrases__isnull=False).first()
    assert indicator is not None, "the lexicon migration adds indicators with phrases"
    html = admin_client.get(f"/admin/core/indicator/{indicator.pk}/change/").content.decode()
    unnamed = [tag for tag in visible_controls(html) if not has_name(tag, html)]
    assert unnamed == []
    phrase = indicator.phrases.first()
    assert f'aria-label="Phrase, {phrase}"' in html
