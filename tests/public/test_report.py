"""Reporting a concern online: the journey, what is stored, and what is refused."""

import io
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from PIL import Image

from lantern.core.models import LocalAuthorityArea
from lantern.core.references import REFERENCE_ALPHABET
from lantern.public.models import IndicatorSuggestion, PublicReport, ReportAddition, ReportPhoto

ANSWERS = {
    "danger": {"immediate_danger": "no"},
    "what-happened": {
        "what_happened": "Men at the car wash work every day with no gloves and sleep on site."
    },
    "signs": {"indicators": ["long_hours", "no_protective_equipment"]},
    "exploitation": {"suspected_types": ["labour"], "children_involved": "not_sure"},
    "where": {"location": "Hand car wash, Narborough Road", "postcode": "le3 0ab"},
    "when": {"when": "Every morning at 6am"},
    "people": {
        "people": "Five young men",
        "vehicles": "White minibus",
        "vehicle_registrations": "ab12 cde, AB12CDE",
        "phone_numbers": "07700 900123",
        "business_name": "Sparkle Wash",
    },
    "photos": {"action": "continue"},
    "contact": {"wants_contact": "no"},
}


CHECK = "/report/check/"


def step_url(step: str) -> str:
    return f"/report/{step}/"


def fill_in(client, answers=ANSWERS, *, prefix: str = ""):
    for step, data in answers.items():
        response = client.post(prefix + step_url(step), data)
        assert response.status_code == 302, (step, response.content.decode()[:2000])
    response = client.get(prefix + CHECK)
    assert response.status_code == 200
    return response.context["form"].initial["submission_key"]


def send(client, key, *, prefix: str = "", **extra):
    return client.post(prefix + CHECK, {"submission_key": key, **extra})


def jpeg_with_location() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x8825] = {1: "N", 2: (52.0, 38.0, 0.0)}  # GPS
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif)
    return output.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/jpeg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def visitor(client, db):
    return client


def test_a_visitor_sends_a_report_and_gets_a_reference_and_a_follow_up_link(visitor):
    key = fill_in(visitor)

    response = send(visitor, key)

    assert response.status_code == 302
    assert response["Location"] == reverse("public:sent")
    report = PublicReport.objects.get()
    page = visitor.get(reverse("public:sent")).content.decode()
    assert report.reference in page
    assert re.fullmatch(
        rf"[{REFERENCE_ALPHABET}]{{4}}-[{REFERENCE_ALPHABET}]{{4}}", report.reference
    )
    link = re.search(r'href="(http://testserver/report/follow-up/[^"]+/)"', page).group(1)
    assert "/report/follow-up/" in link
    assert report.language == "en-gb"
    assert report.postcode == "LE3 0AB"
    assert report.area == LocalAuthorityArea.objects.get(name="Leicester")
    assert report.vehicle_registrations == ["AB12CDE"]
    assert report.phone_numbers == ["+447700900123"]
    assert {indicator.code for indicator in report.indicators.all()} == {
        "long_hours",
        "no_protective_equipment",
    }
    assert [kind.code for kind in report.suspected_types.all()] == ["labour"]
    assert not report.consent_to_contact and report.contact_email == ""
    assert mail.outbox == []


def test_the_text_is_scanned_for_indicators_with_the_phrases_that_triggered_them(visitor):
    send(visitor, fill_in(visitor))

    suggestions = {
        (suggestion.indicator or suggestion.exploitation_type).code: suggestion.phrases
        for suggestion in IndicatorSuggestion.objects.all()
    }
    assert suggestions["no_protective_equipment"] == ["no gloves"]
    assert suggestions["long_hours"] == ["every day"]
    assert suggestions["labour"] == ["car wash"]


def test_french_report_is_recorded_in_french_and_scanned_with_the_french_lexicon(visitor):
    answers = {
        **ANSWERS,
        "what-happened": {"what_happened": "Ils sont ENFERMÉS et on a confisqué leur passeport."},
    }
    send(visitor, fill_in(visitor, answers, prefix="/fr"), prefix="/fr")

    report = PublicReport.objects.get()
    assert report.language == "fr"
    codes = {
        suggestion.indicator.code: suggestion.phrases
        for suggestion in report.suggestions.filter(indicator__isnull=False)
    }
    assert codes["restricted_movement"] == ["enfermés"]
    assert codes["documents_held"] == ["passeport", "confisqué"]


