"""`manage.py crs_score`: one JSON line in, one JSON line out, errors inline, order kept."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

SEED = {
    "as_of": "2023-07-01",
    "age": 38,
    "education": "two_or_more",
    "first_language": {"test": "celpip", "listening": 10, "reading": 10, "writing": 10, "speaking": 10},
    "foreign_work_years": 3,
    "arranged_employment": "other_teer_0_1_2_3",
}
LINES = [
    json.dumps(SEED),
    "{not json",
    json.dumps({**SEED, "first_language": {**SEED["first_language"], "writing": 13}}),
    "",
    json.dumps({**SEED, "canadian_work_years": 2}),
    json.dumps([1, 2]),
]


def _outputs(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def _check(outs: list[dict]) -> None:
    assert len(outs) == 5  # the blank line is skipped
    assert outs[0]["total"] == 475
    assert set(outs[1]) == {"error"} and "payload" in outs[1]["error"]
    assert outs[2] == {"error": {"first_language.writing": "must be between 0 and 12 for celpip"}}
    assert outs[3]["total"] == 528
    assert outs[4] == {"error": {"payload": "must be a JSON object"}}


def test_stdin_to_stdout_in_order():
    out = io.StringIO()
    call_command("crs_score", stdin=io.StringIO("\n".join(LINES) + "\n"), stdout=out)
    _check(_outputs(out.getvalue()))


def test_input_file(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(LINES), encoding="utf-8")
    out = io.StringIO()
    call_command("crs_score", "--input", str(path), stdout=out)
    _check(_outputs(out.getvalue()))


def test_whatif_option():
    out = io.StringIO()
    call_command("crs_score", "--whatif", stdin=io.StringIO(json.dumps(SEED)), stdout=out)
    (result,) = _outputs(out.getvalue())
    assert result["total"] == 475
    assert any(i["key"] == "provincial_nomination" for i in result["improvements"])


def test_unreadable_file_is_an_error(tmp_path):
    with pytest.raises(CommandError):
        call_command("crs_score", "--input", str(tmp_path / "missing.jsonl"), stdout=io.StringIO())
