#!/usr/bin/python3
"""Independent reference for `mailgate inspect`: the same JSON fields, decoded by Python's
standard `email` package (policy=email.policy.default) and nothing else.

Usage: inspect_reference.py FILE.eml [FILE.eml ...]
One JSON object per file and line (JSON Lines), each with "file" set to the path as given.

Decoding is Python's own: header fields through the policy's header objects, bodies through
get_payload(decode=True) and Python's codecs. Only *which* parts are the text and which are
attachments follows mailgate's documented policy (mail/parse.cpp), because that is a choice,
not decoding:
  * text: the first text/plain that is not an attachment, descending into every multipart
    except multipart/related (only its start part), never into attached messages; else the
    first text/html found the same way; if neither, the same again accepting named parts
    without an "attachment" disposition. HTML becomes text with html.parser.
  * attachments: every leaf other than the text part that is not text/*, or is text/* with a
    file name or an "attachment" disposition; message/rfc822 and message/global parts (their
    own parts follow, nested=true); other message/* parts are not attachments.
Small, documented adjustments to Python's answers:
  * a leading UTF-8 byte order mark is dropped before parsing;
  * raw 8-bit header bytes that Python keeps as lone surrogates are read as UTF-8 (RFC 6532),
    anything else becomes U+FFFD;
  * gh-128110: policy.default puts a space between adjacent encoded-words in a display name;
    where the compat32 reading (decode_header) differs only by that space, it is taken;
  * a body part without a charset Python knows is read as UTF-8 with U+FFFD (Python would
    raise LookupError or read us-ascii); HTML without a charset parameter uses <meta charset>;
  * a multipart without a boundary parameter is text; one whose parts Python cannot find has
    none; the null address "<>" is "".
Where Python cannot decode something (unknown charset label, raw 8-bit header bytes) the
reference keeps Python's answer (U+FFFD); tests/data/KNOWN_DIFFERENCES.md lists those places.
"""

import codecs
import email
import email.policy
import email.utils
import hashlib
import html.parser
import json
import re
import sys
from email.header import decode_header, make_header

POLICY = email.policy.default

# ------------------------------------------------------------------------------------------
# Header fields


def raw_header(msg, name):
    """The first field `name` as written (folding kept), or None."""
    for k, v in msg.raw_items():
        if k.lower() == name.lower():
            return v
    return None


def fix_surrogates(s):
    """Raw 8-bit bytes survive as lone surrogates: read them as UTF-8 (RFC 6532), else U+FFFD."""
    if s is None:
        return None
    return s.encode("utf-8", "surrogateescape").decode("utf-8", "replace") \
        if any(0xDC80 <= ord(c) <= 0xDCFF for c in s) else s


def header_text(msg, name):
    """The decoded value of an unstructured field, or None if absent."""
    try:
        h = msg[name]
    except Exception:  # noqa: BLE001 - a field policy.default cannot parse: compat32 helpers
        raw = raw_header(msg, name)
        return None if raw is None else fix_surrogates(str(make_header(decode_header(raw))))
    return None if h is None else fix_surrogates(str(h))


def flatten_addresses(header):
    out = []
    for group in header.groups:
        for a in group.addresses:
            out.append(a)
    return out


def address_json(a):
    addr = a.addr_spec
    if addr == "<>":  # Python's spelling of the null address
        addr = ""
    return {"name": fix_surrogates(a.display_name or ""), "address": fix_surrogates(addr)}


def compat_names(raw):
    """Display names by the compat32 helpers, which join adjacent encoded-words correctly."""
    try:
        return [str(make_header(decode_header(n))) for n, a in email.utils.getaddresses([raw])
                if n or a]
    except Exception:  # noqa: BLE001
        return None


