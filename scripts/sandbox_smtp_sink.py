#!/usr/bin/python3
"""SMTP sink for the throwaway sandbox started by scripts/sandbox.

Run it with /usr/bin/python3: the python3 on PATH on our machines is a separate
build that cannot import Debian's python3-aiosmtpd.

Special recipient addresses (by local part, any domain, case-insensitive):
  reject4*   451 4.3.0 at RCPT TO, every time (a temporary failure).
  reject5*   550 5.1.1 at RCPT TO, every time (a permanent failure).
  tempfail*  451 4.3.0 at the end of DATA for the FIRST attempt of each distinct
             Message-ID (the whole transaction then fails: nothing is stored or
             relayed); any later attempt with that Message-ID is accepted.  The
             Message-IDs seen are kept in SINK_DIR/.tempfail-seen, one a line,
             so they survive a restart of the sandbox.  A message without a
             Message-ID is keyed by the SHA-256 of its bytes instead.
  anything else is accepted.

What it does (the contract tests rely on):
  * Listens on --host/--port (port 0 = any free port; the port actually bound
    is written to --port-file, atomically, once the socket listens, so the
    caller never races another process for a port).
  * Offers STARTTLS when given --tls-cert/--tls-key (the sandbox's server
    certificate, signed by its CA: clients verify with CA_FILE), but never
    requires it: plaintext clients keep working.
  * Stores every accepted message byte-exact as SINK_DIR/<n>.eml: the DATA
    content after SMTP dot-unstuffing, nothing added, line endings untouched.
    Then SINK_DIR/<n>.json with the envelope.  Both are written under a
    temporary name and renamed, .eml first, so a reader that sees <n>.json
    always sees a complete pair.  n = 1, 2, 3... in arrival order (continuing
    after any pairs already in the directory).
    The JSON is {"mail_from": "...", "rcpt_tos": [...], ...} with the
    addresses as given in MAIL FROM / RCPT TO, without angle brackets; the
    null reverse-path (MAIL FROM:<>) is "".  Extra keys: mail_options (ESMTP
    parameters such as SMTPUTF8, BODY=8BITMIME), auth_user (the AUTH login
    name, or null), message_id (the Message-ID header's value as sent, e.g.
    "<abc@host>", or null), connection (1, 2, 3... per TCP connection to this
    sink process -- equal numbers mean one reused connection; the sandbox's
    own readiness probes take numbers too) and tls (true if the message came
    after STARTTLS).
  * Advertises SMTPUTF8, 8BITMIME and AUTH PLAIN/LOGIN with or without TLS
    and accepts any credentials, but never requires AUTH.
  * Every accepted recipient, whatever its domain, is also relayed into the
    Dovecot mailbox of that address over LMTP, after the 250 reply, as a real
    MTA queues mail: one relay thread, in arrival order, over one kept LMTP
    connection.  A test that reads the message back over IMAP waits for it to
    appear (login = the full address; the sandbox's own users keep their
    mailboxes: client1@sandbox.test is IMAP user client1).  A relay
    failure is logged, not fatal (e.g. a non-ASCII local part: Dovecot 2.3's
    LMTP has no SMTPUTF8; a non-ASCII domain is relayed in its IDNA form).
"""

import argparse
import asyncio
import email.parser
import email.policy
import hashlib
import itertools
import json
import logging
import os
import queue
import re
import signal
import smtplib
import ssl
import sys
import threading
import time

from aiosmtpd.smtp import SMTP, AuthResult

log = logging.getLogger("sandbox-sink")

TEMPFAIL_SEEN = ".tempfail-seen"


def local_part(address):
    """Local part of an address, lower-cased ("" for the null path)."""
    address = address.strip().strip("<>")
    at = address.rfind("@")
    return (address[:at] if at >= 0 else address).lower()


def message_id_of(content):
    """The Message-ID header's value (unfolded, stripped), or None."""
    try:
        headers = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(content)
        value = headers.get("Message-ID")
    except Exception:
        return None
    if value is None:
        return None
    if not isinstance(value, str):  # compat32 gives a Header for 8-bit junk
        value = str(value)
    value = re.sub(r"\s+", " ", value).strip()
    return value or None


def lmtp_recipient(address):
    """The address as Dovecot's LMTP takes it (IDNA domain), or None."""
    address = address.strip().strip("<>")
    lp, at, dom = address.rpartition("@")
    if not at:
        lp, dom = address, ""
    if not lp.isascii():
        return None
    if dom and not dom.isascii():
        try:
            dom = dom.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    return f"{lp}@{dom}" if dom else lp


