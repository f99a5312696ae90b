#!/usr/bin/python3
"""Differential test: `mailgate inspect` against an independent reference.

Runs `mailgate inspect` and inspect_reference.py (Python's email package) over every .eml file
in DATA/corpus/mime and DATA/corpus/ru and compares, after normalising white space (CRLF, runs
of spaces, tabs, newlines and U+00A0 are one space; ends trimmed; NUL dropped):
subject, from, to, cc, date, message_id, in_reply_to, references, text, and for each
attachment filename, size and sha256 (the attachment lists must have the same length).

Truth per message: DATA/corpus/ru/expected.jsonl (the generator's ground truth) where it has
the file, otherwise the reference. Comparison rules:
  * size/sha256 of message/rfc822 attachments are not compared: Python does not keep the raw
    bytes of an enclosed message (expected.jsonl records null for them as well);
  * an address whose truth has no display name agrees with ours when the addresses are equal
    and our name is the comment of an old-style "addr (Full Name)" field.
A difference listed in known_differences.json (file + field + reason, each also described in
DATA/KNOWN_DIFFERENCES.md) is explained. Prints the agreement rates and every disagreement;
exits 1 if fewer than 99% of the messages agree on every field (explained differences counted
as agreement), if any difference is unexplained, or if a listed difference no longer occurs
or is missing from KNOWN_DIFFERENCES.md.
"""

import argparse
import concurrent.futures
import json
import os
import subprocess
import sys
from email.header import decode_header, make_header

HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = 0.99
ADDRESS_FIELDS = ("from", "to", "cc")
SCALAR_FIELDS = ("subject", "date", "message_id", "in_reply_to")


def norm(s):
    if s is None:
        return None
    return " ".join(str(s).replace("\0", "").split())


def run_mailgate(mailgate, path):
    p = subprocess.run([mailgate, "inspect", path], capture_output=True, timeout=120)
    if p.returncode != 0:
        err = p.stderr.decode("utf-8", "replace").strip() or f"exit {p.returncode}"
        return {"error": err}
    return json.loads(p.stdout.decode("utf-8"))


def run_reference(reference, paths):
    out = {}
    chunk = 100
    for i in range(0, len(paths), chunk):
        part = paths[i:i + chunk]
        p = subprocess.run([sys.executable, reference, *part], capture_output=True,
                           check=True, timeout=600)
        for line in p.stdout.decode("utf-8").splitlines():
            j = json.loads(line)
            out[j["file"]] = j
    return out


def from_expected(e):
    """expected.jsonl spelling -> the inspect spelling."""
    def addrs(lst):
        return [{"name": a.get("name") or "", "address": a.get("addr") or ""} for a in lst or []]
    froms = addrs(e.get("from"))
    return {
        "message_id": e.get("message_id") or "",
        "from": froms[0] if froms else None,
        "to": addrs(e.get("to")),
        "cc": addrs(e.get("cc")),
        "date": e.get("date"),
        "subject": e.get("subject") or "",
        "in_reply_to": e.get("in_reply_to"),
        "references": e.get("references") or [],
        "text": e.get("body") or "",
        "attachments": [{"filename": a.get("filename") or "", "size": a.get("size"),
                         "sha256": a.get("sha256"), "content_type": a.get("content_type")}
                        for a in e.get("attachments") or []],
    }


def raw_field(path, name):
    """The first header field `name` of a file, unfolded, encoded-words decoded."""
    with open(path, "rb") as f:
        raw = f.read()
    head = raw.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0].decode("utf-8", "replace")
    lines, cur = [], None
    for line in head.split("\n"):
        if line[:1] in (" ", "\t") and cur is not None:
            cur += line
            continue
        if cur is not None:
            lines.append(cur)
        cur = line
    if cur is not None:
        lines.append(cur)
    for line in lines:
        k, sep, v = line.partition(":")
        if sep and k.strip().lower() == name:
            try:
                return str(make_header(decode_header(v)))
            except Exception:  # noqa: BLE001
                return v
    return ""


