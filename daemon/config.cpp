#include "daemon/config.hpp"

#include <toml++/toml.h>
#include <unistd.h>
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <set>
#include <sstream>

#include "daemon/config_reader.hpp"
#include "daemon/template_loader.hpp"
#include "storage/regno.hpp"

namespace mailgate::daemon {
namespace {

const char* const kDefaultConfig = "/etc/mailgate/mailgate.toml";

using config_schema::TableReader;
using config_schema::where;

}  // namespace

std::filesystem::path default_rules_dir() {
  // A binary inside its build tree uses the rules of the source tree it was built from, so
  // an administrator (or a test) can try the shipped rules without installing anything.
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::string build_dir = MAILGATE_BUILD_DIR;
  if (!ec && self.string().rfind(build_dir + "/", 0) == 0) {
    return std::filesystem::path(MAILGATE_SOURCE_DIR) / "rules";
  }
  return std::filesystem::path(MAILGATE_DATA_DIR) / "rules";
}

std::filesystem::path config_path(const std::string& from_flag) {
  if (!from_flag.empty()) return from_flag;
  if (const char* env = std::getenv("MAILGATE_CONFIG"); env != nullptr && *env != '\0') {
    return env;
  }
  return kDefaultConfig;
}

Config load_config(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) throw ConfigError(file.string() + ": no such file");
  if (std::filesystem::is_directory(file, ec)) {
    throw ConfigError(file.string() + ": cannot read: a directory");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ConfigError(file.string() + ": cannot read");
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) throw ConfigError(file.string() + ": cannot read");
  return load_config_text(text, file);
}

