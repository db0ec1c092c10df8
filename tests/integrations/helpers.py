"""Provider payloads in each provider's documented shape, signing by hand, and a real HTTP receiver.

The signatures here are computed independently of integrations.signatures (hmac/base64 directly), so a
bug there cannot hide itself in both the sender and the checker.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlencode

# The mapping a firm would write for these forms (Typeform `ref`s, Tally keys, Jotform field names).
TYPEFORM_MAPPING = {
    "identity.first_name": "first_name",
    "identity.last_name": "last_name",
    "identity.date_of_birth": "dob",
    "identity.citizenships": "citizenship",
    "contact.email": "email",
    "contact.phone": "phone",
    "marital_status": "marital",
    "language_tests.0.test": "lang_test",
    "language_tests.0.test_date": "lang_date",
    "language_tests.0.listening": "lang_l",
    "language_tests.0.reading": "lang_r",
    "language_tests.0.writing": "lang_w",
    "language_tests.0.speaking": "lang_s",
    "education.0.level": "edu_level",
    "education.0.country": "edu_country",
    "work_history.0.noc_code": "noc",
    "work_history.0.teer": "teer",
    "work_history.0.country": "work_country",
    "work_history.0.start_date": "work_start",
    "work_history.0.end_date": "work_end",
}


def b64_hmac(key: bytes, message: bytes) -> str:
    return base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()


def typeform_body(*, token: str | None = None, dob: str = "1992-04-17", drop: tuple[str, ...] = ()) -> bytes:
    """A Typeform `form_response` webhook (developer docs' example payload shape)."""
    token = token or uuid.uuid4().hex
    answers = [
        {
            "type": "text",
            "text": "Laura",
            "field": {"id": "Q1aaa", "type": "short_text", "ref": "first_name"},
        },
        {
            "type": "text",
            "text": "Tremblay",
            "field": {"id": "Q2bbb", "type": "short_text", "ref": "last_name"},
        },
        {"type": "date", "date": dob, "field": {"id": "Q3ccc", "type": "date", "ref": "dob"}},
        {
            "type": "choice",
            "choice": {"label": "France"},
            "field": {"id": "Q4", "type": "dropdown", "ref": "citizenship"},
        },
        {
            "type": "email",
            "email": "laura@example.test",
            "field": {"id": "Q5", "type": "email", "ref": "email"},
        },
        {
            "type": "phone_number",
            "phone_number": "+33155550100",
            "field": {"id": "Q6", "type": "phone_number", "ref": "phone"},
        },
        {
            "type": "choice",
            "choice": {"label": "Single"},
            "field": {"id": "Q7", "type": "multiple_choice", "ref": "marital"},
        },
        {
            "type": "choice",
            "choice": {"label": "IELTS General Training"},
            "field": {"id": "Q8", "type": "multiple_choice", "ref": "lang_test"},
        },
        {"type": "date", "date": "2025-09-01", "field": {"id": "Q9", "type": "date", "ref": "lang_date"}},
        {"type": "number", "number": 8.5, "field": {"id": "Q10", "type": "number", "ref": "lang_l"}},
        {"type": "number", "number": 7, "field": {"id": "Q11", "type": "number", "ref": "lang_r"}},
        {"type": "number", "number": 7, "field": {"id": "Q12", "type": "number", "ref": "lang_w"}},
        {"type": "number", "number": 7, "field": {"id": "Q13", "type": "number", "ref": "lang_s"}},
        {
            "type": "choice",
            "choice": {"label": "Master's or entry-to-practice professional degree"},
            "field": {"id": "Q14", "type": "multiple_choice", "ref": "edu_level"},
        },
        {
            "type": "choice",
            "choice": {"label": "France"},
            "field": {"id": "Q15", "type": "dropdown", "ref": "edu_country"},
        },
        {"type": "text", "text": "21231", "field": {"id": "Q16", "type": "short_text", "ref": "noc"}},
        {"type": "number", "number": 1, "field": {"id": "Q17", "type": "number", "ref": "teer"}},
        {
            "type": "choice",
            "choice": {"label": "France"},
            "field": {"id": "Q18", "type": "dropdown", "ref": "work_country"},
        },
        {"type": "date", "date": "2019-01-01", "field": {"id": "Q19", "type": "date", "ref": "work_start"}},
        {"type": "date", "date": "2024-12-31", "field": {"id": "Q20", "type": "date", "ref": "work_end"}},
    ]
    answers = [a for a in answers if a["field"]["ref"] not in drop]
    body = {
        "event_id": "01HXYZ" + uuid.uuid4().hex[:10].upper(),
        "event_type": "form_response",
        "form_response": {
            "form_id": "lT4Z3j",
            "token": token,
            "landed_at": "2026-11-30T14:00:00Z",
            "submitted_at": "2026-11-30T14:05:00Z",
            "hidden": {"utm_source": "website"},
            "definition": {
                "id": "lT4Z3j",
                "title": "Free assessment",
                "fields": [
                    {
                        "id": a["field"]["id"],
                        "ref": a["field"]["ref"],
                        "type": a["field"]["type"],
                        "title": a["field"]["ref"],
                    }
                    for a in answers
                ],
            },
            "answers": answers,
        },
    }
    return json.dumps(body).encode()


def typeform_headers(secret: str, body: bytes) -> dict[str, str]:
    return {"HTTP_TYPEFORM_SIGNATURE": "sha256=" + b64_hmac(secret.encode(), body)}


TALLY_MAPPING = {
    "identity.full_name": "question_name",
    "identity.date_of_birth": "question_dob",
    "identity.citizenships": "question_country",
    "contact.email": "question_email",
    "marital_status": "question_marital",
    "language_tests.0.test": "question_test",
    "language_tests.0.test_date": "question_test_date",
    "language_tests.0.listening": "question_l",
    "language_tests.0.reading": "question_r",
    "language_tests.0.writing": "question_w",
    "language_tests.0.speaking": "question_s",
    "education.0.level": "question_edu",
}


def tally_body(*, response_id: str | None = None, marital: str = "opt_married") -> bytes:
    """A Tally FORM_RESPONSE webhook (Tally's webhook docs: eventId, eventType, createdAt, data.fields)."""
    response_id = response_id or "r" + uuid.uuid4().hex[:6]
    fields = [
        {"key": "question_name", "label": "Full name", "type": "INPUT_TEXT", "value": "Jean Dupont"},
        {"key": "question_dob", "label": "Date of birth", "type": "INPUT_DATE", "value": "1990-02-11"},
        {
            "key": "question_country",
            "label": "Citizenship",
            "type": "DROPDOWN",
            "value": ["opt_fr"],
            "options": [{"id": "opt_fr", "text": "France"}, {"id": "opt_be", "text": "Belgium"}],
        },
        {"key": "question_email", "label": "Email", "type": "INPUT_EMAIL", "value": "jean@example.test"},
        {
            "key": "question_marital",
            "label": "Marital status",
            "type": "MULTIPLE_CHOICE",
            "value": [marital],
            "options": [{"id": "opt_single", "text": "Single"}, {"id": "opt_married", "text": "Célibataire"}],
        },
        {
            "key": "question_test",
            "label": "Language test",
            "type": "DROPDOWN",
            "value": ["opt_tef"],
            "options": [
                {"id": "opt_tef", "text": "TEF Canada"},
                {"id": "opt_ielts", "text": "IELTS General Training"},
            ],
        },
        {"key": "question_test_date", "label": "Test date", "type": "INPUT_DATE", "value": "2025-10-10"},
        {"key": "question_l", "label": "Listening", "type": "INPUT_NUMBER", "value": 316},
        {"key": "question_r", "label": "Reading", "type": "INPUT_NUMBER", "value": 248},
        {"key": "question_w", "label": "Writing", "type": "INPUT_NUMBER", "value": 393},
        {"key": "question_s", "label": "Speaking", "type": "INPUT_NUMBER", "value": 393},
        {
            "key": "question_edu",
            "label": "Education",
            "type": "DROPDOWN",
            "value": ["opt_ba"],
            "options": [{"id": "opt_ba", "text": "Bachelor's degree or 3+ year program"}],
        },
    ]
    body = {
        "eventId": str(uuid.uuid4()),
        "eventType": "FORM_RESPONSE",
        "createdAt": "2026-11-30T14:05:00.000Z",
        "data": {
            "responseId": response_id,
            "submissionId": response_id,
            "respondentId": "resp_" + uuid.uuid4().hex[:6],
            "formId": "mBx4Kd",
            "formName": "Évaluation gratuite",
            "createdAt": "2026-11-30T14:05:00.000Z",
            "fields": fields,
        },
    }
    return json.dumps(body, ensure_ascii=False).encode()


def tally_headers(secret: str, body: bytes) -> dict[str, str]:
    return {"HTTP_TALLY_SIGNATURE": b64_hmac(secret.encode(), body)}


JOTFORM_MAPPING = {
    "identity.first_name": "q3_fullName.first",
    "identity.last_name": "q3_fullName.last",
    "identity.date_of_birth": "q4_dateOf",
    "identity.citizenships": "q5_citizenship",
    "contact.email": "q6_email",
    "language_tests.0.test": "q7_test",
    "language_tests.0.test_date": "q8_testDate",
    "language_tests.0.listening": "q9_listening",
    "language_tests.0.reading": "q10_reading",
    "language_tests.0.writing": "q11_writing",
    "language_tests.0.speaking": "q12_speaking",
}


def jotform_fields(*, submission_id: str | None = None) -> dict[str, str]:
    """Jotform's webhook POST: form fields with the answers as JSON in `rawRequest`."""
    submission_id = submission_id or str(uuid.uuid4().int)[:19]
    raw = {
        "slug": "submit/241234567890123",
        "q3_fullName": {"first": "Amina", "last": "Diallo"},
        "q4_dateOf": {"month": "07", "day": "21", "year": "1995"},
        "q5_citizenship": "Senegal",
        "q6_email": "amina@example.test",
        "q7_test": "CELPIP-General",
        "q8_testDate": {"month": "08", "day": "15", "year": "2025"},
        "q9_listening": "9",
        "q10_reading": "8",
        "q11_writing": "8",
        "q12_speaking": "9",
        "event_id": "1701234567890_241234567890123_abcdefg",
    }
    return {
        "action": "",
        "webhookURL": "",
        "username": "lawfirm",
        "formID": "241234567890123",
        "type": "WEB",
        "customParams": "",
        "product": "false",
        "formTitle": "Free assessment",
        "customTitle": "",
        "submissionID": submission_id,
        "event": "",
        "documentID": "",
        "teamID": "",
        "subject": "",
        "isSilent": "false",
        "customBody": "",
        "rawRequest": json.dumps(raw),
        "fromTable": "",
        "appID": "",
        "pretty": "Full Name:Amina Diallo, Email:amina@example.test",
        "unread": "",
        "parent": "",
        "ip": "203.0.113.9",
    }


def jotform_urlencoded(fields: dict[str, str]) -> bytes:
    return urlencode(fields).encode()


GENERIC_MAPPING = {
    "identity.first_name": "applicant.first_name",
    "identity.last_name": "applicant.last_name",
    "identity.date_of_birth": "applicant.birth_date",
    "identity.citizenships": "applicant.citizenship",
    "contact.email": "applicant.email",
    "marital_status": "applicant.marital_status",
}


def generic_body() -> bytes:
    return json.dumps(
        {
            "type": "form.submitted",
            "applicant": {
                "first_name": "Chen",
                "last_name": "Wei",
                "birth_date": "1988-12-01",
                "citizenship": "China",
                "email": "chen@example.test",
                "marital_status": "single",
            },
        }
    ).encode()


def standard_headers_by_hand(secret: str, msg_id: str, body: bytes, ts: int | None = None) -> dict[str, str]:
    ts = int(time.time()) if ts is None else ts
    key = base64.b64decode(secret.removeprefix("whsec_"))
    sig = b64_hmac(key, f"{msg_id}.{ts}.".encode() + body)
    return {
        "HTTP_WEBHOOK_ID": msg_id,
        "HTTP_WEBHOOK_TIMESTAMP": str(ts),
        "HTTP_WEBHOOK_SIGNATURE": f"v1,{sig}",
    }


# --- A real HTTP receiver on 127.0.0.1 ---------------------------------------------------------------------


class Receiver:
    """A threaded HTTP server on an ephemeral port recording every request.

    `statuses`: status codes to answer in order (then 200). `stall`: the next request blocks until
    `release` is set (a worker killed while waiting for the answer)."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.statuses: list[int] = []
        self.stall = threading.Event()
        self.stalled = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with receiver.lock:
                    receiver.requests.append(
                        {
                            "path": self.path,
                            "headers": {k.lower(): v for k, v in self.headers.items()},
                            "body": body,
                        }
                    )
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    stall = receiver.stall.is_set()
                    if stall:
                        receiver.stall.clear()
                if stall:
                    receiver.stalled.set()
                    receiver.release.wait(60)
                    return  # the client is gone; answer nothing
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok" if status < 300 else b"nope")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hooks/maplecase"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def wait_for(self, count: int, timeout: float = 20) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.requests) >= count:
                return self.requests
            time.sleep(0.05)
        raise AssertionError(f"expected {count} requests, got {len(self.requests)}")


def verify_standard_webhook(secret: str, headers: dict[str, str], body: bytes) -> dict[str, Any]:
    """Verify with the `standardwebhooks` library (the spec's own) when installed, else by hand here."""
    try:
        from standardwebhooks.webhooks import Webhook
    except ImportError:
        msg_id, ts, sigs = headers["webhook-id"], headers["webhook-timestamp"], headers["webhook-signature"]
        assert abs(time.time() - int(ts)) < 300
        key = base64.b64decode(secret.removeprefix("whsec_"))
        expected = b64_hmac(key, f"{msg_id}.{ts}.".encode() + body)
        assert any(s.split(",", 1)[1] == expected for s in sigs.split() if s.startswith("v1,"))
        return json.loads(body)
    return Webhook(secret).verify(body, headers)