def test_sending_twice_makes_one_report(visitor):
    key = fill_in(visitor)

    first = send(visitor, key)
    again = send(visitor, key)

    assert first.status_code == again.status_code == 302
    assert again["Location"] == reverse("public:sent")
    assert PublicReport.objects.count() == 1


def test_danger_interrupts_with_999_and_lets_the_reporter_continue(visitor):
    response = visitor.post(step_url("danger"), {"immediate_danger": "yes"})

    assert response["Location"] == reverse("public:call_999")
    page = visitor.get(response["Location"]).content.decode()
    assert 'href="tel:999"' in page
    assert step_url("what-happened") in page


def test_going_back_shows_what_was_typed(visitor):
    fill_in(visitor)

    page = visitor.get(step_url("people")).content.decode()

    assert "Five young men" in page
    assert 'value="AB12CDE"' in page
    assert 'value="+447700900123"' in page


def test_the_check_page_sends_the_visitor_to_the_first_question_not_answered(visitor):
    visitor.post(step_url("danger"), {"immediate_danger": "no"})

    response = visitor.get(reverse("public:check"))

    assert response["Location"] == step_url("what-happened")


@pytest.mark.parametrize(
    ("step", "data", "field", "message"),
    [
        ("danger", {}, "immediate_danger", "Select yes if anyone is in immediate danger"),
        ("what-happened", {"what_happened": "  "}, "what_happened", "Enter what you saw or heard"),
        (
            "what-happened",
            {"what_happened": "x" * 5001},
            "what_happened",
            "What did you see or hear? must be 5000 characters or fewer",
        ),
        (
            "what-happened",
            {"what_happened": "binary \x00\x01 junk"},
            "what_happened",
            "Remove the unreadable characters",
        ),
        (
            "where",
            {"location": "Somewhere", "postcode": "ZZ"},
            "postcode",
            "Enter a real UK postcode",
        ),
        (
            "people",
            {"vehicle_registrations": "NOT A REG!!"},
            "vehicle_registrations",
            "is not a vehicle registration",
        ),
        ("people", {"phone_numbers": "12"}, "phone_numbers", "12 is not a phone number"),
        (
            "exploitation",
            {"suspected_types": ["labour", "not_sure"], "children_involved": "no"},
            "suspected_types",
            "not both",
        ),
        (
            "contact",
            {"wants_contact": "yes", "contact_email": "a@example.com"},
            "consent_to_contact",
            "Tick the box",
        ),
        (
            "contact",
            {"wants_contact": "yes", "consent_to_contact": "on"},
            "contact_email",
            "Enter an email address or a phone number",
        ),
    ],
)
def test_bad_answers_are_refused_with_a_message_naming_the_field(
    visitor, step, data, field, message
):
    response = visitor.post(step_url(step), data)

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'href="#id_{field}' in page
    assert (
        "public_report_draft" not in visitor.session
        or step not in visitor.session["public_report_draft"]["pages"]
    )


def test_contact_details_are_kept_only_with_consent_and_the_reference_is_emailed(visitor, run_jobs):
    answers = {
        **ANSWERS,
        "contact": {
            "wants_contact": "yes",
            "contact_name": "Sam",
            "contact_email": "sam@example.com",
            "consent_to_contact": "on",
        },
    }
    send(visitor, fill_in(visitor, answers))

    report = PublicReport.objects.get()
    assert report.consent_to_contact
    assert report.contact_email == "sam@example.com"
    assert mail.outbox == []  # queued with the report, sent by the worker
    assert run_jobs() == 1
    assert len(mail.outbox) == 1
    assert report.reference in mail.outbox[0].body
    assert "follow-up" not in mail.outbox[0].body
    assert "car wash" not in mail.outbox[0].body