Config load_config_text(std::string_view text, const std::filesystem::path& file) {
  toml::table root;
  try {
    root = toml::parse(text, file.string());
  } catch (const toml::parse_error& e) {
    std::ostringstream out;
    out << file.string() << ':' << e.source().begin.line << ':' << e.source().begin.column << ": "
        << e.description();
    throw ConfigError(out.str());
  } catch (const std::exception& e) {
    throw ConfigError(file.string() + ": cannot read: " + e.what());
  }

  const std::set<std::string> tables = {
      "imap",         "database", "intake",    "registration",   "rules", "limits",   "office",
      "smtp",         "outbox",   "templates", "plain_language", "units", "officers", "bodies",
      "officer_auth", "actions",  "log"};
  for (const auto& [k, v] : root) {
    if (tables.count(std::string(k.str())) == 0) {
      throw ConfigError(where(file, v.source()) + ": " + std::string(k.str()) +
                        ": unknown section");
    }
  }

  Config c;
  c.file = file;

  TableReader imap(file, root, "imap");
  if (!imap.present()) throw ConfigError(file.string() + ":1: imap: section [imap] is missing");
  auto host = imap.string("host");
  if (!host || host->empty()) throw ConfigError(file.string() + ":1: imap.host: is required");
  c.imap.host = *host;
  auto security = imap.choice("security", {"imaps", "starttls", "plaintext"}).value_or("imaps");
  c.imap.security = security == "imaps"      ? mail::ImapSecurity::imaps
                    : security == "starttls" ? mail::ImapSecurity::starttls
                                             : mail::ImapSecurity::plaintext;
  c.imap.port =
      static_cast<int>(imap.integer("port", 1, 65535)
                           .value_or(c.imap.security == mail::ImapSecurity::imaps ? 993 : 143));
  c.imap.ca_file = imap.string("ca_file").value_or("");
  c.imap.verify_peer = imap.boolean("verify_peer").value_or(true);
  auto user = imap.string("user");
  if (!user || user->empty()) throw ConfigError(file.string() + ":1: imap.user: is required");
  c.imap.user = *user;
  c.imap.password = imap.secret("password").value_or("");
  c.mailbox = imap.string("mailbox").value_or("INBOX");
  c.processed_folder = imap.string("processed_folder").value_or("Processed");
  c.quarantine_folder = imap.string("quarantine_folder").value_or("Quarantine");
  c.imap.connect_timeout =
      std::chrono::seconds(imap.integer("connect_timeout", 1, 3600).value_or(15));
  c.imap.timeout = std::chrono::seconds(imap.integer("timeout", 1, 86400).value_or(120));
  imap.reject_unknown();
  if (c.processed_folder == c.mailbox || c.quarantine_folder == c.mailbox) {
    throw ConfigError(file.string() + ":1: imap.processed_folder: must differ from imap.mailbox");
  }

  TableReader db(file, root, "database");
  auto url = db.string("url");
  if (!url || url->empty()) {
    throw ConfigError(file.string() + ":1: database.url: is required");
  }
  c.database.url = *url;
  c.database.password = db.secret("password").value_or("");
  db.reject_unknown();

  TableReader intake(file, root, "intake");
  c.intake.poll_interval =
      std::chrono::seconds(intake.integer("poll_interval", 1, 86400).value_or(30));
  c.intake.batch_size =
      static_cast<std::size_t>(intake.integer("batch_size", 1, 10000).value_or(100));
  c.intake.max_parse_attempts =
      static_cast<int>(intake.integer("max_parse_attempts", 1, 100).value_or(3));
  c.intake.max_backoff =
      std::chrono::seconds(intake.integer("max_backoff", 1, 86400).value_or(600));
  intake.reject_unknown();

  TableReader reg(file, root, "registration");
  if (auto pattern = reg.string("pattern")) {
    if (auto problem = storage::regno_pattern_problem(*pattern)) {
      reg.fail(root["registration"]["pattern"].node()->source(), "pattern", *problem);
    }
    c.registration.pattern = *pattern;
  }
  if (auto tz = reg.string("timezone")) {
    // The non-throwing exists(): a name longer than the file system allows made the other
    // one throw filesystem_error out of load_config (found by fuzz_config). A NUL would cut
    // the file name short and let "Europe/Moscow\0junk" pass.
    std::error_code ec;
    if (tz->empty() || tz->find("..") != std::string::npos || tz->find('\0') != std::string::npos ||
        !std::filesystem::exists("/usr/share/zoneinfo/" + *tz, ec)) {
      reg.fail(root["registration"]["timezone"].node()->source(), "timezone",
               "unknown time zone (expected a name like Europe/Moscow)");
    }
    c.registration.timezone = *tz;
  }
  reg.reject_unknown();

  TableReader rules(file, root, "rules");
  auto relative = [&](const std::string& p) {
    std::filesystem::path path(p);
    return path.is_absolute() ? path : file.parent_path() / path;
  };
  c.rules.directory = relative(rules.string("directory").value_or(default_rules_dir().string()));
  c.rules.calendar_directory = relative(
      rules.string("calendar_directory").value_or((c.rules.directory / "calendar").string()));
  c.rules.urgent_score = static_cast<int>(rules.integer("urgent_score", 1, 1000000).value_or(10));
  c.rules.default_term = rules.string("default_term").value_or(c.rules.default_term);
  c.rules.urgent_term = rules.string("urgent_term").value_or(c.rules.urgent_term);
  c.rules.shift_to_working_day = rules.boolean("shift_to_working_day").value_or(true);
  c.rules.history_days = static_cast<int>(rules.integer("history_days", 1, 3660).value_or(365));
  rules.reject_unknown();

  TableReader limits(file, root, "limits");
  auto bytes = [&](const char* key, std::size_t fallback, std::int64_t min, std::int64_t max) {
    return static_cast<std::size_t>(
        limits.integer(key, min, max).value_or(static_cast<std::int64_t>(fallback)));
  };
  c.limits.max_message_bytes =
      bytes("max_message_bytes", c.limits.max_message_bytes, 64 * 1024, 2LL << 30);
  c.limits.max_header_bytes =
      bytes("max_header_bytes", c.limits.max_header_bytes, 1024, 64 * 1024 * 1024);
  c.limits.max_line_bytes = bytes("max_line_bytes", c.limits.max_line_bytes, 998, 64 * 1024 * 1024);
  c.limits.max_depth = bytes("max_mime_depth", c.limits.max_depth, 2, 1000);
  c.limits.max_parts = bytes("max_mime_parts", c.limits.max_parts, 1, 1000000);
  limits.reject_unknown();

  TableReader office(file, root, "office");
  c.office.name = office.string("name").value_or(c.office.name);
  if (auto a = office.string("address")) {
    if (a->find('@') == std::string::npos || a->find_first_of(" \t<>\r\n") != std::string::npos) {
      office.fail(root["office"]["address"].node()->source(), "address",
                  "must be an e-mail address like upk@lenreg.ru");
    }
    c.office.address = *a;
  }
  c.office.phone = office.string("phone").value_or("");
  c.office.reception_address =
      office.string("reception_address").value_or(c.office.reception_address);
  c.office.reception_hours = office.string("reception_hours").value_or(c.office.reception_hours);
  c.office.message_id_domain = office.string("message_id_domain").value_or("");
  if (c.office.message_id_domain.empty() && !c.office.address.empty()) {
    c.office.message_id_domain = c.office.address.substr(c.office.address.rfind('@') + 1);
  }
  office.reject_unknown();

  TableReader smtp(file, root, "smtp");
  c.smtp.host = smtp.string("host").value_or("");
  c.smtp.security = smtp.choice("security", {"smtps", "starttls", "none"}).value_or("starttls");
  c.smtp.port = static_cast<int>(
      smtp.integer("port", 1, 65535).value_or(c.smtp.security == "smtps" ? 465 : 587));
  c.smtp.ca_file = smtp.string("ca_file").value_or("");
  c.smtp.user = smtp.string("user").value_or("");
  c.smtp.password = smtp.secret("password").value_or("");
  c.smtp.helo_name = smtp.string("helo_name").value_or("");
  c.smtp.timeout = std::chrono::seconds(smtp.integer("timeout", 1, 3600).value_or(60));
  if (c.smtp.security == "none" && !c.smtp.host.empty() && c.smtp.host != "127.0.0.1" &&
      c.smtp.host != "::1" && c.smtp.host != "localhost") {
    smtp.fail(root["smtp"]["security"].node()->source(), "security",
              "\"none\" (no TLS) is allowed only for a server on this machine (127.0.0.1)");
  }
  smtp.reject_unknown();
  if (!c.smtp.host.empty() && c.office.address.empty()) {
    throw ConfigError(file.string() + ":1: office.address: is required to send mail");
  }

  TableReader outbox(file, root, "outbox");
  c.outbox.poll_interval =
      std::chrono::seconds(outbox.integer("poll_interval", 1, 3600).value_or(5));
  c.outbox.workers = static_cast<int>(outbox.integer("workers", 1, 64).value_or(4));
  c.outbox.max_attempts = static_cast<int>(outbox.integer("max_attempts", 1, 100).value_or(10));
  c.outbox.min_backoff = std::chrono::seconds(outbox.integer("min_backoff", 1, 86400).value_or(60));
  c.outbox.max_backoff =
      std::chrono::seconds(outbox.integer("max_backoff", 1, 7 * 86400).value_or(3600));
  c.outbox.acks_per_sender_per_day =
      static_cast<int>(outbox.integer("acks_per_sender_per_day", 0, 10000).value_or(10));
  c.outbox.suppress_failed_days =
      static_cast<int>(outbox.integer("suppress_failed_days", 0, 3660).value_or(60));
  outbox.reject_unknown();

  TableReader tmpl(file, root, "templates");
  auto templates_dir = tmpl.string("directory");
  c.templates_directory =
      templates_dir && !templates_dir->empty() ? relative(*templates_dir) : default_templates_dir();
  tmpl.reject_unknown();

  TableReader plain(file, root, "plain_language");
  if (auto v = plain.number("min_readability", -100, 206, "40")) c.min_readability = *v;
  c.max_sentence_words =
      static_cast<std::size_t>(plain.integer("max_sentence_words", 5, 200).value_or(25));
  c.max_cliches = static_cast<std::size_t>(plain.integer("max_cliches", 0, 1000).value_or(0));
  c.min_explanation_words =
      static_cast<std::size_t>(plain.integer("min_explanation_words", 0, 50).value_or(2));
  plain.reject_unknown();

  auto read_array = [&](const char* name, auto&& read_one) {
    const toml::node* node = root.get(name);
    if (node == nullptr) return;
    const toml::array* array = node->as_array();
    if (array == nullptr) {
      throw ConfigError(where(file, node->source()) + ": " + name +
                        ": must be an array of tables ([[" + name + "]])");
    }
    std::set<std::string> ids;
    for (std::size_t i = 0; i < array->size(); ++i) {
      const toml::node& item = *array->get(i);
      std::string label = std::string(name) + "[" + std::to_string(i) + "]";
      if (!item.is_table()) {
        throw ConfigError(where(file, item.source()) + ": " + label + ": must be a table");
      }
      TableReader t(file, item.as_table(), label, item.source());
      std::string id = read_one(t);
      if (!ids.insert(id).second) t.fail(item.source(), "id", "\"" + id + "\" is used twice");
      t.reject_unknown();
    }
  };
  read_array("units", [&](TableReader& t) {
    Unit u;
    u.id = t.required("id");
    u.name = t.string("name").value_or(u.id);
    u.head_email = t.string("head_email").value_or("");
    c.units.push_back(u);
    return u.id;
  });
  read_array("officers", [&](TableReader& t) {
    Officer o;
    o.id = t.required("id");
    o.name = t.string("name").value_or(o.id);
    o.email = t.required("email");
    o.unit = t.string("unit").value_or("");
    c.officers.push_back(o);
    return o.id;
  });
  read_array("bodies", [&](TableReader& t) {
    Body b;
    b.id = t.required("id");
    b.name = t.required("name");
    b.address = t.string("address").value_or("");
    b.phone = t.string("phone").value_or("");
    b.email = t.required("email");
    b.handles = t.string("handles").value_or("");
    c.bodies.push_back(b);
    return b.id;
  });
  for (const auto& o : c.officers) {
    if (!o.unit.empty() && std::none_of(c.units.begin(), c.units.end(),
                                        [&](const Unit& u) { return u.id == o.unit; })) {
      throw ConfigError(file.string() + ":1: officers: officer \"" + o.id +
                        "\" names unknown unit \"" + o.unit + "\"");
    }
  }

  TableReader auth(file, root, "officer_auth");
  c.officer_auth.authserv_ids = auth.strings("authserv_ids");
  c.officer_auth.trusted_relays = auth.strings("trusted_relays");
  auth.reject_unknown();

  TableReader actions(file, root, "actions");
  c.actions.max_extension_days =
      static_cast<int>(actions.integer("max_extension_days", 1, 365).value_or(30));
  c.actions.max_extensions = static_cast<int>(actions.integer("max_extensions", 0, 10).value_or(1));
  c.actions.forward_within_days =
      static_cast<int>(actions.integer("forward_within_days", 1, 60).value_or(7));
  actions.reject_unknown();

  TableReader log(file, root, "log");
  c.log_level = log.choice("level", {"trace", "debug", "info", "warn", "error"}).value_or("info");
  log.reject_unknown();
  return c;
}

}  // namespace mailgate::daemon
