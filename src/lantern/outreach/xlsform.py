"""Question banks as XLSForm, the KoboToolbox / ODK format partners already use.

The layout (docs/training.md): a ``survey`` sheet with ``type`` (``select_one LIST``,
``select_multiple LIST``), ``name`` (the question's key), ``label::English (en)``,
``label::French (fr)``, and two columns of Lantern's own, ``lantern_topic`` (a topic code)
and ``lantern_kind`` (``single``, ``multiple``, ``confidence``, ``follow_up``); a
``choices`` sheet with ``list_name``, ``name``, both labels and ``correct`` (1 for each
correct answer). A confidence statement is a ``select_one`` of the list ``likert5``
(1 to 5). A file is first checked by pyxform, the reference implementation, so a file
Lantern accepts is a form KoboToolbox or ODK accepts too.
"""

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from pyxform.errors import PyXFormError
from pyxform.xls2xform import convert

from lantern.outreach.models.training import Question, QuestionKind, TrainingTopic
from lantern.outreach.services.training import ChoiceData, QuestionData

LABEL_EN = "label::English (en)"
LABEL_FR = "label::French (fr)"
SURVEY_COLUMNS = ["type", "name", LABEL_EN, LABEL_FR, "lantern_topic", "lantern_kind"]
CHOICE_COLUMNS = ["list_name", "name", LABEL_EN, LABEL_FR, "correct"]
LIKERT = "likert5"
MAX_QUESTIONS = 500
_SKIPPED_TYPES = {"begin_group", "end_group", "begin group", "end group", "note", "start", "end"}


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def _rows(sheet: Any) -> list[dict[str, str]]:
    rows = sheet.iter_rows(values_only=True)
    header = [str(cell or "").strip() for cell in next(rows, ())]
    result = []
    for values in rows:
        if values is None or all(value in (None, "") for value in values):
            continue
        result.append(
            {
                column: str(value).strip() if value is not None else ""
                for column, value in zip(header, values, strict=False)
                if column
            }
        )
    return result


def read(upload: Any, *, topics: Iterable[TrainingTopic]) -> list[QuestionData]:
    """The questions of an XLSForm upload, or a ``ValidationError`` on ``file`` saying why."""
    content = upload.read()
    try:
        convert(xlsform=io.BytesIO(content), file_type=".xlsx", warnings=[])
    except PyXFormError as error:
        raise _refuse(
            _("This is not a valid XLSForm: %(problem)s") % {"problem": str(error)[:300]}
        ) from error
    except Exception as error:  # pyxform raises many kinds on a broken file
        raise _refuse(_("This file could not be read as an XLSForm spreadsheet")) from error
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a broken file
        raise _refuse(_("This file could not be read as an XLSForm spreadsheet")) from error
    sheets = {name.lower(): workbook[name] for name in workbook.sheetnames}
    if "survey" not in sheets or "choices" not in sheets:
        raise _refuse(_("The XLSForm needs a survey sheet and a choices sheet"))
    by_code = {topic.code: topic for topic in topics}
    choices: dict[str, list[dict[str, str]]] = {}
    for row in _rows(sheets["choices"]):
        choices.setdefault(row.get("list_name", ""), []).append(row)
    questions = []
    for number, row in enumerate(_rows(sheets["survey"]), start=2):
        kind_of_row = row.get("type", "")
        if not kind_of_row or kind_of_row.split()[0] in _SKIPPED_TYPES:
            continue
        parts = kind_of_row.split()
        if parts[0] not in {"select_one", "select_multiple"} or len(parts) != 2:
            raise _refuse(
                _("Survey row %(row)s: only select_one and select_multiple questions are imported")
                % {"row": number}
            )
        topic = by_code.get(row.get("lantern_topic", ""))
        if topic is None:
            raise _refuse(
                _("Survey row %(row)s: lantern_topic must be one of %(codes)s")
                % {"row": number, "codes": ", ".join(sorted(by_code))}
            )
        list_name = parts[1]
        kind = row.get("lantern_kind") or (
            QuestionKind.CONFIDENCE
            if list_name == LIKERT
            else QuestionKind.SINGLE
            if parts[0] == "select_one"
            else QuestionKind.MULTIPLE
        )
        if kind not in QuestionKind.values:
            raise _refuse(_("Survey row %(row)s: unknown lantern_kind") % {"row": number})
        options = []
        if kind != QuestionKind.CONFIDENCE:
            options = [
                ChoiceData(
                    name=option.get("name", "")[:60],
                    text=option.get(LABEL_EN, "") or option.get("label", ""),
                    text_fr=option.get(LABEL_FR, ""),
                    is_correct=option.get("correct", "").lower() in {"1", "yes", "true", "x"},
                )
                for option in choices.get(list_name, [])
            ]
        questions.append(
            QuestionData(
                key=row.get("name", "")[:60],
                topic=topic,
                kind=kind,
                text=row.get(LABEL_EN, "") or row.get("label", ""),
                text_fr=row.get(LABEL_FR, ""),
                choices=options,
            )
        )
        if len(questions) > MAX_QUESTIONS:
            raise _refuse(_("Import %(limit)s questions at most") % {"limit": MAX_QUESTIONS})
    if not questions:
        raise _refuse(_("The XLSForm holds no question to import"))
    return questions


def write(questions: Sequence[Question]) -> bytes:
    """The questions as an XLSForm workbook (survey, choices and settings sheets)."""
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey.append(SURVEY_COLUMNS)
    choices = workbook.create_sheet("choices")
    choices.append(CHOICE_COLUMNS)
    likert_written = False
    for question in questions:
        if question.kind == QuestionKind.CONFIDENCE:
            list_name, select = LIKERT, "select_one"
            if not likert_written:
                for value in range(1, 6):
                    choices.append([LIKERT, str(value), str(value), str(value), ""])
                likert_written = True
        else:
            list_name = f"{question.key}_answers"
            select = "select_one" if question.kind == QuestionKind.SINGLE else "select_multiple"
            for choice in question.choices.all():
                choices.append(
                    [
                        list_name,
                        choice.name,
                        choice.text,
                        choice.text_fr,
                        1 if choice.is_correct else "",
                    ]
                )
        survey.append(
            [
                f"{select} {list_name}",
                question.key,
                question.text,
                question.text_fr,
                question.topic.code,
                question.kind,
            ]
        )
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "form_id", "default_language"])
    settings.append(["Lantern training questions", "lantern_training", "English (en)"])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