class SinkSMTP(SMTP):
    """aiosmtpd's SMTP with a number per connection (one instance each)."""
    connection_no = 0


class SinkHandler:
    def __init__(self, sink_dir, lmtp_host, lmtp_port, lmtp_port_file):
        self.sink_dir = sink_dir
        self.lmtp_host = lmtp_host
        self.lmtp_port = lmtp_port
        self.lmtp_port_file = lmtp_port_file
        self.tempfail_path = os.path.join(sink_dir, TEMPFAIL_SEEN)
        self._relay_queue = queue.Queue()
        threading.Thread(target=self._relay_loop, name="lmtp-relay", daemon=True).start()
        try:
            with open(self.tempfail_path, encoding="utf-8") as f:
                self.tempfail_seen = set(line.rstrip("\n") for line in f if line.strip())
        except FileNotFoundError:
            self.tempfail_seen = set()
        # Continue numbering after what is already there (a re-`up` of a
        # stopped sandbox keeps its sink directory).
        existing = [int(m.group(1)) for m in
                    (re.fullmatch(r"(\d+)\.(?:eml|json)", f) for f in os.listdir(sink_dir))
                    if m]
        self.next_n = max(existing, default=0) + 1
        # Numbering and file writes happen on the event loop thread only, so
        # arrival order == numbering order without a lock.

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        lp = local_part(address)
        if lp.startswith("reject4"):
            return "451 4.3.0 Sandbox: temporary failure for reject4* recipient"
        if lp.startswith("reject5"):
            return "550 5.1.1 Sandbox: no such user (reject5* recipient)"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 2.1.5 OK"

    def _tempfail_first_attempt(self, envelope, message_id):
        """True if a tempfail* recipient is there and this Message-ID is new."""
        if not any(local_part(r).startswith("tempfail") for r in envelope.rcpt_tos):
            return False
        key = message_id if message_id is not None else \
            "sha256:" + hashlib.sha256(envelope.original_content).hexdigest()
        if key in self.tempfail_seen:
            return False
        self.tempfail_seen.add(key)
        with open(self.tempfail_path, "a", encoding="utf-8") as f:
            f.write(key + "\n")
        return True

    def _store(self, envelope, session, server, message_id):
        n = self.next_n
        self.next_n += 1
        eml = os.path.join(self.sink_dir, f"{n}.eml")
        meta = os.path.join(self.sink_dir, f"{n}.json")
        # Temporary names end in ".part" so no reader globbing *.eml/*.json
        # can see a half-written file.
        tmp_eml = os.path.join(self.sink_dir, f".{n}.eml.part")
        tmp_meta = os.path.join(self.sink_dir, f".{n}.json.part")
        with open(tmp_eml, "wb") as f:
            f.write(envelope.original_content)  # bytes exactly as received
        os.rename(tmp_eml, eml)
        auth_user = None
        if session.authenticated and session.auth_data is not None:
            login = getattr(session.auth_data, "login", None)
            if isinstance(login, bytes):
                login = login.decode("utf-8", "replace")
            auth_user = login
        mail_from = envelope.mail_from
        if mail_from == "<>":
            mail_from = ""  # null reverse-path: aiosmtpd says "<>", we say ""
        data = {
            "mail_from": mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            # Extra, informative keys (readers may ignore them).
            "mail_options": list(envelope.mail_options),
            "auth_user": auth_user,
            "message_id": message_id,
            "connection": server.connection_no,
            "tls": session.ssl is not None or getattr(server, "_tls_protocol", None) is not None,
        }
        with open(tmp_meta, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False)
            f.write("\n")
        os.rename(tmp_meta, meta)
        return n

    def _lmtp_port(self):
        # Read at relay time: scripts/sandbox starts the sink before Dovecot,
        # whose port may still change if it has to retry on another one.
        if self.lmtp_port_file:
            try:
                with open(self.lmtp_port_file) as f:
                    return int(f.read().strip())
            except (OSError, ValueError):
                return 0
        return self.lmtp_port

    def _relay_loop(self):
        """The relay thread: messages in arrival order over one kept LMTP connection.

        One connection instead of one per message: the sink is the bottleneck of the
        outbox benchmark, and a connection per message cost it more than the delivery.
        """
        lmtp, lmtp_port, last_used = None, 0, 0.0
        while True:
            job = self._relay_queue.get()
            if job is None:
                break
            port = self._lmtp_port()
            if lmtp is not None and (port != lmtp_port or time.monotonic() - last_used > 2):
                # Dovecot may have moved, or closed an idle connection: check first,
                # rather than find out in the middle of a delivery.
                try:
                    if port != lmtp_port or lmtp.noop()[0] != 250:
                        raise smtplib.SMTPException("stale")
                except Exception:
                    try:
                        lmtp.close()
                    except Exception:
                        pass
                    lmtp = None
            if lmtp is None and port:
                try:
                    lmtp, lmtp_port = smtplib.LMTP(self.lmtp_host, port, timeout=30), port
                except Exception as e:
                    log.error("LMTP relay of #%d: cannot connect: %r", job[0], e)
            if lmtp is None:
                log.error("LMTP relay of #%d: no LMTP connection", job[0])
            elif not self._relay(lmtp, *job):
                try:
                    lmtp.close()
                except Exception:
                    pass
                lmtp = None
            last_used = time.monotonic()
            self._relay_queue.task_done()

    def _relay(self, lmtp, n, mail_from, rcpts, content, mail_options):
        """Relays one message; False if the connection is no longer usable."""
        opts = []
        if any(o.upper() == "BODY=8BITMIME" for o in mail_options) or \
                re.search(rb"[\x80-\xff]", content):
            opts.append("BODY=8BITMIME")
        # Dovecot 2.3's LMTP has no SMTPUTF8: give it an ASCII reverse-path
        # (IDNA domain; the null path if the local part is not ASCII).  The
        # relay exists so tests can read the message back, which this keeps.
        if mail_from in ("", "<>"):
            mail_from = ""
        elif not mail_from.isascii():
            lp, _, dom = mail_from.rpartition("@")
            try:
                dom = dom.encode("idna").decode("ascii")
            except UnicodeError:
                pass
            mail_from = f"{lp}@{dom}" if lp.isascii() and dom.isascii() else ""
        try:
            # One transaction per recipient: LMTP answers DATA once per
            # recipient and smtplib reads only one reply.
            for rcpt in rcpts:
                to = lmtp_recipient(rcpt)
                if to is None:
                    log.error("LMTP relay of #%d to %s: not possible without "
                              "SMTPUTF8 (Dovecot 2.3)", n, rcpt)
                    continue
                try:
                    lmtp.sendmail(mail_from, [to], content, mail_options=opts)
                    log.info("relayed #%d over LMTP to %s", n, rcpt)
                except smtplib.SMTPRecipientsRefused as e:
                    log.error("LMTP relay of #%d refused: %r", n, e.recipients)
                except smtplib.SMTPResponseException as e:
                    log.error("LMTP relay of #%d to %s failed: %s %r",
                              n, rcpt, e.smtp_code, e.smtp_error)
                    lmtp.rset()
            return True
        except Exception as e:  # relay failure is logged, never fatal
            log.error("LMTP relay of #%d failed: %r", n, e)
            return False

    async def handle_DATA(self, server, session, envelope):
        message_id = message_id_of(envelope.original_content)
        if self._tempfail_first_attempt(envelope, message_id):
            log.info("tempfail: 451 for the first attempt of %s to %s (connection %d)",
                     message_id, envelope.rcpt_tos, server.connection_no)
            return "451 4.3.0 Sandbox: temporary failure (first attempt, tempfail* recipient)"
        n = self._store(envelope, session, server, message_id)
        log.info("stored #%d from %s to %s (%d bytes)", n, envelope.mail_from,
                 envelope.rcpt_tos, len(envelope.original_content))
        relay_to = list(envelope.rcpt_tos)
        if relay_to:
            # Relayed after the reply, as a real MTA queues mail: the 250 means "stored"
            # (N.eml is on disk), and the client is not held up by the LMTP round trip.
            # A reader of a mailbox may wait a moment for the message to appear.
            self._relay_queue.put((n, envelope.mail_from, relay_to,
                                   envelope.original_content, list(envelope.mail_options)))
        return f"250 2.0.0 OK sandbox #{n}"


