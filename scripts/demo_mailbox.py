#!/usr/bin/python3
"""Helper of scripts/demo (run with /usr/bin/python3; standard library only).

  demo_mailbox.py compose < TEXT > FILE.eml
      Turns a UTF-8 text (header lines, an empty line, the body) into a proper MIME
      message: RFC 2047 headers, a UTF-8 text/plain body, Date and Message-ID added when
      missing.

  demo_mailbox.py report SANDBOX_DIR
      What the clients received, read back from their mailboxes over IMAPS (verifying
      the sandbox's certificate), next to the cases in the database: a table of
      acknowledgements per case and channel, one acknowledgement in full, and the
      number of alerts in the officer's mailbox. Exit 1 if a mailbox lacks mail the
      outbox says was sent, or holds an acknowledgement nobody should have got.

Everything printed is in Russian (the users' language).
"""

import email
import email.header
import email.policy
import email.utils
import imaplib
import json
import os
import re
import ssl
import time
import subprocess
import sys
import unicodedata

SCRIPTS = os.path.dirname(os.path.abspath(__file__))


# ------------------------------------------------------------------ compose --

def compose():
    text = sys.stdin.read()
    head, _, body = text.partition("\n\n")
    msg = email.message.EmailMessage(policy=email.policy.SMTP)
    for line in head.splitlines():
        name, _, value = line.partition(":")
        msg[name.strip()] = value.strip()
    if "Date" not in msg:
        msg["Date"] = email.utils.formatdate(localtime=True)
    if "Message-ID" not in msg:
        sender = msg["From"].addresses[0].domain if msg["From"] else ""
        msg["Message-ID"] = email.utils.make_msgid(domain=sender or "demo.example")
    msg.set_content(body, charset="utf-8", cte="quoted-printable")
    sys.stdout.buffer.write(msg.as_bytes())


# ------------------------------------------------------------------- report --

def read_env(sandbox):
    env = {}
    with open(os.path.join(sandbox, "env"), encoding="utf-8") as f:
        for line in f:
            key, sep, value = line.rstrip("\n").partition("=")
            if sep:
                env[key] = value
    return env


CASES_SQL = """
SELECT coalesce(json_agg(row_to_json(t) ORDER BY t.reg_year, t.reg_seq), '[]')
FROM (
  SELECT c.regno, c.reg_year, c.reg_seq, c.flags, m.from_name, m.from_address,
         m.automatic,
         (SELECT coalesce(json_agg(json_build_object('address', ch.address, 'kind', ch.kind)
                                   ORDER BY ch.kind DESC, ch.added_at, ch.address), '[]')
            FROM case_channels ch
           WHERE ch.case_id = c.id AND ch.removed_at IS NULL) AS channels,
         (SELECT coalesce(json_agg(json_build_object(
                    'recipient', o.recipient, 'channel', o.channel, 'status', o.status,
                    'message_id', o.message_id, 'last_error', o.last_error) ORDER BY o.id), '[]')
            FROM outbox o
           WHERE o.case_id = c.id AND o.kind = 'acknowledgement') AS acks
    FROM cases c JOIN messages m ON m.id = c.message_id
) t
"""


def cases_from_db(sandbox):
    out = subprocess.run(
        [os.path.join(SCRIPTS, "sandbox"), "psql", sandbox, "-XAtq", "-v", "ON_ERROR_STOP=1",
         "-c", CASES_SQL],
        check=True, capture_output=True, text=True).stdout
    return json.loads(out)


class Mailboxes:
    """Reads whole INBOXes over IMAPS, once per address."""

    def __init__(self, env):
        self.env = env
        self.ctx = ssl.create_default_context(cafile=env["CA_FILE"])
        self.cache = {}
        domain = env["OFFICE_ADDRESS"].partition("@")[2]
        # The sandbox's own users keep their own passwords; any other address takes
        # ANY_USER_PASSWORD.
        self.own = {}
        for user in ["work", "officer", "head"] + env.get("CLIENT_USERS", "").split(","):
            key = ("IMAP" if user == "work" else user.upper()) + "_PASSWORD"
            if user and key in env:
                self.own[f"{user}@{domain}"] = env[key]

    def read(self, address):
        address = address.lower()
        if address in self.cache:
            return self.cache[address]
        password = self.own.get(address, self.env["ANY_USER_PASSWORD"])
        messages = []
        with imaplib.IMAP4_SSL(self.env.get("IMAP_HOST", "127.0.0.1"),
                               int(self.env["IMAPS_PORT"]), ssl_context=self.ctx) as imap:
            imap.login(address, password)
            imap.select("INBOX", readonly=True)
            _, data = imap.uid("SEARCH", None, "ALL")
            for uid in data[0].split():
                _, parts = imap.uid("FETCH", uid, "(BODY.PEEK[])")
                raw = next(p[1] for p in parts if isinstance(p, tuple))
                messages.append(Mail(raw))
            imap.logout()
        self.cache[address] = messages
        return messages


