#include "mail/mime_tree.hpp"

#include <cstring>

#include "mail/parse.hpp"
#include "mail/transfer_encoding.hpp"

namespace mailgate::mail {
namespace {

constexpr std::size_t kNoParent = static_cast<std::size_t>(-1);

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_wsp(char c) { return c == ' ' || c == '\t'; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (is_wsp(s.front()) || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (is_wsp(s.back()) || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

struct Line {
  std::size_t begin = 0;
  std::size_t end = 0;   // end of content, before the line break
  std::size_t next = 0;  // after the line break
};

class Splitter {
 public:
  Splitter(MimeTree& tree, const ParseLimits& limits, bool header_only)
      : tree_(tree), limits_(limits), header_only_(header_only) {}

  void run(std::string_view raw) {
    buf_ = raw;
    pos_ = 0;
    parse_entity(0, kNoParent);
  }

 private:
  // The line starting at `pos`. Line breaks: CRLF, LF, and a lone CR (old Mac mail).
  Line line_at(std::size_t pos) const {
    Line l;
    l.begin = pos;
    const char* data = buf_.data();
    std::size_t n = buf_.size();
    std::size_t lf = next_lf(pos);
    const void* cr = std::memchr(data + pos, '\r', lf - pos);
    std::size_t crpos = cr ? static_cast<std::size_t>(static_cast<const char*>(cr) - data) : lf;
    if (crpos < lf && crpos + 1 != lf) {  // lone CR
      l.end = crpos;
      l.next = crpos + 1;
    } else if (lf < n) {
      l.end = (crpos + 1 == lf) ? crpos : lf;
      l.next = lf + 1;
    } else {
      l.end = n;
      l.next = n;
    }
    return l;
  }

  // Position of the first LF at or after `pos` (or the size), remembering the last answer:
  // in text whose lines end in lone CRs, searching for the LF from every line would scan to
  // the end once per line, quadratic in the message size (found while fuzzing).
  std::size_t next_lf(std::size_t pos) const {
    if (lf_memo_.data != buf_.data() || lf_memo_.size != buf_.size() || pos < lf_memo_.from ||
        lf_memo_.lf < pos) {
      const void* nl = std::memchr(buf_.data() + pos, '\n', buf_.size() - pos);
      lf_memo_.data = buf_.data();
      lf_memo_.size = buf_.size();
      lf_memo_.from = pos;
      lf_memo_.lf =
          nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - buf_.data()) : buf_.size();
    }
    return lf_memo_.lf;
  }

  // Index in stack_ of the boundary this line delimits (innermost first), or -1.
  int match_delimiter(std::string_view content, bool& close) const {
    if (content.size() < 2 || content[0] != '-' || content[1] != '-') return -1;
    for (std::size_t k = stack_.size(); k-- > 0;) {
      const std::string& b = stack_[k];
      if (content.size() < 2 + b.size() || content.compare(2, b.size(), b) != 0) continue;
      std::string_view rest = content.substr(2 + b.size());
      bool is_close = rest.size() >= 2 && rest[0] == '-' && rest[1] == '-';
      if (is_close) rest.remove_prefix(2);
      bool ws_only = true;
      for (char c : rest) {
        if (!is_wsp(c)) {
          ws_only = false;
          break;
        }
      }
      if (!ws_only) continue;
      close = is_close;
      return static_cast<int>(k);
    }
    return -1;
  }

  struct Scan {
    std::size_t body_end = 0;
    int level = -1;  // delimiter found at pos_ (not consumed), or -1 at end of input
    bool close = false;
  };

  // Reads lines from pos_ up to the next delimiter of any open multipart.
  Scan scan_until_delimiter() {
    Scan s;
    std::size_t start = pos_;
    if (stack_.empty()) {
      s.body_end = buf_.size();
      pos_ = buf_.size();
      return s;
    }
    std::size_t prev_end = start;
    bool first = true;
    while (pos_ < buf_.size()) {
      Line l = line_at(pos_);
      bool close = false;
      int level = match_delimiter(buf_.substr(l.begin, l.end - l.begin), close);
      if (level >= 0) {
        // The line break before a delimiter belongs to the delimiter.
        s.body_end = first ? start : prev_end;
        s.level = level;
        s.close = close;
        return s;
      }
      first = false;
      prev_end = l.end;
      pos_ = l.next;
    }
    s.body_end = buf_.size();
    return s;
  }

  void defect(std::string text) {
    if (tree_.defects.size() < 200) tree_.defects.push_back(std::move(text));
  }

  // Reads header fields; true if a blank line ended them.
  bool read_header(MimeNode& node, bool may_have_envelope) {
    std::size_t header_bytes = 0;
    bool header_capped = false;
    bool line_capped = false;
    HeaderField* current = nullptr;
    while (pos_ < buf_.size()) {
      Line l = line_at(pos_);
      std::string_view content = buf_.substr(l.begin, l.end - l.begin);
      if (content.empty()) {
        pos_ = l.next;  // the blank line ends the header
        return true;
      }
      if (!stack_.empty() && content.size() >= 2 && content[0] == '-' && content[1] == '-') {
        bool close = false;
        if (match_delimiter(content, close) >= 0) return false;  // part without a body
      }
      // An mbox envelope line ("From sender date", or ">From " as mbox writers munge it).
      std::string_view envelope = content.substr(0, 1) == ">" ? content.substr(1) : content;
      if (may_have_envelope && header_bytes == 0 && envelope.substr(0, 5) == "From " &&
          envelope.find_first_not_of(' ', 4) != std::string_view::npos &&
          envelope[envelope.find_first_not_of(' ', 4)] != ':') {
        pos_ = l.next;  // an mbox envelope line at the top of an enclosed message
        header_bytes = l.next - l.begin;
        continue;
      }
      header_bytes += l.next - l.begin;
      if (header_bytes > limits_.max_header_bytes && !header_capped) {
        header_capped = true;
        defect("header block over " + std::to_string(limits_.max_header_bytes) +
               " bytes: the rest of it is ignored");
      }
      if (is_wsp(content[0])) {
        if (current == nullptr) {
          if (node.header.empty() && current == nullptr && header_bytes == l.next - l.begin) {
            return false;  // an entity starting with white space has no header at all
          }
        } else if (!header_capped) {
          std::size_t room = limits_.max_line_bytes > current->value.size()
                                 ? limits_.max_line_bytes - current->value.size()
                                 : 0;
          if (content.size() > room && !line_capped) {
            line_capped = true;
            defect("header field " + current->name + " over " +
                   std::to_string(limits_.max_line_bytes) + " bytes: truncated");
          }
          current->value.append(content.substr(0, room));
        }
        pos_ = l.next;
        continue;
      }
      std::size_t colon = content.find(':');
      std::string_view name =
          colon == std::string_view::npos ? std::string_view{} : content.substr(0, colon);
      while (!name.empty() && is_wsp(name.back())) name.remove_suffix(1);
      bool valid = !name.empty() && name.size() <= 200;
      for (char c : name) {
        auto u = static_cast<unsigned char>(c);
        if (u <= 32 || u >= 127) {
          valid = false;
          break;
        }
      }
      if (!valid) {
        defect("missing blank line between header and body");
        return false;  // this line starts the body
      }
      if (!header_capped) {
        std::string_view value = content.substr(colon + 1);
        if (value.size() > limits_.max_line_bytes) {
          if (!line_capped) {
            line_capped = true;
            defect("header field " + std::string(name) + " over " +
                   std::to_string(limits_.max_line_bytes) + " bytes: truncated");
          }
          value = value.substr(0, limits_.max_line_bytes);
        }
        node.header.push_back(HeaderField{std::string(name), std::string(value)});
        current = &node.header.back();
      } else {
        current = nullptr;
      }
      pos_ = l.next;
    }
    return false;
  }

  bool room_for_node() {
    if (tree_.nodes.size() < limits_.max_parts) return true;
    if (!parts_capped_) {
      parts_capped_ = true;
      defect("more than " + std::to_string(limits_.max_parts) + " MIME parts: the rest is ignored");
    }
    return false;
  }

  // Parses one entity at pos_; returns its index. Leaves pos_ at the delimiter line that ended
  // it (not consumed) or at the end of the input.
  std::size_t parse_entity(std::size_t depth, std::size_t parent) {
    std::size_t idx = tree_.nodes.size();
    tree_.nodes.emplace_back();
    tree_.nodes[idx].parent = parent;
    tree_.nodes[idx].depth = depth;
    if (parent != kNoParent) tree_.nodes[parent].children.push_back(idx);

    last_void_ = false;
    // A whole message (not a MIME part) may start with an mbox "From " line.
    bool whole_message =
        parent == kNoParent || tree_.nodes[parent].kind == MimeNode::Kind::kMessage;
    bool separated = read_header(tree_.nodes[idx], whole_message);
    for (HeaderField& f : tree_.nodes[idx].header) {
      std::string_view t = trim(f.value);
      if (t.size() != f.value.size()) f.value = std::string(t);
    }

    // Content-Type, with the defaults of RFC 2045/2046.
    MimeNode& node = tree_.nodes[idx];
    bool in_digest =
        parent != kNoParent && tree_.nodes[parent].content_type.value == "multipart/digest";
    std::string fallback = in_digest ? "message/rfc822" : "text/plain";
    if (const std::string* ct = node.field("Content-Type")) {
      node.content_type = parse_param_header(*ct, &tree_.defects, "content-type");
      node.content_type_declared = true;
      const std::string& v = node.content_type.value;
      std::size_t slash = v.find('/');
      if (slash == std::string::npos || slash == 0 || slash + 1 == v.size()) {
        defect("invalid content-type \"" + v.substr(0, 64) + "\", read as " + fallback);
        node.content_type.value = fallback;
      }
    } else {
      node.content_type.value = fallback;
    }
    const std::string type = node.content_type.value;
    if (header_only_) return idx;  // an oversized message: its body is not looked at

    if (type.rfind("multipart/", 0) == 0) {
      const ParamValue* b = node.content_type.find("boundary");
      // An explicitly empty boundary means "--" lines delimit (as Python and MimeKit read it).
      std::string boundary = b ? b->value : std::string();
      if (b == nullptr || boundary.size() > limits_.max_line_bytes) {
        defect(type + " without a boundary: read as text");
        node.content_type.value = "text/plain";
      } else if (depth + 1 >= limits_.max_depth) {
        defect("MIME nesting deeper than " + std::to_string(limits_.max_depth) +
               ": inner parts ignored");
      } else {
        node.kind = MimeNode::Kind::kMultipart;
        parse_multipart(idx, std::move(boundary));
        return idx;
      }
    } else if (type == "message/rfc822" || type == "message/global") {
      if (depth + 1 < limits_.max_depth) {
        tree_.nodes[idx].kind = MimeNode::Kind::kMessage;
        parse_message_body(idx);
        return idx;
      }
      defect("MIME nesting deeper than " + std::to_string(limits_.max_depth) +
             ": inner message not parsed");
    }
    std::size_t body_start = pos_;
    Scan s = scan_until_delimiter();
    tree_.nodes[idx].body = buf_.substr(body_start, s.body_end - body_start);
    last_void_ = !separated && tree_.nodes[idx].header.empty() && tree_.nodes[idx].body.empty();
    return idx;
  }

  void parse_message_body(std::size_t idx) {
    const std::string* cte = tree_.nodes[idx].field("Content-Transfer-Encoding");
    TransferEncoding te = cte ? parse_transfer_encoding(*cte) : TransferEncoding::kIdentity;
    std::size_t body_start = pos_;
    if (te == TransferEncoding::kBase64 || te == TransferEncoding::kQuotedPrintable) {
      // Not allowed by RFC 2046, sent anyway: decode, then parse the decoded bytes.
      Scan s = scan_until_delimiter();
      tree_.arena.push_back(decode_transfer(buf_.substr(body_start, s.body_end - body_start), te));
      std::string_view decoded = tree_.arena.back();
      tree_.nodes[idx].body = decoded;
      if (!room_for_node()) return;
      std::string_view saved_buf = buf_;
      std::size_t saved_pos = pos_;
      std::vector<std::string> saved_stack;
      saved_stack.swap(stack_);
      buf_ = decoded;
      pos_ = 0;
      parse_entity(tree_.nodes[idx].depth + 1, idx);
      buf_ = saved_buf;
      pos_ = saved_pos;
      stack_.swap(saved_stack);
      return;
    }
    if (!room_for_node()) {
      Scan s = scan_until_delimiter();
      tree_.nodes[idx].body = buf_.substr(body_start, s.body_end - body_start);
      return;
    }
    parse_entity(tree_.nodes[idx].depth + 1, idx);
    // The enclosed message ends where its last entity ended, before the delimiter's line break.
    std::size_t end = pos_;
    if (end < buf_.size() && end > body_start) {
      if (buf_[end - 1] == '\n') {
        --end;
        if (end > body_start && buf_[end - 1] == '\r') --end;
      } else if (buf_[end - 1] == '\r') {
        --end;
      }
    }
    tree_.nodes[idx].body = buf_.substr(body_start, end - body_start);
  }

  void parse_multipart(std::size_t idx, std::string boundary) {
    stack_.push_back(std::move(boundary));
    const int mine = static_cast<int>(stack_.size()) - 1;
    const std::string type = tree_.nodes[idx].content_type.value;
    Scan s = scan_until_delimiter();  // the preamble
    bool any_part = false;
    while (true) {
      if (s.level < 0) {
        defect(any_part ? type + ": closing boundary missing" : type + ": no boundary found");
        break;
      }
      if (s.level != mine) {
        defect(type + ": closing boundary missing");
        break;
      }
      pos_ = line_at(pos_).next;  // consume the delimiter line
      if (s.close) {
        stack_.pop_back();
        scan_until_delimiter();  // the epilogue runs to an outer delimiter or the end
        return;
      }
      any_part = true;
      if (!room_for_node()) {
        s = scan_until_delimiter();
        continue;
      }
      std::size_t child = parse_entity(tree_.nodes[idx].depth + 1, idx);
      if (last_void_ && child + 1 == tree_.nodes.size()) {
        // Two delimiters in a row: no header, no blank line, no body is no part.
        tree_.nodes[idx].children.pop_back();
        tree_.nodes.pop_back();
      }
      s = peek_delimiter();
    }
    stack_.pop_back();
  }

  // The delimiter at pos_ (where parse_entity stopped), or level -1 at the end.
  Scan peek_delimiter() const {
    Scan s;
    if (pos_ >= buf_.size()) return s;
    Line l = line_at(pos_);
    bool close = false;
    s.level = match_delimiter(buf_.substr(l.begin, l.end - l.begin), close);
    s.close = close;
    return s;
  }

  MimeTree& tree_;
  const ParseLimits& limits_;
  bool header_only_;
  std::string_view buf_;
  std::size_t pos_ = 0;
  std::vector<std::string> stack_;  // boundaries of the open multiparts, outermost first
  bool parts_capped_ = false;
  bool last_void_ = false;  // the entity just parsed had nothing at all
  struct LfMemo {
    const char* data = nullptr;
    std::size_t size = 0;
    std::size_t from = 0;  // the LF at `lf` is the first one at or after `from`
    std::size_t lf = 0;
  };
  mutable LfMemo lf_memo_;
};

}  // namespace

const std::string* MimeNode::field(std::string_view name) const {
  for (const HeaderField& f : header) {
    if (iequals(f.name, name)) return &f.value;
  }
  return nullptr;
}

MimeTree build_mime_tree(std::string_view raw, const ParseLimits& limits, bool header_only) {
  MimeTree tree;
  Splitter splitter(tree, limits, header_only);
  splitter.run(raw);
  return tree;
}

}  // namespace mailgate::mail
