"""Outbound webhook URLs cannot reach the server's own network (production rules), checked when saved and
again at every delivery; the request goes to the address that was checked."""

from __future__ import annotations

import pytest
from django.utils import timezone

from firm.events import publish
from integrations import ssrf
from integrations.models import WebhookAttempt, WebhookDelivery
from integrations.services import webhooks as services
from tests.integrations.helpers import Receiver, verify_standard_webhook

REFUSED = [
    "http://127.0.0.1/hook",
    "https://127.0.0.1/hook",
    "https://localhost/hook",
    "https://[::1]/hook",
    "https://10.1.2.3/hook",
    "https://172.16.5.4/hook",
    "https://192.168.1.10/hook",
    "https://169.254.169.254/latest/meta-data/",
    "https://[fd00:ec2::254]/",
    "https://[fd12:3456::1]/hook",
    "https://[fe80::1]/hook",
    "https://100.64.0.7/hook",
    "https://0.0.0.0/hook",
    "https://[::ffff:10.0.0.1]/hook",
    "https://224.0.0.1/hook",
    "http://8.8.8.8/hook",  # public, but not https
    "ftp://8.8.8.8/hook",
    "https://user:pw@8.8.8.8/hook",
    "https://name.that.does.not.resolve.invalid/hook",
]


@pytest.mark.parametrize("url", REFUSED)
def test_production_refuses_private_loopback_link_local_metadata_and_http(url):
    with pytest.raises(ssrf.UnsafeURL):
        ssrf.check_url(url, allow_local=False)


def test_public_https_is_accepted_and_pinned_to_the_checked_address():
    target = ssrf.check_url("https://8.8.8.8:8443/hook?x=1", allow_local=False)
    assert (target.scheme, target.host, target.port, target.path, target.ip) == (
        "https",
        "8.8.8.8",
        8443,
        "/hook?x=1",
        "8.8.8.8",
    )


def test_local_mode_allows_loopback_only():
    assert ssrf.check_url("http://127.0.0.1:9000/x", allow_local=True).ip == "127.0.0.1"
    assert ssrf.check_url("http://localhost:9000/x", allow_local=True).ip in ("127.0.0.1", "::1")
    for url in ("http://10.0.0.1/x", "https://169.254.169.254/", "http://8.8.8.8/x"):
        with pytest.raises(ssrf.UnsafeURL):
            ssrf.check_url(url, allow_local=True)


@pytest.mark.django_db
def test_saving_an_internal_url_is_a_400_naming_url_in_production(tenants, api, settings):
    settings.WEBHOOK_ALLOW_LOCAL = False
    admin = api(tenants.a.admin)
    for url in ("https://10.0.0.5/hook", "http://127.0.0.1:8000/hook", "https://169.254.169.254/"):
        response = admin.post(
            "/api/v1/webhooks/", {"url": url, "event_types": ["client.created"]}, format="json"
        )
        assert response.status_code == 400 and "url" in response.json()["error"], response.content
    assert not WebhookDelivery.objects.exists()


@pytest.mark.django_db
def test_each_delivery_checks_again_and_sends_nothing_when_refused(
    tenants, api, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_COUNTDOWN_MAX = -1
    with Receiver() as receiver:
        created = api(tenants.a.admin).post(
            "/api/v1/webhooks/", {"url": receiver.url, "event_types": ["client.created"]}, format="json"
        )
        assert created.status_code == 201  # local mode: allowed when saved
        settings.WEBHOOK_ALLOW_LOCAL = False  # the same URL now falls under the production rules
        with django_capture_on_commit_callbacks(execute=True):
            publish(firm_id=tenants.a.firm.pk, event_type="client.created", data={"client_id": 1})
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == "pending" and "refused" in delivery.last_error
        assert receiver.requests == []
        assert "refused" in WebhookAttempt.objects.get().error

        settings.WEBHOOK_ALLOW_LOCAL = True
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        assert services.delivery_send(delivery_id=delivery.pk) == "delivered"
        verify_standard_webhook(
            created.json()["secret"], receiver.requests[0]["headers"], receiver.requests[0]["body"]
        )


def test_the_request_goes_to_the_checked_address_without_resolving_again():
    """A name that cannot be resolved at all still reaches the pinned address: no second DNS lookup."""
    with Receiver() as receiver:
        target = ssrf.Target(
            scheme="http", host="rebind.invalid", port=receiver.port, path="/hooks/x", ip="127.0.0.1"
        )
        answer = ssrf.post(target, body=b"{}", headers={"Content-Type": "application/json"})
        assert answer.status == 200
        assert receiver.requests[0]["headers"]["host"] == f"rebind.invalid:{receiver.port}"
        assert receiver.requests[0]["path"] == "/hooks/x"


def test_redirects_are_not_followed():
    import http.server
    import threading

    class Redirect(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.send_response(307)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        target = ssrf.check_url(f"http://127.0.0.1:{server.server_address[1]}/x", allow_local=True)
        assert ssrf.post(target, body=b"{}", headers={}).status == 307
    finally:
        server.shutdown()
        server.server_close()


def test_https_to_the_pinned_address_still_checks_the_certificate_of_the_host_name(tmp_path):
    """TLS goes to the checked IP with the original name for SNI and the certificate check."""
    import http.server
    import shutil
    import ssl
    import subprocess
    import threading

    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=hooks.test",
         "-addext", "subjectAltName=DNS:hooks.test", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip

    class Ok(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Ok)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert), str(key))
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    try:
        good = ssrf.Target(scheme="https", host="hooks.test", port=port, path="/", ip="127.0.0.1")
        assert ssrf.post(good, body=b"{}", headers={}, ca_certs=str(cert)).status == 204
        wrong = ssrf.Target(scheme="https", host="other.test", port=port, path="/", ip="127.0.0.1")
        with pytest.raises(Exception, match=r"(?i)hostname|certificate|match"):
            ssrf.post(wrong, body=b"{}", headers={}, ca_certs=str(cert))
    finally:
        server.shutdown()
        server.server_close()