def test_details_typed_then_withdrawn_are_not_kept(visitor):
    answers = {
        **ANSWERS,
        "contact": {"wants_contact": "no", "contact_email": "sam@example.com"},
    }
    send(visitor, fill_in(visitor, answers))

    assert PublicReport.objects.get().contact_email == ""


def test_photos_are_re_encoded_without_location_or_camera_details(visitor, tmp_path):
    response = visitor.post(
        step_url("photos"),
        {"action": "upload", "photos": [upload("van.jpg", jpeg_with_location())]},
    )
    assert response.status_code == 302
    key = fill_in(visitor)
    send(visitor, key)

    photo = ReportPhoto.objects.get()
    assert photo.report == PublicReport.objects.get()
    with photo.file.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert image.size == (40, 30)
    assert str(tmp_path) in photo.file.path
    assert "static" not in photo.file.path and "media" not in photo.file.path


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.jpg", b"this is not a picture", "notes.jpg is not a photo"),
        ("drawing.gif", None, "drawing.gif must be a JPG or PNG photo"),
    ],
)
def test_anything_but_a_real_jpeg_or_png_is_refused(visitor, name, content, message):
    if content is None:
        output = io.BytesIO()
        Image.new("RGB", (4, 4)).save(output, format="GIF")
        content = output.getvalue()
    response = visitor.post(
        step_url("photos"), {"action": "upload", "photos": [upload(name, content)]}
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert ReportPhoto.objects.count() == 0


def test_no_more_than_five_photos(visitor):
    photos = [upload(f"p{number}.jpg", jpeg_with_location()) for number in range(6)]

    response = visitor.post(step_url("photos"), {"action": "upload", "photos": photos})

    assert response.status_code == 400
    assert "up to 5 photos" in response.content.decode()
    assert ReportPhoto.objects.count() == 0


def test_a_filled_honeypot_is_refused_and_nothing_is_stored(visitor):
    key = fill_in(visitor)

    response = send(visitor, key, website="http://spam.example")

    assert response.status_code == 400
    assert PublicReport.objects.count() == 0


def test_the_rate_limit_shows_the_phone_numbers_and_stores_nothing(visitor, settings):
    settings.PUBLIC_REPORT_RATE_LIMIT = "1/h"
    send(visitor, fill_in(visitor))

    response = send(visitor, fill_in(visitor))

    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many reports" in page
    assert 'href="tel:' in page
    assert PublicReport.objects.count() == 1


def test_follow_up_link_adds_information_without_reading_anything_back(visitor, client):
    send(visitor, fill_in(visitor))
    page = visitor.get(reverse("public:sent")).content.decode()
    link = re.search(r'href="http://testserver(/report/follow-up/[^"]+/)"', page).group(1)

    stranger = client.__class__()
    form = stranger.get(link)
    assert form.status_code == 200
    assert "car wash" not in form.content.decode()
    response = stranger.post(link, {"text": "The minibus came back with <b>more</b> people."})
    assert response.status_code == 302
    assert "minibus came back" not in stranger.get(link).content.decode()
    addition = ReportAddition.objects.get()
    assert addition.report == PublicReport.objects.get()


def test_a_wrong_follow_up_token_is_not_found(visitor):
    send(visitor, fill_in(visitor))

    assert visitor.get(reverse("public:follow_up", args=["guess"])).status_code == 404


def test_an_oversized_request_is_refused_without_a_server_error(visitor):
    response = visitor.post(step_url("what-happened"), {"what_happened": "x" * 3_000_000})

    assert response.status_code == 400
    assert "what-happened" not in visitor.session.get("public_report_draft", {}).get("pages", {})


def test_script_typed_into_the_form_is_shown_as_text_on_the_check_page(visitor):
    script = '<script>alert("x")</script>'
    fill_in(visitor, {**ANSWERS, "people": {"people": script}})

    page = visitor.get(CHECK).content.decode()

    assert script not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_a_photo_added_then_removed_is_not_sent(visitor):
    visitor.post(
        step_url("photos"),
        {"action": "upload", "photos": [upload("van.jpg", jpeg_with_location())]},
    )
    photo = ReportPhoto.objects.get()
    visitor.post(reverse("public:remove_photo", args=[photo.pk]))

    send(visitor, fill_in(visitor))

    assert PublicReport.objects.get().photos.count() == 0
    assert not ReportPhoto.objects.exists()


def test_photos_over_the_upload_limit_are_refused_with_a_message_not_a_server_error(
    db, monkeypatch
):
    # The limit is five photos of MAX_PHOTO_BYTES and a megabyte of form: shrink the photos'
    # share so that a body just over the limit stays small in a test.
    monkeypatch.setattr("lantern.public.views.MAX_PHOTO_BYTES", 1000)
    visitor = Client(enforce_csrf_checks=True, raise_request_exception=False)
    visitor.get(step_url("photos"))
    token = visitor.cookies["csrftoken"].value
    too_big = upload("big.jpg", b"\xff" * (1024 * 1024 + 10_000))

    response = visitor.post(
        step_url("photos"),
        {"action": "upload", "photos": [too_big], "csrfmiddlewaretoken": token},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "The photos are too big to send together" in page
    assert 'href="#id_photos"' in page or "id_photos-error" in page
    assert ReportPhoto.objects.count() == 0


def test_behind_a_proxy_the_rate_limit_counts_the_address_the_proxy_saw(db, settings):
    settings.PUBLIC_REPORT_RATE_LIMIT = "1/h"
    settings.CLIENT_ADDRESS_HEADER = "HTTP_X_FORWARDED_FOR"
    # The proxy appends the address it saw; what comes before is whatever the client sent.
    first = Client(HTTP_X_FORWARDED_FOR="10.0.0.1, 203.0.113.5")
    spoofing = Client(HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.5")
    someone_else = Client(HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.7")

    assert send(first, fill_in(first)).status_code == 302
    assert send(spoofing, fill_in(spoofing)).status_code == 429
    assert send(someone_else, fill_in(someone_else)).status_code == 302
    assert PublicReport.objects.count() == 2


def test_the_private_link_can_be_copied_from_a_field_without_javascript(visitor):
    send(visitor, fill_in(visitor))

    page = visitor.get(reverse("public:sent")).content.decode()

    field = re.search(r'<input[^>]*id="follow-up-link"[^>]*>', page).group(0)
    assert "readonly" in field
    assert 'value="http://testserver/report/follow-up/' in field
    assert '<label class="govuk-label" for="follow-up-link">' in page
    # The copy button needs JavaScript, so it is hidden until the script shows it.
    assert re.search(r"<button[^>]*hidden>Copy link</button>", page)


def test_the_private_link_is_emailed_once_to_an_address_kept_nowhere_else(visitor, run_jobs):
    send(visitor, fill_in(visitor))
    page = visitor.get(reverse("public:sent")).content.decode()
    link = re.search(r'value="(http://testserver/report/follow-up/[^"]+/)"', page).group(1)

    first = visitor.post(reverse("public:sent"), {"link_email": "reporter@example.com"})
    again = visitor.post(reverse("public:sent"), {"link_email": "reporter@example.com"})

    assert first["Location"] == again["Location"] == reverse("public:sent")
    assert run_jobs() == 1
    assert [message.to for message in mail.outbox] == [["reporter@example.com"]]
    assert link in mail.outbox[0].body
    assert "car wash" not in mail.outbox[0].body
    assert PublicReport.objects.get().contact_email == ""
    confirmation = visitor.get(reverse("public:sent")).content.decode()
    assert "We have sent the link to the address you gave" in confirmation
    assert 'name="link_email"' not in confirmation


def test_a_wrong_address_for_the_link_is_named_and_nothing_is_sent(visitor, run_jobs):
    send(visitor, fill_in(visitor))

    response = visitor.post(reverse("public:sent"), {"link_email": "not an address"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter an email address like name@example.com" in page
    assert 'href="#id_link_email"' in page
    assert run_jobs() == 0
    assert mail.outbox == []