def address_list(msg, name):
    try:
        h = msg[name]
        if h is None:
            return []
        out = [address_json(a) for a in flatten_addresses(h)]
        # gh-128110: policy.default puts a space between adjacent encoded-words of a display
        # name ("Рашидовн а"). Where the compat32 reading differs only by that white space,
        # take it.
        raw = raw_header(msg, name)
        if raw is not None and "=?" in raw:
            names = compat_names(raw)
            if names is not None and len(names) == len(out):
                for a, n in zip(out, names):
                    n = fix_surrogates(n)
                    if n != a["name"] and "".join(n.split()) == "".join(a["name"].split()):
                        a["name"] = n
        return out
    except Exception:  # noqa: BLE001 - fall back on the compat32 helpers
        raw = raw_header(msg, name)
        if raw is None:
            return []
        out = []
        for n, a in email.utils.getaddresses([raw]):
            if not n and not a:
                continue
            out.append({"name": fix_surrogates(str(make_header(decode_header(n)))),
                        "address": fix_surrogates(a)})
        return out


def date_iso(msg):
    try:
        h = msg["date"]
    except Exception:  # noqa: BLE001
        return None
    if h is None:
        return None
    dt = getattr(h, "datetime", None)
    if dt is None:
        return None
    s = dt.isoformat(timespec="seconds")
    if dt.tzinfo is None:  # "-0000": UTC, the local offset unknown
        s += "+00:00"
    return s


def msg_ids(value):
    if value is None:
        return []
    if "<" in value:
        return ["".join(m.split()) for m in re.findall(r"<[^>]*>", value)
                if len("".join(m.split())) > 2]
    return [t for t in re.split(r"[\s,]+", value) if t]


def plain_field(msg, name):
    raw = raw_header(msg, name)
    if raw is None:
        return None
    v = " ".join(fix_surrogates(raw).split())
    return v or None


# ------------------------------------------------------------------------------------------
# Parts


def ctype(part):
    """(type/subtype, is a real multipart, is an enclosed message)."""
    t = part.get_content_type()
    if t.startswith("multipart/"):
        if isinstance(part.get_payload(), list) or part.get_boundary() is not None:
            return t, True, False  # with a boundary but no parts found: an empty multipart
        return "text/plain", False, False  # no boundary: read as text, like Python's payload
    if t in ("message/rfc822", "message/global") and isinstance(part.get_payload(), list):
        return t, False, True
    return t, False, False


def children_of(part):
    p = part.get_payload()
    return p if isinstance(p, list) else []


def disposition(part):
    try:
        d = part.get_content_disposition()
    except Exception:  # noqa: BLE001
        return None
    return d


def has_param(part, header, param):
    try:
        return part.get_param(param, header=header) is not None
    except Exception:  # noqa: BLE001
        return False


def is_attachment_part(part):
    d = disposition(part)
    if d == "attachment":
        return True
    if d == "inline":
        return False
    return has_param(part, "content-disposition", "filename") or \
        has_param(part, "content-type", "name")


def has_filename(part):
    return disposition(part) == "attachment" or \
        has_param(part, "content-disposition", "filename") or \
        has_param(part, "content-type", "name")


def find_text(part, want, lenient):
    t, multi, message = ctype(part)
    if message:
        return None
    if not multi:
        if t != want:
            return None
        if lenient:
            return None if disposition(part) == "attachment" else part
        return None if is_attachment_part(part) else part
    children = children_of(part)
    if not children:
        return None
    if t == "multipart/related":
        start = children[0]
        want_id = part.get_param("start")
        if want_id:
            want_id = email.utils.collapse_rfc2231_value(want_id).strip()
            for c in children:
                cid = c.get("content-id")
                if cid is not None and str(cid).strip() == want_id:
                    start = c
                    break
        return find_text(start, want, lenient)
    for c in children:
        r = find_text(c, want, lenient)
        if r is not None:
            return r
    return None


def payload_bytes(part):
    b = part.get_payload(decode=True)
    return b if b is not None else b""


def python_codec(label):
    if not label:
        return None
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