class OrphanGuard:
    """Stops the sandbox if its directory is deleted without `sandbox down`.

    Tests delete DIR; a test that crashed before `down` would otherwise leave
    Dovecot and this sink running forever (PostgreSQL notices a deleted data
    directory itself, but only after a minute).  We remember the server pids
    while DIR exists, and when DIR/run disappears we stop them and ourselves.
    """

    def __init__(self, sandbox_dir):
        self.dir = sandbox_dir
        self.pids = {}  # name -> (pid, signal, text its cmdline must contain)

    def _remember(self, name, pidfile, sig, must_contain):
        try:
            with open(pidfile) as f:
                pid = int(f.readline().strip())
            self.pids[name] = (pid, sig, must_contain)
        except (OSError, ValueError):
            pass

    def _stop_all(self):
        for name, (pid, sig, must_contain) in self.pids.items():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    cmdline = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
            except OSError:
                continue
            if must_contain not in cmdline:
                continue  # pid reused by something else: not ours
            log.warning("sandbox dir %s is gone: stopping %s (pid %d)", self.dir, name, pid)
            try:
                if name == "dovecot":
                    os.killpg(pid, sig)  # the master leads its process group
                else:
                    os.kill(pid, sig)
            except OSError:
                pass

    async def run(self, stop):
        while not stop.is_set():
            if os.path.isdir(os.path.join(self.dir, "run")):
                self._remember("dovecot", os.path.join(self.dir, "run", "dovecot.pid"),
                               signal.SIGTERM, os.path.join(self.dir, "dovecot", "dovecot.conf"))
                self._remember("postgres", os.path.join(self.dir, "pg", "data", "postmaster.pid"),
                               signal.SIGINT, os.path.join(self.dir, "pg", "data"))
            else:
                self._stop_all()
                stop.set()
                return
            try:
                await asyncio.wait_for(stop.wait(), timeout=1.0)
            except asyncio.TimeoutError:
                pass