def show(v):
    return json.dumps(v, ensure_ascii=False)


def addr_show(a):
    if a is None:
        return "null"
    return f"{a.get('name', '')} <{a.get('address', '')}>"


def compare(path, ours, truth):
    """[(field, ours, truth)] for every difference."""
    diffs = []
    if "error" in ours:
        return [("inspect", ours["error"], "a parsed message")]
    if "error" in truth:
        return [("reference", "a parsed message", truth["error"])]
    for f in SCALAR_FIELDS:
        if norm(ours.get(f)) != norm(truth.get(f)):
            diffs.append((f, show(ours.get(f)), show(truth.get(f))))
    if [norm(r) for r in ours.get("references") or []] != \
            [norm(r) for r in truth.get("references") or []]:
        diffs.append(("references", show(ours.get("references")),
                      show(truth.get("references"))))
    if norm(ours.get("text")) != norm(truth.get("text")):
        diffs.append(("text", show(ours.get("text")), show(truth.get("text"))))

    def addr_agrees(field, a, b):
        if a is None or b is None:
            return a is None and b is None
        if norm(a["address"]) != norm(b["address"]):
            return False
        if norm(a["name"]) == norm(b["name"]):
            return True
        # "addr (Full Name)": we read the comment as the name, Python drops it.
        if not norm(b["name"]) and norm(a["name"]):
            raw = norm(raw_field(path, field))
            return "(" in raw and norm(a["name"]) in raw
        return False

    for f in ADDRESS_FIELDS:
        a, b = ours.get(f), truth.get(f)
        if f == "from":
            same = addr_agrees(f, a, b)
            shown = (addr_show(a), addr_show(b))
        else:
            same = len(a) == len(b) and all(addr_agrees(f, x, y) for x, y in zip(a, b))
            shown = ("[" + ", ".join(addr_show(x) for x in a) + "]",
                     "[" + ", ".join(addr_show(y) for y in b) + "]")
        if not same:
            diffs.append((f, *shown))

    oa, ta = ours.get("attachments") or [], truth.get("attachments") or []
    if len(oa) != len(ta):
        def brief(lst):
            return show([f"{x.get('filename')} ({x.get('content_type')}, {x.get('size')})"
                         for x in lst])
        diffs.append(("attachments", brief(oa), brief(ta)))
    else:
        for i, (x, y) in enumerate(zip(oa, ta)):
            if norm(x.get("filename")) != norm(y.get("filename")):
                diffs.append((f"attachments[{i}].filename", show(x.get("filename")),
                              show(y.get("filename"))))
            if y.get("size") is None or str(y.get("content_type", "")).startswith("message/"):
                continue
            if x.get("size") != y.get("size"):
                diffs.append((f"attachments[{i}].size", show(x.get("size")), show(y.get("size"))))
            if x.get("sha256") != y.get("sha256"):
                diffs.append((f"attachments[{i}].sha256", show(x.get("sha256")),
                              show(y.get("sha256"))))
    return diffs


