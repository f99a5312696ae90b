#!/usr/bin/python3
"""Bulk delivery of .eml files into a sandbox user's INBOX (scripts/sandbox deliver).

Why IMAP APPEND and not LMTP or `doveadm save`:
  * `doveadm save` keeps the bytes but costs one process per message (~2,000
    messages would take far too long).
  * LMTP is one session, but Dovecot's LMTP always prepends Return-Path (and
    Delivered-To / Received unless configured off): the stored bytes would not
    be the file's bytes.
  * IMAP APPEND without a flag list stores the message unseen and byte-for-byte
    (Dovecot only normalises line endings, as it does for every path in), and
    MULTIAPPEND + LITERAL+ lets one command carry hundreds of messages with no
    round trip per message.  Within one APPEND command Dovecot assigns UIDs in
    argument order, and we wait for each command's tagged OK before the next,
    so UIDs increase in argument order.
  * If Dovecot refuses a batch (MULTIAPPEND is all-or-nothing), that batch is
    redone one message at a time on a fresh connection, and any single message
    that APPEND refuses goes in through `doveadm save` -- still in order.

Credentials and ports come from the environment set by scripts/sandbox:
  SANDBOX_IMAPS_PORT, SANDBOX_CA_FILE, SANDBOX_USER, SANDBOX_PASSWORD,
  SANDBOX_DOVECOT_CONF.
"""

import os
import re
import socket
import ssl
import subprocess
import sys

BATCH_MAX_MESSAGES = 500
BATCH_MAX_BYTES = 16 * 1024 * 1024


class ImapError(Exception):
    pass


class Imap:
    def __init__(self, host, port, cafile):
        ctx = ssl.create_default_context(cafile=cafile)  # verify for real
        raw = socket.create_connection((host, port), timeout=120)
        self.sock = ctx.wrap_socket(raw, server_hostname=host)
        self.rfile = self.sock.makefile("rb")
        self.n = 0
        greeting = self.rfile.readline()
        if not greeting.startswith(b"* OK"):
            raise ImapError(f"bad greeting: {greeting!r}")

    def command(self, parts):
        """Send one command made of byte chunks; return (status, text, untagged)."""
        self.n += 1
        tag = b"D%d" % self.n
        self.sock.sendall(tag + b" " + b"".join(parts) + b"\r\n")
        untagged = []
        while True:
            line = self.rfile.readline()
            if not line:
                raise ImapError("connection closed by server")
            if line.startswith(tag + b" "):
                rest = line[len(tag) + 1:].rstrip(b"\r\n")
                status, _, text = rest.partition(b" ")
                return status.decode(), text.decode("utf-8", "replace"), untagged
            untagged.append(line)

    def close(self):
        try:
            self.command([b"LOGOUT"])
        except Exception:
            pass
        try:
            self.sock.close()
        except Exception:
            pass


def quote(s):
    return b'"' + s.encode().replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'


def connect():
    imap = Imap("127.0.0.1", int(os.environ["SANDBOX_IMAPS_PORT"]),
                os.environ["SANDBOX_CA_FILE"])
    status, text, _ = imap.command([b"LOGIN ", quote(os.environ["SANDBOX_USER"]), b" ",
                                    quote(os.environ["SANDBOX_PASSWORD"])])
    if status != "OK":
        raise ImapError(f"LOGIN failed: {status} {text}")
    return imap


def append_cmd(messages):
    """APPEND INBOX with one LITERAL+ literal per message, no flags -> unseen."""
    parts = [b"APPEND INBOX"]
    for data in messages:
        parts.append(b" {%d+}\r\n" % len(data))
        parts.append(data)
    return parts


def parse_appenduid(text):
    """UIDs from [APPENDUID validity set], in order ("5:7,9" -> [5,6,7,9])."""
    m = re.search(r"\[APPENDUID \d+ ([0-9:,]+)\]", text)
    if not m:
        return None
    uids = []
    for piece in m.group(1).split(","):
        a, _, b = piece.partition(":")
        a = int(a)
        b = int(b) if b else a
        uids.extend(range(a, b + 1) if a <= b else range(a, b - 1, -1))
    return uids


def doveadm_save(path):
    with open(path, "rb") as f:
        r = subprocess.run(["doveadm", "-c", os.environ["SANDBOX_DOVECOT_CONF"], "save",
                            "-u", os.environ["SANDBOX_USER"], "-m", "INBOX"],
                           stdin=f, capture_output=True)
    if r.returncode != 0:
        raise ImapError(f"doveadm save refused {path}: "
                        f"{r.stderr.decode('utf-8', 'replace').strip()}")


def batches(paths):
    batch, size = [], 0
    for p in paths:
        with open(p, "rb") as f:
            data = f.read()
        if batch and (len(batch) >= BATCH_MAX_MESSAGES or size + len(data) > BATCH_MAX_BYTES):
            yield batch
            batch, size = [], 0
        batch.append((p, data))
        size += len(data)
    if batch:
        yield batch


def main():
    args = sys.argv[1:]
    print_uids = False
    if args and args[0] == "--print-uids":
        print_uids, args = True, args[1:]
    paths = args
    if not paths:
        return 0
    for p in paths:  # fail before delivering anything if a file is missing
        if not os.path.isfile(p):
            print(f"sandbox deliver: no such file: {p}", file=sys.stderr)
            return 2
    imap = connect()
    delivered = 0
    fallbacks = 0
    for batch in batches(paths):
        status, text, _ = imap.command(append_cmd([d for _, d in batch]))
        if status == "OK":
            uids = parse_appenduid(text)
            if print_uids:
                for (p, _), uid in zip(batch, uids or [None] * len(batch)):
                    print(f"{uid}\t{p}")
            delivered += len(batch)
            continue
        # Batch refused: nothing of it was saved.  The connection state after a
        # failed LITERAL+ command is not worth trusting: start afresh and go
        # one message at a time, keeping the order.
        print(f"sandbox deliver: batch refused ({status} {text}); "
              f"retrying one by one", file=sys.stderr)
        imap.sock.close()
        imap = connect()
        for p, data in batch:
            status, text, _ = imap.command(append_cmd([data]))
            if status == "OK":
                uid = (parse_appenduid(text) or [None])[0]
            else:
                print(f"sandbox deliver: APPEND refused {p} ({status} {text}); "
                      f"using doveadm save", file=sys.stderr)
                doveadm_save(p)
                fallbacks += 1
                uid = None
            if print_uids:
                print(f"{uid}\t{p}")
            delivered += 1
    imap.close()
    print(f"sandbox deliver: {delivered} message(s) to {os.environ['SANDBOX_USER']}/INBOX"
          + (f" ({fallbacks} via doveadm save)" if fallbacks else ""), file=sys.stderr)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (ImapError, OSError, ssl.SSLError) as e:
        print(f"sandbox deliver: {e}", file=sys.stderr)
        sys.exit(1)
