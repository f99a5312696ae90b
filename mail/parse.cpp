#include "mail/parse.hpp"

#include <algorithm>
#include <cctype>

#include "mail/address.hpp"
#include "mail/charset.hpp"
#include "mail/date.hpp"
#include "mail/digest.hpp"
#include "mail/html_text.hpp"
#include "mail/mime_tree.hpp"
#include "mail/rfc2047.hpp"
#include "mail/rfc2231.hpp"
#include "mail/transfer_encoding.hpp"

namespace mailgate::mail {
namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);
constexpr std::size_t kMaxDefects = 100;

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && is_ws(s[b])) ++b;
  while (e > b && is_ws(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

// True if the line at the start of `s` is an mbox "From sender date" envelope line, not a
// "From  : name <addr>" header field written with white space before the colon (RFC 5322
// obs-optional).
bool is_envelope_line(std::string_view s) {
  if (s.substr(0, 5) != "From ") return false;
  std::size_t k = 5;
  while (k < s.size() && (s[k] == ' ' || s[k] == '\t')) ++k;
  return k >= s.size() || s[k] != ':';
}

// Removes a UTF-8 byte order mark and an mbox "From " envelope line.
std::string_view strip_envelope(std::string_view raw) {
  if (raw.substr(0, 3) == "\xEF\xBB\xBF") raw.remove_prefix(3);
  if (is_envelope_line(raw)) {
    std::size_t nl = raw.find('\n');
    raw = nl == std::string_view::npos ? std::string_view{} : raw.substr(nl + 1);
  }
  return raw;
}

// CRLF and lone CR become LF.
std::string normalize_newlines(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\r') {
      out.push_back('\n');
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

class MessageBuilder {
 public:
  MessageBuilder(const MimeTree& tree, Message& msg, std::vector<std::string>* bytes_out = nullptr)
      : tree_(tree), msg_(msg), bytes_out_(bytes_out) {}

  void build() {
    hint_ = body_charset_hint();
    read_headers();
    choose_text();
    collect_attachments(0, false);
  }

 private:
  const MimeNode& node(std::size_t i) const { return tree_.nodes[i]; }

  std::vector<std::string>* defects() { return &msg_.defects; }

  // Canonical charset of the first text part that declares one: raw 8-bit header text was
  // most likely written by the same program in the same charset.
  std::string body_charset_hint() const {
    std::string hint;
    for (const MimeNode& n : tree_.nodes) {
      if (n.kind != MimeNode::Kind::kLeaf) continue;
      if (n.content_type.value.rfind("text/", 0) != 0) continue;
      const ParamValue* cs = n.content_type.find("charset");
      if (cs == nullptr) continue;
      hint = canonical_charset(cs->value);
      if (hint == "US-ASCII" || hint == "UTF-8") hint.clear();
      if (!hint.empty()) break;
    }
    return hint;
  }

  void read_headers() {
    const MimeNode& root = node(0);
    if (const std::string* v = root.field("Message-ID")) msg_.message_id = sanitize_utf8(trim(*v));
    if (const std::string* v = root.field("From")) {
      auto list = parse_address_list(*v, defects(), "from", hint_);
      if (!list.empty()) msg_.from = std::move(list.front());
    }
    if (const std::string* v = root.field("To")) {
      msg_.to = parse_address_list(*v, defects(), "to", hint_);
    }
    if (const std::string* v = root.field("Cc")) {
      msg_.cc = parse_address_list(*v, defects(), "cc", hint_);
    }
    if (const std::string* v = root.field("Reply-To")) {
      msg_.reply_to = parse_address_list(*v, defects(), "reply-to", hint_);
    }
    if (const std::string* v = root.field("Date")) {
      msg_.date = parse_date(*v);
      if (!msg_.date) {
        msg_.defects.push_back("date: cannot parse \"" + sanitize_utf8(v->substr(0, 80)) + "\"");
      }
    }
    if (const std::string* v = root.field("Subject")) {
      msg_.subject = decode_header_text(*v, defects(), "subject", hint_);
    }
    if (const std::string* v = root.field("In-Reply-To")) {
      std::string t = sanitize_utf8(trim(*v));
      if (!t.empty()) msg_.in_reply_to = std::move(t);
    }
    if (const std::string* v = root.field("References")) msg_.references = split_msg_ids(*v);
    if (const std::string* v = root.field("Auto-Submitted")) {
      std::string t = sanitize_utf8(trim(*v));
      if (!t.empty()) msg_.auto_submitted = std::move(t);
    }
  }

  static std::vector<std::string> split_msg_ids(std::string_view v) {
    std::vector<std::string> ids;
    std::size_t i = 0;
    bool any_angle = v.find('<') != std::string_view::npos;
    while (i < v.size()) {
      if (any_angle) {
        std::size_t b = v.find('<', i);
        if (b == std::string_view::npos) break;
        std::size_t e = v.find('>', b + 1);
        if (e == std::string_view::npos) break;
        std::string id = sanitize_utf8(v.substr(b, e - b + 1));
        // Folding inside an id is an artefact of line length, not part of the id.
        std::string clean;
        for (char c : id) {
          if (!is_ws(c)) clean.push_back(c);
        }
        if (clean.size() > 2) ids.push_back(std::move(clean));
        i = e + 1;
      } else {
        while (i < v.size() && (is_ws(v[i]) || v[i] == ',')) ++i;
        std::size_t b = i;
        while (i < v.size() && !is_ws(v[i]) && v[i] != ',') ++i;
        if (i > b) ids.push_back(sanitize_utf8(v.substr(b, i - b)));
      }
    }
    return ids;
  }

  ParamHeader disposition(const MimeNode& n) {
    if (const std::string* d = n.field("Content-Disposition")) {
      return parse_param_header(*d, defects(), "content-disposition", hint_);
    }
    return {};
  }

  std::optional<std::string> filename(const MimeNode& n, const ParamHeader& disp) {
    if (auto f = decoded_param(disp, "filename", defects(), "filename", hint_)) {
      if (!f->empty()) return f;
    }
    if (auto f = decoded_param(n.content_type, "name", defects(), "filename", hint_)) {
      if (!f->empty()) return f;
    }
    return std::nullopt;
  }

  // Content-Disposition attachment, or a file name without an explicit "inline" (clients show
  // an inline text part with a file name as part of the body).
  bool is_attachment_part(const MimeNode& n) {
    ParamHeader disp = disposition(n);
    if (disp.value == "attachment") return true;
    if (disp.value == "inline") return false;
    return disp.find("filename") != nullptr || n.content_type.find("name") != nullptr;
  }

  bool has_filename(const MimeNode& n) {
    ParamHeader disp = disposition(n);
    return disp.value == "attachment" || disp.find("filename") != nullptr ||
           n.content_type.find("name") != nullptr;
  }

  // Python's email get_body() order: the first text/plain not an attachment, descending into
  // every multipart except multipart/related (only its start part), never into attached
  // messages; else the first text/html found the same way.
  // `lenient`: a part with a file name but no "attachment" disposition is acceptable too.
  std::size_t find_text(std::size_t i, std::string_view type, bool lenient) {
    const MimeNode& n = node(i);
    if (n.kind == MimeNode::Kind::kMessage) return kNone;
    if (n.kind == MimeNode::Kind::kLeaf) {
      if (n.content_type.value != type) return kNone;
      if (lenient) return disposition(n).value == "attachment" ? kNone : i;
      return is_attachment_part(n) ? kNone : i;
    }
    if (n.children.empty()) return kNone;
    if (n.content_type.value == "multipart/related") {
      std::size_t start = n.children.front();
      if (const ParamValue* s = n.content_type.find("start")) {
        std::string want = trim(s->value);
        for (std::size_t c : n.children) {
          const std::string* cid = node(c).field("Content-ID");
          if (cid && trim(*cid) == want) {
            start = c;
            break;
          }
        }
      }
      return find_text(start, type, lenient);
    }
    for (std::size_t c : n.children) {
      std::size_t r = find_text(c, type, lenient);
      if (r != kNone) return r;
    }
    return kNone;
  }

  std::string decoded_body(const MimeNode& n, std::string_view what) {
    const std::string* cte = n.field("Content-Transfer-Encoding");
    TransferEncoding te = cte ? parse_transfer_encoding(*cte) : TransferEncoding::kIdentity;
    if (te == TransferEncoding::kUnknown) {
      msg_.defects.push_back(std::string(what) + ": unknown transfer encoding \"" +
                             sanitize_utf8(cte->substr(0, 40)) + "\", used as is");
    }
    return decode_transfer(n.body, te);
  }

  void choose_text() {
    std::size_t idx = kNone;
    bool html = false;
    // A named text part without an "attachment" disposition is the body only when nothing
    // else is: clients show such parts inline.
    for (bool lenient : {false, true}) {
      idx = find_text(0, "text/plain", lenient);
      if (idx == kNone) {
        idx = find_text(0, "text/html", lenient);
        html = idx != kNone;
      }
      if (idx != kNone) break;
    }
    if (idx == kNone) return;
    text_node_ = idx;
    const MimeNode& n = node(idx);
    std::string bytes = decoded_body(n, "body");
    std::string declared;
    if (const ParamValue* cs = n.content_type.find("charset")) declared = cs->value;
    if (html && declared.empty()) declared = html_meta_charset(bytes);
    std::string text = to_utf8(bytes, declared, defects(), "body");
    if (html) {
      msg_.text = html_to_text(normalize_newlines(text));
      msg_.text_type = "text/html";
    } else {
      msg_.text = normalize_newlines(text);
      msg_.text_type = "text/plain";
    }
  }

  void add_attachment(const MimeNode& n, std::string_view bytes, bool nested) {
    Attachment a;
    ParamHeader disp = disposition(n);
    if (auto f = filename(n, disp)) a.filename = std::move(*f);
    a.content_type = n.content_type.value;
    a.size = bytes.size();
    a.sha256 = sha256_hex(bytes);
    a.nested = nested;
    msg_.attachments.push_back(std::move(a));
    if (bytes_out_ != nullptr) bytes_out_->emplace_back(bytes);
  }

  void collect_attachments(std::size_t i, bool nested) {
    const MimeNode& n = node(i);
    switch (n.kind) {
      case MimeNode::Kind::kMultipart:
        for (std::size_t c : n.children) collect_attachments(c, nested);
        return;
      case MimeNode::Kind::kMessage:
        // The enclosed message is one attachment; its own attachments are listed as nested.
        if (i != 0) add_attachment(n, n.body, nested);
        for (std::size_t c : n.children) collect_attachments(c, true);
        return;
      case MimeNode::Kind::kLeaf:
        break;
    }
    if (i == text_node_) return;
    const std::string& type = n.content_type.value;
    bool message = type.rfind("message/", 0) == 0;
    bool attachment;
    if (message) {
      // Delivery reports, read receipts, partial and external bodies are not documents.
      attachment = type == "message/rfc822" || type == "message/global";
    } else if (type.rfind("multipart/", 0) == 0) {
      attachment = false;
    } else {
      attachment = type.rfind("text/", 0) != 0 || has_filename(n);
    }
    if (!attachment) return;
    if (message) {
      add_attachment(n, n.body, nested);
    } else {
      std::string bytes = decoded_body(n, "attachment");
      add_attachment(n, bytes, nested);
    }
  }

  const MimeTree& tree_;
  Message& msg_;
  std::vector<std::string>* bytes_out_;  // the decoded attachment bytes, when asked for
  std::string hint_;
  std::size_t text_node_ = kNone;
};

// Every string leaves as valid UTF-8 without NUL characters (PostgreSQL text refuses NUL).
void clean(std::string& s) {
  if (!is_valid_utf8(s)) s = sanitize_utf8(s);
  if (s.find('\0') != std::string::npos) s.erase(std::remove(s.begin(), s.end(), '\0'), s.end());
}

void clean(Address& a) {
  clean(a.name);
  clean(a.address);
}

void clean(Message& m) {
  clean(m.message_id);
  if (m.from) clean(*m.from);
  for (auto* list : {&m.to, &m.cc, &m.reply_to}) {
    for (Address& a : *list) clean(a);
  }
  clean(m.subject);
  if (m.in_reply_to) clean(*m.in_reply_to);
  for (std::string& r : m.references) clean(r);
  if (m.auto_submitted) clean(*m.auto_submitted);
  clean(m.text);
  for (Attachment& a : m.attachments) {
    clean(a.filename);
    clean(a.content_type);
  }
  for (std::string& d : m.defects) clean(d);
  for (HeaderField& f : m.header) {
    clean(f.name);
    clean(f.value);
  }
}

}  // namespace

std::vector<std::string> attachment_bytes(std::string_view raw, const ParseLimits& limits) {
  raw = strip_envelope(raw);
  std::vector<std::string> out;
  if (raw.size() > limits.max_message_bytes) return out;
  MimeTree tree = build_mime_tree(raw, limits);
  Message msg;
  MessageBuilder(tree, msg, &out).build();
  return out;
}

const std::string* Message::field(std::string_view name) const {
  for (const HeaderField& f : header) {
    if (f.name.size() == name.size() &&
        std::equal(name.begin(), name.end(), f.name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return &f.value;
    }
  }
  return nullptr;
}

Message parse_message(std::string_view raw, const ParseLimits& limits) {
  raw = strip_envelope(raw);
  if (raw.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    throw ParseError("empty message");
  }
  bool oversized = raw.size() > limits.max_message_bytes;
  MimeTree tree = build_mime_tree(raw, limits, oversized);
  Message msg;
  msg.defects = std::move(tree.defects);
  if (oversized) {
    msg.oversized = true;
    msg.defects.push_back("message of " + std::to_string(raw.size()) + " bytes is over the " +
                          std::to_string(limits.max_message_bytes) +
                          "-byte limit: only its header was read");
  }
  if (tree.nodes[0].header.empty()) {
    // Header-less text (a digest fragment, a saved body) is still worth reading; binary data
    // is not a message at all.
    if (raw.substr(0, 4096).find('\0') != std::string_view::npos) {
      throw ParseError("no header fields and binary content: not an RFC 5322 message");
    }
    msg.defects.push_back("no header fields");
  }
  MessageBuilder(tree, msg).build();
  if (oversized) {
    msg.text.clear();
    msg.text_type.clear();
    msg.attachments.clear();
  }
  for (const HeaderField& f : tree.nodes[0].header) {
    msg.header.push_back({sanitize_utf8(f.name), sanitize_utf8(f.value)});
  }
  clean(msg);
  if (msg.defects.size() > kMaxDefects) {
    std::size_t dropped = msg.defects.size() - kMaxDefects;
    msg.defects.resize(kMaxDefects);
    msg.defects.push_back("... and " + std::to_string(dropped) + " more defects");
  }
  return msg;
}

}  // namespace mailgate::mail
