"""No English on a French page: every staff and portal page, rendered in French, looks up only message
ids that the French catalogue translates, and shows no English message text.

The catalogue is compiled from `locale/fr/LC_MESSAGES/django.po` for the test with `msgfmt` (fuzzy
entries are left out, as in production), so a fuzzy or empty entry counts as missing. Pages are found
by walking the URL map, so pages added later are checked too (their URL arguments come from
`_arguments`; a page with an argument nobody knows is reported by `test_every_page_was_checked`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.translation import trans_real

from tests.fixtures.web import login

pytestmark = pytest.mark.django_db

PO = Path(__file__).resolve().parents[3] / "locale" / "fr" / "LC_MESSAGES" / "django.po"
SKIP_PREFIXES = ("admin", "api", "schema", "healthz", "i18n", "static", "media", "favicon")
SKIP_NAMES = {"logout", "set_language", "document-download", "magic-link-login"}


def _compile(tmp_path: Path) -> Path:
    if shutil.which("msgfmt") is None:
        pytest.skip("needs msgfmt (gettext) to compile the catalogue")
    target = tmp_path / "locale" / "fr" / "LC_MESSAGES"
    target.mkdir(parents=True)
    # No --use-fuzzy: a fuzzy entry is not in the compiled catalogue, so it counts as untranslated.
    subprocess.run(["msgfmt", "--check-format", "-o", str(target / "django.mo"), str(PO)], check=True)
    return tmp_path / "locale"


@pytest.fixture
def french(settings, tmp_path, monkeypatch):
    """The compiled catalogue, and a record of every message id looked up in French but not translated."""
    settings.LOCALE_PATHS = [_compile(tmp_path)]
    missing: dict[str, set[str]] = {}
    current = {"page": ""}
    gettext, ngettext = trans_real.DjangoTranslation.gettext, trans_real.DjangoTranslation.ngettext

    def record(translation, key, text):
        if translation.to_language() == "fr" and text and key not in translation._catalog:
            missing.setdefault(text, set()).add(current["page"])

    def checked_gettext(self, message):
        record(self, message, message)
        return gettext(self, message)

    def checked_ngettext(self, singular, plural, number):
        record(self, (singular, 0), singular)
        return ngettext(self, singular, plural, number)

    monkeypatch.setattr(trans_real.DjangoTranslation, "gettext", checked_gettext)
    monkeypatch.setattr(trans_real.DjangoTranslation, "ngettext", checked_ngettext)
    return missing, current


@pytest.fixture
def demo(db):
    from django.core.management import call_command

    from firm.models import Client

    call_command("seed_demo", "--clients", "8", "--quiet")
    return Client.objects.filter(portal_user__isnull=False).order_by("pk").first()


def _patterns(resolver=None, prefix: str = ""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + str(entry.pattern), entry


def _arguments(client_obj) -> dict[str, object]:
    from cases.models import Case, Deadline, Document
    from firm.models import ApiKey, LanguageTest, Membership

    case = Case.objects.filter(client=client_obj).order_by("pk").first()
    membership = Membership.objects.filter(firm=client_obj.firm).order_by("pk").first()
    key = ApiKey.objects.filter(firm=client_obj.firm).first()
    return {
        "client_id": client_obj.pk,
        "case_id": case.pk,
        "document_id": Document.objects.filter(case=case).order_by("pk").first().pk,
        "deadline_id": Deadline.objects.filter(case=case).order_by("pk").first().pk,
        "membership_id": membership.pk,
        "key_id": key.pk if key else 1,
        "kind": "language_test",
        "fact_id": LanguageTest.objects.filter(client=client_obj).order_by("pk").first().pk,
        **_later_arguments(),
        # an expired link: the page that says so (a valid one redirects to the set-password form)
        "uidb64": "MQ",
        "token": "expired-link",
    }


def _later_arguments() -> dict[str, object]:
    """URL arguments of pages other issues added (integrations, people, lifecycle): the first row, or 1
    when there is none (the page then answers 404 and is not rendered; the others still are)."""
    from django.apps import apps

    def first(label: str) -> int:
        try:
            model = apps.get_model(label)
        except LookupError:
            return 1
        return model.objects.order_by("pk").values_list("pk", flat=True).first() or 1

    return {
        "source_id": first("integrations.IntakeSource"),
        "submission_id": first("integrations.IntakeSubmission"),
        "endpoint_id": first("integrations.WebhookEndpoint"),
        "delivery_id": first("integrations.WebhookDelivery"),
        "member_id": first("firm.FamilyMember"),
        "period_id": first("firm.ResidencePeriod"),
        "milestone_id": first("cases.Milestone"),
        "task_id": first("cases.Task"),
        # the questionnaire: a part with a table, and a new row of it
        "key": "work",
        "table": "work",
        "index": "new",
    }


def _pages(client_obj):
    values = _arguments(client_obj)
    pages, unknown = [], []
    for route, pattern in _patterns():
        if route.startswith(SKIP_PREFIXES) or pattern.name in SKIP_NAMES:
            continue
        names = re.findall(r"<(?:\w+:)?(\w+)>", route)
        if any(n not in values for n in names):
            unknown.append(route)
            continue
        pages.append(reverse(pattern.name, kwargs={n: values[n] for n in names}))
    return pages, unknown


# Text the page itself marks as English (engine reasons, lang="en") is left out of the check.
_TAGS = re.compile(r"<(script|style)\b.*?</\1>|<(\w+)[^>]*\blang=\"en\"[^>]*>.*?</\2>|<[^>]+>", re.S)


def _texts(html: str) -> set[str]:
    text = _TAGS.sub("\n", html)
    from html import unescape

    return {" ".join(unescape(line).split()) for line in text.splitlines() if line.strip()}


def _po_entries() -> dict[str, str]:
    entries: dict[str, str] = {}
    block = PO.read_text(encoding="utf-8").split("\n\n")
    for chunk in block:
        if "#, fuzzy" in chunk:
            continue
        msgid = re.search(r'^msgid "(.*)"((?:\n".*")*)', chunk, re.M)
        msgstr = re.search(r'^msgstr(?:\[0\])? "(.*)"((?:\n".*")*)', chunk, re.M)
        if not msgid or not msgstr:
            continue

        def joined(found):
            return (found[1] + "".join(re.findall(r'\n"(.*)"', found[2]))).replace('\\"', '"')

        source, target = joined(msgid), joined(msgstr)
        if source and target and source != target and "%" not in source and "{" not in source:
            entries[source.casefold()] = source
    return entries


def _render_all(django_client, demo, french):
    from firm.models import User

    _missing, current = french
    staff = User.objects.get(email="admin@demo.maplecase.test")
    pages, _unknown = _pages(demo)
    rendered: dict[str, str] = {}
    for url in pages:
        for user in (staff, demo.portal_user):
            django_client.cookies.clear()
            login(django_client, user)
            current["page"] = url
            response = django_client.get(url + "?language=fr")
            if response.status_code in (200, 400, 403, 405) and "text/html" in response.get(
                "Content-Type", ""
            ):
                rendered[url] = response.content.decode()
                break
    return rendered


def test_every_page_in_french(client, demo, french):
    """One pass over every page (seeding the demo is the slow part): translated message ids only, no
    English message text, and no page left out for want of URL arguments."""
    _pages_found, unknown = _pages(demo)
    assert not unknown, f"add these URL arguments to _arguments in {__file__}: {unknown}"
    missing, _current = french
    rendered = _render_all(client, demo, french)
    assert len(rendered) >= 20, sorted(rendered)
    for url, html in rendered.items():
        assert 'lang="fr"' in html, url
    report = "\n".join(f"{text!r} on {sorted(pages)[:3]}" for text, pages in sorted(missing.items()))
    assert not missing, f"{len(missing)} message ids are not translated in French:\n{report}"
    english = _po_entries()
    found = sorted(
        {
            f"{text!r} on {url}"
            for url, html in rendered.items()
            for text in _texts(html)
            if text.casefold() in english
        }
    )
    assert not found, "English text on French pages:\n" + "\n".join(found)


def test_a_fuzzy_entry_counts_as_missing(tmp_path):
    """The check compiles the catalogue without fuzzy entries: a fuzzy translation is not used."""
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, fuzzy\nmsgid "Hello"\nmsgstr "Bonjour"\n\nmsgid "Yes"\nmsgstr "Oui"\n',
        encoding="utf-8",
    )
    import gettext

    mo = tmp_path / "x.mo"
    subprocess.run(["msgfmt", "-o", str(mo), str(po)], check=True)
    catalogue = gettext.GNUTranslations(mo.open("rb"))
    assert catalogue.gettext("Yes") == "Oui" and catalogue.gettext("Hello") == "Hello"
