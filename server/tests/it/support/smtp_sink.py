"""A real SMTP server for Tally's tests, on aiosmtpd: it accepts mail on 127.0.0.1:PORT and
writes each message, parsed, as one JSON file into OUT (to, from, subject, message_id, text,
html). Recipients whose address starts with `reject` are refused for good (550); those that
start with `later` are refused for now (451). With SINK_AUTH=user:password in the
environment it accepts mail only after AUTH (PLAIN or LOGIN) with those credentials. With
SINK_TLS=starttls:CERT:KEY it offers STARTTLS; with SINK_TLS=wrapper:CERT:KEY it speaks TLS
from the first byte (smtps). Each message records whether it came over TLS.

    python3 smtp_sink.py PORT OUT
"""

import asyncio
import email
import email.policy
import json
import os
import signal
import ssl
import sys
import uuid

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, out):
        self.out = out

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("reject"):
            return "550 5.1.1 <%s>: no such mailbox here" % address
        if address.startswith("later"):
            return "451 4.3.0 mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        text = message.get_body(("plain",))
        html = message.get_body(("html",))
        record = {
            "to": envelope.rcpt_tos,
            "from": envelope.mail_from,
            "subject": str(message["subject"]),
            "message_id": str(message["message-id"]),
            "content_type": message.get_content_type(),
            "text": text.get_content() if text else "",
            "html": html.get_content() if html else "",
            "tls": server.transport.get_extra_info("ssl_object") is not None,
        }
        name = os.path.join(self.out, "%s.json" % uuid.uuid4().hex)
        with open(name + ".tmp", "w") as f:
            json.dump(record, f)
        os.rename(name + ".tmp", name)
        return "250 Message accepted"


class Credentials:
    def __init__(self, user, password):
        self.user, self.password = user.encode(), password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == self.user
            and auth_data.password == self.password
        )
        return AuthResult(success=ok)


def main():
    port, out = int(sys.argv[1]), sys.argv[2]
    os.makedirs(out, exist_ok=True)
    auth = {}
    if os.environ.get("SINK_AUTH"):
        user, password = os.environ["SINK_AUTH"].split(":", 1)
        auth = dict(
            authenticator=Credentials(user, password),
            auth_required=True,
            auth_require_tls=False,
        )
    if os.environ.get("SINK_TLS"):
        mode, cert, key = os.environ["SINK_TLS"].split(":", 2)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        auth["ssl_context" if mode == "wrapper" else "tls_context"] = context
    controller = Controller(Sink(out), hostname="127.0.0.1", port=port, **auth)
    controller.start()
    print("ready", flush=True)
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.run_until_complete(stop.wait())
    controller.stop()


if __name__ == "__main__":
    main()