def accept_any_credentials(server, session, envelope, mechanism, auth_data):
    return AuthResult(success=True, auth_data=auth_data)


async def main_async(args):
    os.makedirs(args.dir, exist_ok=True)
    handler = SinkHandler(args.dir, args.lmtp_host, args.lmtp_port, args.lmtp_port_file)
    loop = asyncio.get_running_loop()
    tls_context = None
    if args.tls_cert:
        tls_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls_context.minimum_version = ssl.TLSVersion.TLSv1_2
        tls_context.load_cert_chain(args.tls_cert, args.tls_key)
    connections = itertools.count(1)

    def factory():
        server = SinkSMTP(
            handler,
            hostname="sink.sandbox.test",  # avoid getfqdn(): DNS can be slow
            ident="mailgate sandbox sink",
            decode_data=False,              # keep bytes; we store original_content
            enable_SMTPUTF8=True,
            auth_required=False,
            auth_require_tls=False,         # offer AUTH PLAIN/LOGIN in the clear
            authenticator=accept_any_credentials,
            tls_context=tls_context,        # offer STARTTLS ...
            require_starttls=False,         # ... but never insist on it
            loop=loop,
        )
        server.connection_no = next(connections)
        return server

    server = None
    for port in ([args.port, 0] if args.port else [0]):
        try:
            server = await loop.create_server(factory, host=args.host, port=port,
                                              reuse_address=True)
            break
        except OSError as e:
            log.warning("cannot listen on %s:%s: %s", args.host, port, e)
    if server is None:
        raise SystemExit("sink: no port to listen on")
    port = server.sockets[0].getsockname()[1]
    if args.port_file:
        tmp = args.port_file + ".part"
        with open(tmp, "w") as f:
            f.write(f"{port}\n")
        os.rename(tmp, args.port_file)
    log.info("listening on %s:%d (%s), storing into %s", args.host, port,
             "STARTTLS offered" if tls_context else "plaintext only", args.dir)

    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    if args.sandbox_dir:
        asyncio.ensure_future(OrphanGuard(args.sandbox_dir).run(stop))
    await stop.wait()
    server.close()
    await server.wait_closed()
    log.info("stopped")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="preferred port; 0 = any free port")
    p.add_argument("--port-file", help="write the bound port here")
    p.add_argument("--dir", required=True, help="SINK_DIR")
    p.add_argument("--lmtp-host", default="127.0.0.1")
    p.add_argument("--lmtp-port", type=int, default=0)
    p.add_argument("--lmtp-port-file", help="read the LMTP port from this file at relay time")
    p.add_argument("--sandbox-dir", help="stop the sandbox's servers if this directory is deleted")
    p.add_argument("--users", default="",
                   help="ignored (kept for old callers): every recipient is relayed")
    p.add_argument("--tls-cert", help="certificate (PEM) for STARTTLS; none = no STARTTLS")
    p.add_argument("--tls-key", help="its private key (PEM)")
    args = p.parse_args()
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    # aiosmtpd logs every command line (AUTH included) at INFO: too much for
    # benchmarks that send thousands of messages.  Our own lines stay.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