def clip(s, n=300):
    return s if len(s) <= n else s[:n] + f"... ({len(s)} chars)"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mailgate", required=True, help="the mailgate binary")
    ap.add_argument("--data", required=True, help="tests/data")
    ap.add_argument("--reference", default=os.path.join(HERE, "inspect_reference.py"))
    ap.add_argument("--known", default=os.path.join(HERE, "known_differences.json"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--full", action="store_true", help="do not shorten long values")
    args = ap.parse_args()

    corpus = os.path.join(args.data, "corpus")
    paths = []
    for sub in ("mime", "ru"):
        for root, _dirs, files in os.walk(os.path.join(corpus, sub)):
            paths += [os.path.join(root, f) for f in files if f.endswith(".eml")]
    paths.sort()
    if not paths:
        print(f"no .eml files under {corpus}")
        return 1

    expected = {}
    exp_path = os.path.join(corpus, "ru", "expected.jsonl")
    if os.path.exists(exp_path):
        with open(exp_path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    e = json.loads(line)
                    expected[os.path.join(corpus, "ru", e["file"])] = from_expected(e)

    with open(args.known, encoding="utf-8") as f:
        known_list = json.load(f)["differences"]
    known = {(k["file"], k["field"]): k for k in known_list}
    md_path = os.path.join(args.data, "KNOWN_DIFFERENCES.md")
    with open(md_path, encoding="utf-8") as f:
        md = f.read()
    undocumented = [k for k in known if f"`{k[0]}` {k[1]}:" not in md]

    reference = run_reference(args.reference, paths)
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        ours = dict(zip(paths, ex.map(lambda p: run_mailgate(args.mailgate, p), paths)))

    def rel(p):
        return os.path.relpath(p, corpus)

    clipn = 10**9 if args.full else 300
    raw_agree = agree = 0
    unexplained, explained, used = [], [], set()
    field_counts = {}
    ref_vs_truth = []
    for p in paths:
        truth = expected.get(p, reference[p])
        diffs = compare(p, ours[p], truth)
        if p in expected:
            ref_vs_truth.append((p, [d[0] for d in compare(p, reference[p], truth)]))
        raw_agree += not diffs
        bad = False
        for field, o, t in diffs:
            field_counts[field] = field_counts.get(field, 0) + 1
            k = known.get((rel(p), field))
            line = f"{rel(p)} {field}:\n    mailgate:  {clip(o, clipn)}\n    " \
                   f"{'expected' if p in expected else 'reference'}: {clip(t, clipn)}"
            if k is not None:
                used.add((rel(p), field))
                explained.append(f"{line}\n    known:     {k['reason']}")
            else:
                bad = True
                unexplained.append(line)
        agree += not bad

    n = len(paths)
    print(f"DifferentialParse: {n} messages ({len(expected)} with expected.jsonl as truth)")
    if explained:
        print(f"\n== {len(explained)} known differences (tests/data/KNOWN_DIFFERENCES.md) ==")
        for e in explained:
            print(e)
    if unexplained:
        print(f"\n== {len(unexplained)} UNEXPLAINED differences ==")
        for u in unexplained:
            print(u)
    stale = [k for k in known if k not in used]
    if stale:
        print(f"\n== {len(stale)} known differences that no longer occur (remove them from "
              "known_differences.json and KNOWN_DIFFERENCES.md) ==")
        for f, fld in stale:
            print(f"{f} {fld}")
    if undocumented:
        print(f"\n== {len(undocumented)} known differences missing from {md_path} ==")
        for f, fld in undocumented:
            print(f"`{f}` {fld}:")
    if field_counts:
        print("\ndifferences by field: " +
              ", ".join(f"{k} {v}" for k, v in sorted(field_counts.items())))
    ref_ok = sum(1 for _p, d in ref_vs_truth if not d)
    if ref_vs_truth:
        print(f"reference vs expected.jsonl (information only): {ref_ok}/{len(ref_vs_truth)} "
              "messages agree on every field")
    rate = agree / n
    print(f"\nagreement on every field, before known differences: {raw_agree}/{n} = "
          f"{100.0 * raw_agree / n:.1f}%")
    print(f"agreement on every field, known differences explained: {agree}/{n} = "
          f"{100.0 * rate:.1f}% (target {100 * TARGET:.0f}%)")
    problems = []
    if rate < TARGET:
        problems.append("agreement below target")
    if unexplained:
        problems.append(f"{len(unexplained)} unexplained differences")
    if stale:
        problems.append(f"{len(stale)} stale known differences")
    if undocumented:
        problems.append(f"{len(undocumented)} known differences not in KNOWN_DIFFERENCES.md")
    if problems:
        print("FAIL: " + "; ".join(problems))
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
