"""Reading each provider's own webhook body: the submission id and the answers by question reference.

* Typeform (`form_response` event): id `form_response.token`; answers keyed by `field.ref` (and
  `field.id`); a choice gives its label, several choices a list of labels; hidden fields as `hidden.<name>`.
* Tally (`FORM_RESPONSE` event): id `data.responseId`; answers keyed by each field's `key`
  (`question_xxx`) and also its label; choice answers (option ids) become the options' texts.
* Jotform (multipart or urlencoded form post): id `submissionID`; answers from the JSON in `rawRequest`
  keyed by their field names (`q3_name`), a compound answer also as `q3_name.first`; a date
  `{"year", "month", "day"}` becomes `YYYY-MM-DD`.
* generic (Standard Webhooks, any JSON object): id the `webhook-id` header; answers keyed by their
  dotted path in the body (`applicant.email`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs


class UnreadableBody(Exception):
    """The (verified) body is not in the provider's shape: answered 400 naming what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Parsed:
    external_id: str
    answers: dict[str, Any]


def _json(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise UnreadableBody("body", "The body is not valid JSON.") from exc
    if not isinstance(data, dict):
        raise UnreadableBody("body", "The body must be a JSON object.")
    return data


def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        if prefix:
            out[prefix] = value
        for key, sub in value.items():
            _flatten(sub, f"{prefix}.{key}" if prefix else str(key), out)
    else:
        out[prefix] = value


def _typeform_value(answer: dict[str, Any]) -> Any:
    kind = answer.get("type")
    if kind == "choice":
        choice = answer.get("choice") or {}
        return choice.get("other") or choice.get("label")
    if kind == "choices":
        choices = answer.get("choices") or {}
        labels = list(choices.get("labels") or [])
        return [*labels, choices["other"]] if choices.get("other") else labels
    return answer.get(kind) if kind else None


def parse_typeform(body: bytes) -> Parsed:
    data = _json(body)
    response = data.get("form_response")
    if not isinstance(response, dict):
        raise UnreadableBody("form_response", "Not a Typeform form_response event.")
    token = str(response.get("token") or "")
    if not token:
        raise UnreadableBody("form_response.token", "The response token is missing.")
    answers: dict[str, Any] = {}
    for answer in response.get("answers") or []:
        field = answer.get("field") or {}
        value = _typeform_value(answer)
        for key in (field.get("id"), field.get("ref")):
            if key:
                answers[str(key)] = value
    for name, value in (response.get("hidden") or {}).items():
        answers[f"hidden.{name}"] = value
    return Parsed(token, answers)


def _tally_value(field: dict[str, Any]) -> Any:
    value = field.get("value")
    options = {o.get("id"): o.get("text") for o in field.get("options") or [] if isinstance(o, dict)}
    if options and isinstance(value, list):
        texts = [options.get(v, v) for v in value]
        return texts[0] if field.get("type") in ("MULTIPLE_CHOICE", "DROPDOWN") and len(texts) == 1 else texts
    return value


def parse_tally(body: bytes) -> Parsed:
    data = _json(body)
    inner = data.get("data")
    if not isinstance(inner, dict):
        raise UnreadableBody("data", "Not a Tally FORM_RESPONSE event.")
    response_id = str(inner.get("responseId") or "")
    if not response_id:
        raise UnreadableBody("data.responseId", "The response id is missing.")
    answers: dict[str, Any] = {}
    for field in inner.get("fields") or []:
        if not isinstance(field, dict):
            continue
        value = _tally_value(field)
        for key in (field.get("label"), field.get("key")):
            if key:
                answers[str(key)] = value
    return Parsed(response_id, answers)


def _jotform_value(value: Any) -> Any:
    if isinstance(value, dict) and {"year", "month", "day"} <= set(value):
        try:
            return f"{int(value['year']):04d}-{int(value['month']):02d}-{int(value['day']):02d}"
        except (TypeError, ValueError):
            return value
    return value


def parse_jotform(body: bytes, content_type: str, post: dict[str, Any] | None = None) -> Parsed:
    """`post`: the form fields Django already parsed (multipart); urlencoded bodies are parsed here."""
    fields: dict[str, Any] = dict(post or {})
    if not fields and "urlencoded" in content_type:
        fields = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
    submission_id = str(fields.get("submissionID") or "")
    if not submission_id:
        raise UnreadableBody("submissionID", "The Jotform submission id is missing.")
    try:
        raw = json.loads(fields.get("rawRequest") or "{}")
    except ValueError as exc:
        raise UnreadableBody("rawRequest", "rawRequest is not valid JSON.") from exc
    if not isinstance(raw, dict):
        raise UnreadableBody("rawRequest", "rawRequest must be a JSON object.")
    answers: dict[str, Any] = {}
    for key, value in raw.items():
        value = _jotform_value(value)
        answers[key] = value
        if isinstance(value, dict):
            for sub, sub_value in value.items():
                answers[f"{key}.{sub}"] = _jotform_value(sub_value)
    return Parsed(submission_id, answers)


def parse_generic(body: bytes, message_id: str) -> Parsed:
    data = _json(body)
    answers: dict[str, Any] = {}
    _flatten(data, "", answers)
    return Parsed(message_id, answers)
