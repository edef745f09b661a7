"""Training pages for those who manage training: courses, their questions, and the
question bank with its XLSForm import and export. Thin: each parses a form, calls a
service or selector, and renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from lantern.core import audit
from lantern.core.audit import AuditContext
from lantern.core.forms import add_refusal
from lantern.outreach import xlsform
from lantern.outreach.forms.training import (
    CourseForm,
    CourseItemsForm,
    QuestionForm,
    XlsformUploadForm,
)
from lantern.outreach.models.training import Stage
from lantern.outreach.selectors import training as selectors
from lantern.outreach.services import training as services
from lantern.outreach.views.training import _form_page, _manager, _posted

# Courses and the question bank.


@login_required
@never_cache
def course_list(request: HttpRequest) -> HttpResponse:
    _manager(request)
    return render(
        request, "outreach/training/course_list.html", {"courses": selectors.courses(request.user)}
    )


@login_required
@never_cache
def course_create(request: HttpRequest) -> HttpResponse:
    _manager(request)
    form = CourseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        already = selectors.submitted_course(request.user, data["submission_key"])
        if already is not None:
            return redirect("outreach:training_course", pk=already.pk)
        try:
            course = services.create_course(
                actor=request.user, context=AuditContext.from_request(request), **data
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Course created"))
            return redirect("outreach:training_course", pk=course.pk)
    return _form_page(
        request,
        "outreach/training/form.html",
        {"form": form, "title": _("Create a course"), "button": _("Create the course")},
    )


@login_required
@never_cache
def course_page(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.course_for_managing(request.user, pk)
    return render(
        request,
        "outreach/training/course.html",
        {
            "course": course,
            "items": selectors.course_items(course),
            "sessions": selectors.sessions_for_managing(request.user).filter(course=course),
            "stages": Stage,
        },
    )


@login_required
@never_cache
def course_items(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.course_for_managing(request.user, pk)
    current = selectors.course_items(course)
    form = CourseItemsForm(
        _posted(request),
        questions=selectors.question_bank(request.user),
        initial={
            "pre": current[Stage.PRE],
            "post": current[Stage.POST],
            "follow_up": current[Stage.FOLLOW_UP],
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_course_items(
                actor=request.user,
                course=course,
                context=AuditContext.from_request(request),
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Questions saved"))
            return redirect("outreach:training_course", pk=course.pk)
    return _form_page(
        request,
        "outreach/training/form.html",
        {
            "form": form,
            "title": _("Questions of %(course)s") % {"course": course.title},
            "button": _("Save the questions"),
        },
    )


@login_required
@never_cache
def question_bank(request: HttpRequest) -> HttpResponse:
    _manager(request)
    return render(
        request,
        "outreach/training/question_bank.html",
        {"questions": selectors.question_bank(request.user)},
    )


@login_required
@never_cache
def question_create(request: HttpRequest) -> HttpResponse:
    _manager(request)
    form = QuestionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_question(
                actor=request.user,
                context=AuditContext.from_request(request),
                data=services.QuestionData(
                    key=data["key"],
                    topic=data["topic"],
                    kind=data["kind"],
                    text=data["text"],
                    text_fr=data["text_fr"],
                    choices=data["choices"],
                ),
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Question added"))
            return redirect("outreach:training_questions")
    return _form_page(
        request,
        "outreach/training/form.html",
        {"form": form, "title": _("Add a question"), "button": _("Add the question")},
    )


@login_required
@never_cache
def question_revise(request: HttpRequest, pk: int) -> HttpResponse:
    question = selectors.question_for_managing(request.user, pk)
    initial = {
        "kind": question.kind,
        "text": question.text,
        "text_fr": question.text_fr,
        "choices": "\n".join(
            f"{'*' if choice.is_correct else ''}{choice.text} | {choice.text_fr}"
            for choice in question.choices.all()
        ),
    }
    form = QuestionForm(_posted(request), revising=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.revise_question(
                actor=request.user,
                context=AuditContext.from_request(request),
                question=question,
                data=services.QuestionData(
                    key=question.key,
                    topic=question.topic,
                    kind=data["kind"],
                    text=data["text"],
                    text_fr=data["text_fr"],
                    choices=data["choices"],
                ),
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(
                request, _("New version saved: answers keep the version they answered")
            )
            return redirect("outreach:training_questions")
    return _form_page(
        request,
        "outreach/training/form.html",
        {
            "form": form,
            "title": _("Revise question %(key)s") % {"key": question.key},
            "button": _("Save a new version"),
            "history": selectors.question_history(question),
        },
    )


@login_required
@never_cache
def question_import(request: HttpRequest) -> HttpResponse:
    _manager(request)
    form = XlsformUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            questions = xlsform.read(form.cleaned_data["file"], topics=selectors.topics())
            added, revised = services.import_questions(
                actor=request.user, context=AuditContext.from_request(request), questions=questions
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(
                request,
                _("%(added)s questions added, %(revised)s revised")
                % {"added": added, "revised": revised},
            )
            return redirect("outreach:training_questions")
    return _form_page(
        request,
        "outreach/training/form.html",
        {
            "form": form,
            "title": _("Import questions from an XLSForm"),
            "button": _("Import the questions"),
            "multipart": True,
        },
    )


@login_required
@never_cache
def question_export(request: HttpRequest) -> HttpResponse:
    _manager(request)
    questions = list(selectors.question_bank(request.user))
    content = xlsform.write(questions)
    audit.record_export(
        actor=request.user,
        description="training question bank (XLSForm)",
        row_count=len(questions),
        purpose="question bank export",
        context=AuditContext.from_request(request),
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="lantern-question-bank.xlsx"'
    return response
