"""One set of validators for every entry (models, hence services, serializers, forms and intake alike):
dates and date-times in plausible ranges, language scores on their test's scale, text lengths, and a
guard against NUL characters and deep nesting in JSON.

Model fields carry these validators, so `full_clean()` (called by every service write), DRF's model
serializers and Django's model forms all apply them. Language scales are the CRS engine's own
(`scoring.crs.language.validate_score`), never copied here.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EARLIEST_YEAR = 1900
LATEST_YEAR = 2100
NOTE_MAX_LENGTH = 20_000  # a note over this breaks the case page; longer texts belong in a document
JSON_MAX_DEPTH = 32
JSON_MAX_ITEMS = 10_000


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def validate_plausible_date(value: date | datetime | None) -> None:
    """Any date or date-time kept here (deadlines, expiries, submissions) is between 1900 and 2100."""
    if value is None:
        return
    if isinstance(value, datetime) and value.year < EARLIEST_YEAR:
        raise ValidationError(_("Enter a date from 1900 on."), code="too_early")
    day = _as_date(value)
    if day.year < EARLIEST_YEAR:
        raise ValidationError(_("Enter a date from 1900 on."), code="too_early")
    if day.year > LATEST_YEAR:
        raise ValidationError(_("Enter a date before 2101."), code="too_late")


def validate_past_date(value: date | datetime | None) -> None:
    """A date that has already happened (a test taken, a diploma completed): from 1900 to today."""
    if value is None:
        return
    validate_plausible_date(value)
    if _as_date(value) > timezone.localdate():
        raise ValidationError(_("This date cannot be in the future."), code="future")


def validate_birth_date(value: date | None) -> None:
    if value is None:
        return
    if value.year < EARLIEST_YEAR:
        raise ValidationError(_("Enter a date of birth from 1900 on."), code="too_early")
    if value > timezone.localdate():
        raise ValidationError(_("A date of birth cannot be in the future."), code="future")


note_length = MaxLengthValidator(NOTE_MAX_LENGTH)


def language_score_errors(*, test: str, scores: dict[str, Any], test_date: date | None) -> dict[str, str]:
    """{ability: message} for every score the test cannot produce (IELTS 0-9 in half bands, CELPIP 0-12
    whole levels, PTE Core 10-90, TEF Canada and TCF Canada on their scales), from the CRS engine's table."""
    from scoring.crs.language import LanguageScoreError, validate_score

    errors: dict[str, str] = {}
    for ability, value in scores.items():
        if value is None:
            continue
        if isinstance(value, Decimal):
            value = float(value)
        try:
            validate_score(test, ability, value, test_date)
        except LanguageScoreError as exc:
            errors[exc.ability if exc.ability in scores else ability] = exc.message
    return errors


def ee_profile_errors(*, submitted_at: datetime | None, expires_on: date | None) -> dict[str, str]:
    if submitted_at is None or expires_on is None:
        return {}
    if expires_on < _as_date(submitted_at):
        return {"ee_profile_expires_on": str(_("The profile cannot expire before it was submitted."))}
    return {}


# --- JSON: NUL characters and nesting ------------------------------------------------------------------


class JsonShapeError(ValueError):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path or "body"
        self.message = message


def check_json(data: Any, *, max_depth: int = JSON_MAX_DEPTH, max_items: int = JSON_MAX_ITEMS) -> None:
    """Refuse NUL characters (PostgreSQL text and jsonb cannot hold them), nesting deeper than `max_depth`
    and more than `max_items` values in all. Iterative: a hostile document cannot exhaust the stack."""
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    seen = 0
    while stack:
        value, path, depth = stack.pop()
        seen += 1
        if seen > max_items:
            raise JsonShapeError("", f"Too many values (more than {max_items}).")
        if depth > max_depth:
            raise JsonShapeError(path, f"Nested more than {max_depth} levels deep.")
        if isinstance(value, str):
            if "\x00" in value:
                raise JsonShapeError(path, "Null characters are not allowed.")
        elif isinstance(value, dict):
            for key, item in value.items():
                if "\x00" in str(key):
                    raise JsonShapeError(path, "Null characters are not allowed in keys.")
                stack.append((item, f"{path}.{key}" if path else str(key), depth + 1))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                stack.append((item, f"{path}[{index}]", depth + 1))


def validate_json_value(value: Any) -> None:
    """Model validator for JSON fields that take input (e.g. case facts)."""
    try:
        check_json(value)
    except JsonShapeError as exc:
        raise ValidationError(f"{exc.path}: {exc.message}", code="json") from None


def require_valid(**fields: tuple[Any, Any]) -> None:
    """For services that write without `full_clean()`: `require_valid(due_on=(value, validator), ...)`
    raises one ValidationError naming every bad field (a 400 on the API, form errors on the pages)."""
    errors: dict[str, list[str]] = {}
    for name, (value, validator) in fields.items():
        try:
            validator(value)
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