META_CHARSET = re.compile(rb"<meta[^>]*charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)


class HtmlText(html.parser.HTMLParser):
    """Text as a person reads it: no script/style/head, blocks on lines of their own."""

    SKIP = {"script", "style", "head", "title", "template", "xml"}
    BLOCK = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "div", "tr", "li",
             "ul", "ol", "dl", "dt", "dd", "pre", "hr", "section", "article", "header",
             "footer", "nav", "aside", "main", "address", "center", "form", "fieldset",
             "figure", "figcaption", "caption", "tbody", "thead", "tfoot", "body", "br"}
    SPACE = {"td", "th", "img", "input"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK:
            self.out.append("\n")
        elif tag in self.SPACE:
            self.out.append(" ")

    def handle_startendtag(self, tag, attrs):
        if tag in self.BLOCK:
            self.out.append("\n")
        elif tag in self.SPACE:
            self.out.append(" ")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCK:
            self.out.append("\n")
        elif tag in self.SPACE:
            self.out.append(" ")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def html_to_text(s):
    p = HtmlText()
    p.feed(s)
    p.close()
    return "".join(p.out)


def text_of(part, is_html):
    data = payload_bytes(part)
    label = part.get_content_charset()
    if is_html and not label:
        m = META_CHARSET.search(data[:65536])
        if m:
            label = m.group(1).decode("ascii")
    codec = python_codec(label) or "utf-8"
    text = data.decode(codec, errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return html_to_text(text) if is_html else text


def filename_of(part):
    try:
        f = part.get_filename()
    except Exception:  # noqa: BLE001
        f = None
    if f is None:
        return ""
    return fix_surrogates(str(f))


def collect(part, text_part, nested, root, out):
    t, multi, message = ctype(part)
    if multi:
        for c in children_of(part):
            collect(c, text_part, nested, False, out)
        return
    if message:
        if not root:
            out.append({"filename": filename_of(part), "content_type": t,
                        "size": None, "sha256": None, "nested": nested})
        for c in part.get_payload():
            collect(c, text_part, True, False, out)
        return
    if part is text_part:
        return
    if t.startswith("message/"):
        return
    if t.startswith("text/") and not has_filename(part):
        return
    data = payload_bytes(part)
    out.append({"filename": filename_of(part), "content_type": t, "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(), "nested": nested})


# ------------------------------------------------------------------------------------------


def inspect(raw):
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    msg = email.message_from_bytes(raw, policy=POLICY)
    froms = address_list(msg, "from")
    j = {
        "message_id": plain_field(msg, "message-id") or "",
        "from": froms[0] if froms else None,
        "to": address_list(msg, "to"),
        "cc": address_list(msg, "cc"),
        "reply_to": address_list(msg, "reply-to"),
        "date": date_iso(msg),
        "subject": header_text(msg, "subject") or "",
        "in_reply_to": plain_field(msg, "in-reply-to"),
        "references": msg_ids(raw_header(msg, "references")),
        "auto_submitted": plain_field(msg, "auto-submitted"),
    }
    text_part, is_html = None, False
    for lenient in (False, True):
        text_part = find_text(msg, "text/plain", lenient)
        if text_part is None:
            text_part = find_text(msg, "text/html", lenient)
            is_html = text_part is not None
        if text_part is not None:
            break
    j["text"] = text_of(text_part, is_html) if text_part is not None else ""
    j["text_type"] = "" if text_part is None else ("text/html" if is_html else "text/plain")
    atts = []
    collect(msg, text_part, False, True, atts)
    j["attachments"] = atts
    j["defects"] = sorted({type(d).__name__ for p in msg.walk() for d in p.defects})
    return j


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    for path in argv[1:]:
        with open(path, "rb") as f:
            raw = f.read()
        try:
            j = inspect(raw)
        except Exception as e:  # noqa: BLE001 - report, keep going
            j = {"error": f"{type(e).__name__}: {e}"}
        j["file"] = path
        print(json.dumps(j, ensure_ascii=False, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