class Mail:
    """One message as read from a mailbox."""

    def __init__(self, raw):
        self.msg = email.message_from_bytes(raw, policy=email.policy.default)
        self.compat = email.message_from_bytes(raw, policy=email.policy.compat32)

    def __getitem__(self, name):
        """The header decoded for display (None if absent). Not through policy.default:
        Python's parser keeps the white space between adjacent encoded-words in a
        display name (RFC 2047 section 6.2 says to drop it) and would print
        "Рашидо вна" for a name split across two encoded-words."""
        value = self.compat[name]
        if value is None:
            return None
        return str(email.header.make_header(email.header.decode_header(value)))


def text_of(mail):
    msg = mail.msg
    body = msg.get_body(preferencelist=("plain",))
    return body.get_content().replace("\r\n", "\n") if body else ""


def deadline_line(msg):
    for line in text_of(msg).splitlines():
        if line.strip().startswith("Мы ответим вам до"):
            return line.strip()
    return "— (строки о сроке нет)"


def addresses(mail, name):
    header = mail.msg[name]
    return [a.addr_spec.lower() for a in header.addresses] if header is not None else []


def tag_in_subject(msg, regno):
    return f"[{regno}]" in str(msg["Subject"] or "")


def is_acknowledgement(msg, regno):
    return tag_in_subject(msg, regno) and \
        str(msg["Auto-Submitted"] or "").strip().lower() == "auto-replied"


def width(s):
    return sum(0 if unicodedata.combining(ch) else 1 for ch in s)


def cut(s, n):
    return s if width(s) <= n else s[: n - 1] + "…"


def table(headings, rows, limits):
    rows = [[cut(str(v), lim) for v, lim in zip(r, limits)] for r in rows]
    widths = [max([width(h)] + [width(r[i]) for r in rows]) for i, h in enumerate(headings)]

    def line(cells):
        return "  ".join(c + " " * (w - width(c)) for c, w in zip(cells, widths)).rstrip()

    print(line(headings))
    print(line(["-" * w for w in widths]))
    for r in rows:
        print(line(r))


CHANNEL = {"primary": "основной", "additional": "дополнительный"}

# Why a case got no acknowledgement, from messages.automatic and cases.flags.
WHY_NOT = {
    "auto_reply": "автоответ",
    "bounce": "уведомление о недоставке",
    "mailing_list": "рассылка",
    "no_reply": "адрес «не отвечать»",
    "own_mail": "письмо с нашего адреса",
    "ack_rate_limited": "превышен лимит подтверждений в сутки",
    "ack_suppressed": "адрес отключён после ошибок доставки",
    "no_address": "нет адреса для ответа",
}


