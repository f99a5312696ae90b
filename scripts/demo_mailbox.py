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

The client who asked for a second address confirms it (issue 12: a new address counts
only once the client confirms it from an address the case already has):

  demo_mailbox.py confirm SANDBOX_DIR
      Reads the confirmation request from the client's own mailbox over IMAPS, prints it
      briefly (the new address is masked in it) and writes the client's reply to it, as a
      mail client would, to SANDBOX_DIR/client-confirm.eml.

  demo_mailbox.py confirmed SANDBOX_DIR
      After the reply was taken in: the second address is a channel of the case now, and
      the client was told so on the first one.

An officer runs a case by mail, in three steps around daemon runs (scripts/demo):

  demo_mailbox.py officer-alert SANDBOX_DIR
      Takes the case whose client asked for an additional channel, reads the officer's
      alert for it from the officer's mailbox over IMAPS and prints it briefly; composes
      the officer's reply as a mail client would (first line ОТВЕТ, the answer, a
      signature, the alert quoted) and writes it twice: SANDBOX_DIR/officer-command.eml,
      vouched for by the organisation's MTA (its Authentication-Results on top), and
      SANDBOX_DIR/forged-command.eml, the same without that header.

  demo_mailbox.py forged SANDBOX_DIR
      After the forged reply was taken in: it must be registered as an ordinary letter
      flagged suspected_spoofing, and the case must be untouched, the client sent nothing.

  demo_mailbox.py answered SANDBOX_DIR
      After the genuine reply was taken in: the answer as both of the client's mailboxes
      received it (without the quote and the signature), the officer's confirmation, and
      the case's status and history from the database.

Each exits 1 with a line on stderr saying what did not happen.

