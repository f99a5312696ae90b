// to_json: the `mailgate inspect` form of a Message (see parse.hpp).
#include <nlohmann/json.hpp>

#include "mail/parse.hpp"

namespace mailgate::mail {
namespace {

nlohmann::json address_json(const Address& a) {
  return nlohmann::json{{"name", a.name}, {"address", a.address}};
}

nlohmann::json address_list_json(const std::vector<Address>& list) {
  nlohmann::json arr = nlohmann::json::array();
  for (const Address& a : list) arr.push_back(address_json(a));
  return arr;
}

template <typename T>
nlohmann::json optional_json(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

std::string to_json(const Message& m) {
  nlohmann::json j;
  j["message_id"] = m.message_id;
  j["from"] = m.from ? address_json(*m.from) : nlohmann::json(nullptr);
  j["to"] = address_list_json(m.to);
  j["cc"] = address_list_json(m.cc);
  j["reply_to"] = address_list_json(m.reply_to);
  j["date"] = optional_json(m.date);
  j["subject"] = m.subject;
  j["in_reply_to"] = optional_json(m.in_reply_to);
  j["references"] = m.references;
  j["auto_submitted"] = optional_json(m.auto_submitted);
  j["text"] = m.text;
  j["text_type"] = m.text_type;
  nlohmann::json atts = nlohmann::json::array();
  for (const Attachment& a : m.attachments) {
    atts.push_back({{"filename", a.filename},
                    {"content_type", a.content_type},
                    {"size", a.size},
                    {"sha256", a.sha256},
                    {"nested", a.nested}});
  }
  j["attachments"] = std::move(atts);
  j["defects"] = m.defects;
  if (m.oversized) j["oversized"] = true;
  // Every string is UTF-8 already; `replace` guards the output against any slip.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace mailgate::mail