def plural(n, one, few, many):
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def report(sandbox):
    env = read_env(sandbox)
    cases = cases_from_db(sandbox)
    boxes = Mailboxes(env)
    problems = []
    rows = []
    shown = None  # (case, channel, message): the acknowledgement printed in full
    for case in cases:
        regno = case["regno"]
        client = case["from_name"] or case["from_address"] or "—"
        kind_of = {ch["address"]: ch["kind"] for ch in case["channels"]}
        sent = {a["recipient"].lower(): a for a in case["acks"]}
        # Every mailbox the case could have reached: its channels and whatever was queued.
        targets = list(kind_of) + [a for a in sent if a not in kind_of]
        first = True
        got_any = False
        for address in targets:
            acks = [m for m in boxes.read(address) if is_acknowledgement(m, regno)]
            ack = sent.get(address)
            # The sink relays into Dovecot just after it answers 250: give it a moment.
            for _ in range(20):
                if not (ack and ack["status"] == "sent" and not acks):
                    break
                time.sleep(0.5)
                boxes.cache.pop(address.lower(), None)
                acks = [m for m in boxes.read(address) if is_acknowledgement(m, regno)]
            if ack and ack["status"] == "sent" and not acks:
                problems.append(f"{regno}: в ящике {address} нет подтверждения, "
                                f"хотя outbox считает его отправленным")
            if not ack and acks:
                problems.append(f"{regno}: в ящике {address} подтверждение, которого "
                                f"нет в outbox")
            if ack and ack["status"] == "failed":
                acks_text = [["—", f"не доставлено: {ack['last_error'] or ''}", "—"]]
            else:
                acks_text = [[", ".join(addresses(m, "To")) or "—", str(m["Subject"]),
                              deadline_line(m)] for m in acks]
            for to, subject, deadline in acks_text:
                got_any = True
                rows.append([regno if first else "", client if first else "",
                             CHANNEL.get(kind_of.get(address, ack and ack["channel"]), "?"),
                             to, subject, deadline])
                first = False
            if acks and shown is None and len(kind_of) > 1 and kind_of.get(address) == "primary":
                shown = (case, address, acks[0])
        if not got_any:
            reasons = [WHY_NOT.get(f, f) for f in
                       ([case["automatic"]] if case["automatic"] else []) +
                       [f for f in case["flags"] if f != case["automatic"]]]
            rows.append([regno, client, "—", "—",
                         "без подтверждения: " + ("; ".join(reasons) or "причина не записана"),
                         "—"])
            if not reasons:
                problems.append(f"{regno}: подтверждения нет, причина не записана")

    print("Подтверждения, которые получили клиенты (прочитаны из их почтовых ящиков по IMAPS)")
    print()
    table(["Рег. номер", "Клиент", "Канал", "Кому", "Тема подтверждения", "Срок в тексте"],
          rows, [15, 30, 14, 36, 60, 40])
    n_mail = sum(1 for r in rows if r[2] != "—" and not r[4].startswith("не доставлено"))
    n_none = sum(1 for r in rows if r[4].startswith("без подтверждения"))
    print(f"Обращений: {len(cases)}, из них без подтверждения: {n_none}. "
          f"Писем-подтверждений в ящиках клиентов: {n_mail}.")

    if shown is None:
        for case in cases:
            for ch in case["channels"]:
                acks = [m for m in boxes.read(ch["address"]) if is_acknowledgement(m, case["regno"])]
                if acks and shown is None:
                    shown = (case, ch["address"], acks[0])
    if shown is not None:
        case, address, msg = shown
        print()
        print(f"Подтверждение целиком: {case['regno']}, ящик {address}")
        print()
        for name in ["From", "To", "Subject", "Date", "Message-ID", "In-Reply-To",
                     "Auto-Submitted"]:
            print(f"    {name}: {msg[name] if msg[name] is not None else '—'}")
        print()
        for line in text_of(msg).rstrip().splitlines():
            print(("    " + line).rstrip())

    officer = env["OFFICER_ADDRESS"]
    alerts = boxes.read(officer)
    tags = []
    for m in alerts:
        found = re.search(r"\[([^\]]+)\]", str(m["Subject"] or ""))
        if found:
            tags.append(found.group(1))
    print()
    n = len(alerts)
    missed = [c for c in cases if c["regno"] not in tags]
    if not missed:
        which = "по всем обращениям"
    else:
        which = "по всем обращениям, кроме " + ", ".join(
            c["regno"] + (f" ({WHY_NOT.get(c['automatic'], c['automatic'])})"
                          if c["automatic"] else "") for c in missed)
    print(f"Исполнитель ({officer}) получил {n} "
          f"{plural(n, 'уведомление', 'уведомления', 'уведомлений')} о новых письмах: {which}.")
    head = env.get("HEAD_ADDRESS")
    if head:
        h = len(boxes.read(head))
        if h:
            print(f"Начальник отдела ({head}) получил {h} "
                  f"{plural(h, 'уведомление', 'уведомления', 'уведомлений')}.")

    if problems:
        print(file=sys.stderr)
        for p in problems:
            print("demo: РАСХОЖДЕНИЕ: " + p, file=sys.stderr)
        return 1
    return 0


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "compose":
        compose()
        return 0
    if len(sys.argv) == 3 and sys.argv[1] == "report":
        return report(sys.argv[2])
    print(__doc__.strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