Everything printed is in Russian (the users' language).
"""

import email
import email.header
import email.headerregistry
import email.message
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


def is_channel_mail(msg):
    """A confirmation request or a notice about the case's addresses."""
    subject = str(msg["Subject"] or "")
    return "Подтвердите" in subject or "Адреса для ответов" in subject


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


# ----------------------------------------------------- a case run by mail --

class DemoError(Exception):
    """Something the demo expected did not happen; the message says what (in Russian)."""


def fail(message):
    raise DemoError(message)


def lit(s):
    """An SQL string literal."""
    return "'" + str(s).replace("'", "''") + "'"


def sql_rows(sandbox, query):
    """The rows of QUERY, as dicts."""
    out = subprocess.run(
        [os.path.join(SCRIPTS, "sandbox"), "psql", sandbox, "-XAtq", "-v", "ON_ERROR_STOP=1",
         "-c", f"SELECT coalesce(json_agg(t), '[]') FROM ({query}) t"],
        check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def timezone_of(sandbox):
    """[registration] timezone of the sandbox's daemon configuration."""
    with open(os.path.join(sandbox, "mailgate.toml"), encoding="utf-8") as f:
        found = re.search(r'^\s*timezone\s*=\s*"([^"]+)"', f.read(), re.M)
    return found.group(1) if found else "Europe/Moscow"


def demo_case(sandbox):
    """The case whose client asked for an additional channel, with its live channels
    (primary first)."""
    rows = sql_rows(sandbox, """
        SELECT c.id, c.regno, c.status, c.outcome, c.flags, m.from_name, m.from_address
          FROM cases c JOIN messages m ON m.id = c.message_id
         WHERE EXISTS (SELECT FROM case_channels ch
                        WHERE ch.case_id = c.id AND ch.kind = 'additional'
                          AND ch.source IN ('request', 'confirmed') AND ch.removed_at IS NULL)
         ORDER BY c.id LIMIT 1""")
    if not rows:
        fail("нет дела, в котором клиент просил отвечать и на дополнительный адрес")
    case = rows[0]
    case["channels"] = sql_rows(sandbox, f"""
        SELECT address, kind FROM case_channels
         WHERE case_id = {int(case['id'])} AND removed_at IS NULL
         ORDER BY kind DESC, added_at, address""")
    return case


def wait_for_mail(boxes, address, wanted, what, seconds=10):
    """The messages of ADDRESS's INBOX for which WANTED holds, once there is one. The sink
    relays into Dovecot just after it answers 250: give it a moment."""
    deadline = time.monotonic() + seconds
    while True:
        found = [m for m in boxes.read(address) if wanted(m)]
        if found:
            return found
        if time.monotonic() >= deadline:
            fail(f"в ящике {address} нет {what} (ждали {seconds} с)")
        time.sleep(0.3)
        boxes.cache.pop(address.lower(), None)


def with_message_id(message_id):
    return lambda m: str(m["Message-ID"] or "").strip() == message_id


def first_address(mail, name):
    """The first address of header NAME. Parsed from the raw header and only then decoded:
    the display name would otherwise keep the white space between adjacent encoded-words
    (see Mail.__getitem__) and a decoded "Имя (отдел)" would lose "(отдел)" as a comment."""
    value = mail.compat[name]
    found = email.utils.getaddresses([value]) if value is not None else []
    if not found or not found[0][1]:
        fail(f"в письме {mail['Message-ID']} нет заголовка {name}")
    display, addr = found[0]
    display = str(email.header.make_header(email.header.decode_header(display)))
    return email.headerregistry.Address(display, addr_spec=addr)


def print_text(text, indent="    "):
    for line in text.rstrip().splitlines():
        # "-- " keeps its space: it is what makes it a signature separator.
        print(indent + line if line == "-- " else (indent + line).rstrip())


# The officer's answer to Smirnova (plain language: mailgate lint-text passes it).
OFFICER_ANSWER = (
    "Принять сертификат нельзя.\n"
    "\n"
    "Подрядчик работает с вашим отделом, а закон запрещает служащим брать подарки от тех, "
    "с кем они связаны по работе. Верните сертификат подрядчику с коротким письмом "
    "и сообщите об этом своему руководителю.\n")

COMMAND_FILE = "officer-command.eml"   # the officer's reply as the office's MTA delivers it
FORGED_FILE = "forged-command.eml"     # the same reply, with nothing vouching for it


def find_alert(env, boxes, regno):
    def is_alert(m):
        subject = str(m["Subject"] or "")
        return subject.startswith(f"[{regno}]") and "Новое письмо" in subject
    return wait_for_mail(boxes, env["OFFICER_ADDRESS"], is_alert,
                         f"уведомления о новом письме {regno}")[0]


def officer_reply(env, alert, vouched):
    """The officer's reply to ALERT as a mail client composes it (top-posted, the signature
    above the quote, as Thunderbird does by default). VOUCHED: with the Authentication-Results
    the organisation's MTA puts on top of mail it has checked, above its own Received."""
    officer = env["OFFICER_ADDRESS"]
    domain = officer.partition("@")[2]
    me = first_address(alert, "To")
    office = first_address(alert, "Reply-To") if alert.msg["Reply-To"] else first_address(alert, "From")
    alert_id = str(alert["Message-ID"]).strip()
    sent = email.utils.parsedate_to_datetime(str(alert["Date"]))
    quote = "\n".join((">" + (" " + line if line else "")) for line in text_of(alert).rstrip().splitlines())
    body = (f"ОТВЕТ\n\n{OFFICER_ANSWER}\n"
            f"-- \n{me.display_name or officer}\n{office.display_name}\n\n"
            f"{sent:%d.%m.%Y %H:%M}, {office.display_name or office.addr_spec} пишет:\n{quote}\n")
    msg = email.message.EmailMessage(policy=email.policy.SMTP)
    if vouched:
        msg["Authentication-Results"] = (f"{env['AUTHSERV_ID']}; dkim=pass header.d={domain}; "
                                         f"spf=pass smtp.mailfrom={officer}")
        # Below it, the Received the MTA wrote on accepting the mail: only results above that
        # line are the MTA's own (below it the sender could have written them).
        msg["Received"] = (f"from arm.{domain} (arm.{domain} [192.0.2.10]) by {env['AUTHSERV_ID']} "
                           f"with ESMTPSA id 1; {email.utils.formatdate(localtime=True)}")
    msg["From"] = email.headerregistry.Address(me.display_name, addr_spec=officer)
    msg["To"] = email.headerregistry.Address(office.display_name, addr_spec=office.addr_spec)
    msg["Subject"] = "Re: " + str(alert["Subject"])
    msg["Date"] = email.utils.formatdate(localtime=True)
    msg["Message-ID"] = email.utils.make_msgid(domain=domain)
    msg["In-Reply-To"] = alert_id
    msg["References"] = alert_id
    msg.set_content(body, charset="utf-8", cte="quoted-printable")
    return msg, body


def officer_alert(sandbox):
    env = read_env(sandbox)
    case = demo_case(sandbox)
    regno = case["regno"]
    boxes = Mailboxes(env)
    alert = find_alert(env, boxes, regno)
    text = text_of(alert)
    lines = text.rstrip().splitlines()
    if "Как ответить" not in lines:
        fail(f"{regno}: в уведомлении исполнителю нет подсказки «Как ответить»")
    if not any(line.startswith("Ответить нужно до") for line in lines):
        fail(f"{regno}: в уведомлении исполнителю нет срока ответа")
    addrs = ", ".join(f"{ch['address']} ({CHANNEL[ch['kind']]})" for ch in case["channels"])
    print(f"Дело по почте: {regno}, клиент {case['from_name']}; ответ ждут на адреса {addrs}")
    print()
    print(f"Уведомление исполнителю, прочитано из ящика {env['OFFICER_ADDRESS']} по IMAPS (коротко)")
    print()
    for name in ["From", "To", "Subject", "Message-ID"]:
        print(f"    {name}: {alert[name]}")
    print()
    print("    …")
    for line in lines:
        if line.startswith(("Номер:", "Срочность:", "Ответить нужно до")):
            print("    " + line)
    print("    …")
    print_text("\n".join(lines[lines.index("Как ответить"):]))

    genuine, body = officer_reply(env, alert, vouched=True)
    forged, _ = officer_reply(env, alert, vouched=False)
    for name, msg in [(COMMAND_FILE, genuine), (FORGED_FILE, forged)]:
        with open(os.path.join(sandbox, name), "wb") as f:
            f.write(msg.as_bytes())

    print()
    print("Исполнитель нажимает «Ответить»: первая строка — команда, ниже — текст для клиента")
    print()
    for name in ["Authentication-Results", "From", "To", "Subject", "In-Reply-To", "References"]:
        print(f"    {name}: {genuine[name]}")
    print()
    body_lines = body.rstrip().splitlines()
    shown = next(i for i, line in enumerate(body_lines) if line.endswith("пишет:")) + 3
    print_text("\n".join(body_lines[:shown]))
    rest = len(body_lines) - shown
    print(f"    > … (ещё {rest} {plural(rest, 'строка', 'строки', 'строк')} цитаты)")
    print()
    print("Authentication-Results ставит почтовый сервер отдела: он проверил, что письмо")
    print("действительно отправил исполнитель. В песочнице этот заголовок добавляет демо.")
    return 0


CONFIRM_FILE = "client-confirm.eml"  # the client's reply to the confirmation request


def channel_request(sandbox, state):
    """The demo's one channel request in STATE, with its case and the client's address."""
    rows = sql_rows(sandbox, f"""
        SELECT c.id, c.regno, r.address, r.state, m.from_name, m.from_address
          FROM channel_confirmations r JOIN cases c ON c.id = r.case_id
          JOIN messages m ON m.id = c.message_id
         WHERE r.state = {lit(state)} ORDER BY r.id LIMIT 1""")
    if not rows:
        fail(f"нет просьбы о дополнительном адресе в состоянии {state}")
    return rows[0]


def confirm(sandbox):
    env = read_env(sandbox)
    request = channel_request(sandbox, "pending")
    regno, client = request["regno"], request["from_address"]
    boxes = Mailboxes(env)
    asked = wait_for_mail(boxes, client, lambda m: tag_in_subject(m, regno)
                          and "Подтвердите" in str(m["Subject"] or ""),
                          f"просьбы подтвердить новый адрес по делу {regno}")[0]
    if request["address"] in text_of(asked):
        fail(f"{regno}: в просьбе подтвердить адрес он написан целиком")
    print(f"Клиент {request['from_name']} просил отвечать ещё и на {request['address']}.")
    print("Этот адрес начнёт получать письма, только когда клиент подтвердит его со своего")
    print(f"основного адреса. Просьба подтвердить пришла в ящик {client} (прочитана по IMAPS):")
    print()
    for name in ["From", "To", "Subject"]:
        print(f"    {name}: {asked[name]}")
    print()
    print_text("\n".join(text_of(asked).rstrip().splitlines()[2:5]))
    me = first_address(asked, "To")
    office = first_address(asked, "From")
    msg = email.message.EmailMessage(policy=email.policy.SMTP)
    msg["From"] = email.headerregistry.Address(me.display_name, addr_spec=client)
    msg["To"] = email.headerregistry.Address(office.display_name, addr_spec=office.addr_spec)
    msg["Subject"] = "Re: " + str(asked["Subject"])
    msg["Date"] = email.utils.formatdate(localtime=True)
    msg["Message-ID"] = email.utils.make_msgid(domain=client.partition("@")[2])
    msg["In-Reply-To"] = str(asked["Message-ID"]).strip()
    msg["References"] = str(asked["Message-ID"]).strip()
    msg.set_content("Да, это мой личный адрес.\n", charset="utf-8", cte="quoted-printable")
    with open(os.path.join(sandbox, CONFIRM_FILE), "wb") as f:
        f.write(msg.as_bytes())
    print()
    print(f"Клиент нажимает «Ответить»: {msg['Subject']}")
    return 0


def confirmed(sandbox):
    env = read_env(sandbox)
    request = channel_request(sandbox, "confirmed")
    regno, client = request["regno"], request["from_address"]
    case = demo_case(sandbox)
    if request["address"] not in [ch["address"] for ch in case["channels"]]:
        fail(f"{regno}: адрес {request['address']} не стал адресом дела")
    boxes = Mailboxes(env)
    wait_for_mail(boxes, client, lambda m: tag_in_subject(m, regno)
                  and "Адреса для ответов" in str(m["Subject"] or ""),
                  f"сообщения о подтверждённом адресе по делу {regno}")
    addrs = ", ".join(f"{ch['address']} ({CHANNEL[ch['kind']]})" for ch in case["channels"])
    print(f"Адрес подтверждён: теперь письма по делу {regno} идут на {addrs}.")
    print(f"Клиенту на {client} пришло сообщение об этом; новый адрес в нём скрыт звёздочками.")
    return 0


def forged(sandbox):
    env = read_env(sandbox)
    case = demo_case(sandbox)
    regno = case["regno"]
    with open(os.path.join(sandbox, FORGED_FILE), "rb") as f:
        forged_id = str(email.message_from_bytes(f.read(), policy=email.policy.default)
                        ["Message-ID"]).strip()
    rows = sql_rows(sandbox, f"""
        SELECT c.id, c.regno, c.flags,
               (SELECT e.detail FROM case_events e
                 WHERE e.case_id = c.id AND e.kind = 'registered' ORDER BY e.id LIMIT 1) AS detail
          FROM messages m LEFT JOIN cases c ON c.message_id = m.id
         WHERE m.message_id = {lit(forged_id)}""")
    if not rows:
        fail(f"поддельная команда {forged_id} не зарегистрирована")
    spoof = rows[0]
    if spoof["regno"] is None:
        fail(f"поддельная команда {forged_id} не стала отдельным обращением: "
             f"её приняли как письмо по делу {regno}")
    if "suspected_spoofing" not in spoof["flags"]:
        fail(f"{spoof['regno']}: поддельная команда без отметки suspected_spoofing "
             f"(отметки: {spoof['flags']})")
    if case["status"] != "registered":
        fail(f"{regno}: после поддельной команды состояние дела {case['status']}, "
             f"а должно остаться registered")
    mail = sql_rows(sandbox, f"""
        SELECT case_id, kind, recipient FROM outbox
         WHERE case_id IN ({int(case['id'])}, {int(spoof['id'])}) ORDER BY id""")
    # Before the forgery: the acknowledgement, the alert, and the client's confirmation of
    # the second address (the request, the notice, the officer's follow-up alert).
    extra = [o for o in mail if o["case_id"] == case["id"]
             and o["kind"] not in ("acknowledgement", "officer_alert", "channel_confirmation",
                                   "channel_notice", "follow_up_alert")]
    if extra:
        fail(f"{regno}: после поддельной команды отправлено: "
             + ", ".join(f"{o['kind']} → {o['recipient']}" for o in extra))
    acks = [o for o in mail if o["case_id"] == spoof["id"] and o["kind"] == "acknowledgement"]
    if acks:
        fail(f"{spoof['regno']}: на поддельное письмо отправлено подтверждение {acks[0]['recipient']}")
    boxes = Mailboxes(env)
    for ch in case["channels"]:
        tagged = [m for m in boxes.read(ch["address"]) if tag_in_subject(m, regno)
                  and not is_acknowledgement(m, regno) and not is_channel_mail(m)]
        if tagged:
            fail(f"{regno}: в ящике {ch['address']} по делу есть письмо «{tagged[0]['Subject']}», "
                 f"а должны быть только подтверждение и письма об адресах")
    alerted = [o["recipient"] for o in mail
               if o["case_id"] == spoof["id"] and o["kind"] == "officer_alert"]
    detail = spoof["detail"] or {}

    print("Сначала подделка: то же письмо от имени исполнителя, но без Authentication-Results")
    print("(так выглядит письмо, которое отправил не исполнитель, а кто-то чужой)")
    print()
    print(f"    Зарегистрировано как обычное письмо: {spoof['regno']}, "
          f"отметки: {', '.join(spoof['flags'])}")
    print(f"    Проверка отправителя не пройдена: {detail.get('suspected_spoofing', '—')}")
    print(f"    Команда «ОТВЕТ» по делу {detail.get('claimed_case', regno)} не выполнена: "
          f"состояние дела — {case['status']} ({STATUS[case['status']]})")
    print("    Клиенту ничего не отправлено: в ящиках "
          + " и ".join(ch["address"] for ch in case["channels"])
          + " по этому делу только подтверждение и письма об адресах")
    print("    Подтверждение о регистрации на адрес из подделки не отправлено"
          + (f"; исполнитель ({', '.join(alerted)}) получил уведомление о новом письме "
             f"{spoof['regno']}" if alerted else ""))
    return 0


STATUS = {
    "registered": "зарегистрировано, ответа ещё нет",
    "answered": "ответ дан",
    "refused": "отказ",
    "forwarded": "переслано в другой орган",
    "waiting_client": "ждём ответа клиента",
    "closed": "закрыто без ответа",
}

MAIL_KIND = {
    "acknowledgement": "подтверждение клиенту",
    "officer_alert": "уведомление исполнителю",
    "answer": "ответ клиенту",
    "command_confirmation": "подтверждение команды",
    "channel_confirmation": "просьба подтвердить адрес",
    "channel_notice": "сообщение об адресах",
    "follow_up_alert": "уведомление о письме по делу",
}

COMMAND_WORD = {
    "answer": "ОТВЕТ", "refuse": "ОТКАЗ", "clarify": "УТОЧНЕНИЕ", "forward": "ПЕРЕАДРЕСАЦИЯ",
    "transfer": "ПЕРЕДАТЬ", "extend": "ПРОДЛЕНИЕ", "close": "БЕЗ ОТВЕТА",
}

EVENT = {
    "registered": "письмо зарегистрировано",
    "channel_added": "добавлен адрес клиента",
    "channel_requested": "клиент просит новый адрес",
    "follow_up": "письмо по делу",
    "answer": "ответ по существу",
}


def event_words(e):
    if e["kind"] in ("mail_queued", "mail_sent", "mail_failed"):
        verb = {"mail_queued": "в очереди", "mail_sent": "отправлено",
                "mail_failed": "не доставлено"}[e["kind"]]
        return f"{MAIL_KIND.get(e['mail_kind'], e['mail_kind'])}: {verb}"
    if e["kind"] == "follow_up" and e["action"]:
        return f"письмо исполнителя: {COMMAND_WORD.get(e['action'], e['action'])}"
    return EVENT.get(e["kind"], "")


def answered(sandbox):
    env = read_env(sandbox)
    case = demo_case(sandbox)
    regno, case_id = case["regno"], int(case["id"])
    if case["status"] != "answered":
        why = sql_rows(sandbox, f"""
            SELECT detail->>'rejected' AS rejected FROM case_events
             WHERE case_id = {case_id} AND detail ? 'rejected' ORDER BY id DESC LIMIT 1""")
        fail(f"{regno}: команда ОТВЕТ не выполнена, состояние дела {case['status']}"
             + (f"; mailgate ответил исполнителю: {why[0]['rejected']}" if why else ""))
    mail = sql_rows(sandbox, f"""
        SELECT kind, channel, recipient, status, message_id FROM outbox
         WHERE case_id = {case_id} AND kind NOT IN ('acknowledgement', 'officer_alert',
               'channel_confirmation', 'channel_notice', 'follow_up_alert')
         ORDER BY id""")
    boxes = Mailboxes(env)
    officer = env["OFFICER_ADDRESS"]
    signature = first_address(find_alert(env, boxes, regno), "To").display_name
    answer_words = " ".join(OFFICER_ANSWER.split())
    shown_text = None
    print("Теперь настоящее письмо исполнителя: команда выполнена, клиент получил ответ на оба адреса")
    for ch in case["channels"]:
        sent = [o for o in mail if o["recipient"].lower() == ch["address"]]
        if not sent:
            fail(f"{regno}: ответ на адрес {ch['address']} не отправлялся")
        got = wait_for_mail(boxes, ch["address"], with_message_id(sent[0]["message_id"]),
                            f"ответа по делу {regno}")[0]
        subject = str(got["Subject"] or "")
        text = text_of(got).rstrip()
        if not tag_in_subject(got, regno):
            fail(f"{regno}: в теме ответа нет [{regno}]: {subject}")
        if answer_words not in " ".join(text.split()):
            fail(f"{regno}: в ответе на {ch['address']} нет текста исполнителя:\n{text}")
        leftovers = [line for line in text.splitlines()
                     if line.startswith(">") or line.endswith("пишет:") or line == "-- "
                     or line.strip() == signature or line.startswith("Вам поручено")]
        if leftovers:
            fail(f"{regno}: в ответ клиенту попали цитата или подпись: {leftovers}")
        print()
        print(f"Ответ в ящике {ch['address']} ({CHANNEL[ch['kind']]} адрес), прочитан по IMAPS")
        print()
        print(f"    To: {got['To']}")
        print(f"    Subject: {subject}")
        print()
        if shown_text is None:
            print_text(text)
            shown_text = text
        elif text == shown_text:
            print("    Текст тот же, что выше.")
        else:
            print_text(text)
    print()
    print("Цитаты уведомления («> …», «… пишет:») и подписи исполнителя («-- » и ниже) в")
    print("письмах клиенту нет: mailgate их убрал.")

    confirmation = [o for o in mail if o["kind"] == "command_confirmation"]
    if not confirmation:
        fail(f"{regno}: исполнителю не отправлено подтверждение команды")
    got = wait_for_mail(boxes, officer, with_message_id(confirmation[-1]["message_id"]),
                        f"подтверждения команды по делу {regno}")[0]
    print()
    print(f"Подтверждение исполнителю, из ящика {officer}")
    print()
    print(f"    Subject: {got['Subject']}")
    print()
    print_text(text_of(got))

    tz = timezone_of(sandbox)
    state = sql_rows(sandbox, f"""
        SELECT status, outcome, to_char(closed_at AT TIME ZONE {lit(tz)}, 'DD.MM.YYYY HH24:MI:SS') AS closed
          FROM cases WHERE id = {case_id}""")[0]
    events = sql_rows(sandbox, f"""
        SELECT to_char(at AT TIME ZONE {lit(tz)}, 'DD.MM.YYYY HH24:MI:SS') AS at, kind,
               detail->>'via' AS via, detail->>'officer' AS officer,
               detail->>'kind' AS mail_kind, detail->>'action' AS action,
               coalesce(detail->>'to', detail->>'address') AS "to"
          FROM case_events WHERE case_id = {case_id} ORDER BY id""")
    if not any(e["kind"] == "answer" and e["via"] == "mail" and e["officer"] for e in events):
        fail(f"{regno}: в истории дела нет события answer (via mail) с кодом исполнителя")
    print()
    print(f"Дело {regno} в базе: состояние {state['status']} ({STATUS.get(state['status'], '?')}), "
          f"итог {state['outcome'] or '—'}, закрыто {state['closed'] or '—'}")
    print()
    table(["Время", "Событие", "Что", "Как", "Сотрудник", "Адрес"],
          [[e["at"], e["kind"], event_words(e), e["via"] or "", e["officer"] or "", e["to"] or ""]
           for e in events],
          [19, 14, 40, 6, 12, 36])
    return 0


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "compose":
        compose()
        return 0
    if len(sys.argv) == 3 and sys.argv[1] == "report":
        return report(sys.argv[2])
    steps = {"confirm": confirm, "confirmed": confirmed, "officer-alert": officer_alert,
             "forged": forged, "answered": answered}
    if len(sys.argv) == 3 and sys.argv[1] in steps:
        try:
            return steps[sys.argv[1]](sys.argv[2])
        except DemoError as e:
            sys.stdout.flush()
            print(f"demo: {e}", file=sys.stderr)
            return 1
    print(__doc__.strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
