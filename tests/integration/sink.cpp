#include "sink.hpp"

#include <algorithm>
#include <atomic>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "mail/parse.hpp"

namespace fs = std::filesystem;

namespace mailgate::test {

std::vector<Sent> sink(const Sandbox& sb) {
  std::vector<Sent> out;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(sb.env("SINK_DIR"))) {
    if (e.path().extension() == ".json" && e.path().filename().string()[0] != '.') {
      files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) {
    return std::stoi(a.stem().string()) < std::stoi(b.stem().string());
  });
  for (const auto& f : files) {
    std::ifstream in(f);
    auto j = nlohmann::json::parse(in);
    Sent s;
    s.from = j["mail_from"].get<std::string>();
    s.to = j["rcpt_tos"].get<std::vector<std::string>>();
    s.message_id = j["message_id"].is_string() ? j["message_id"].get<std::string>() : "";
    auto eml = f;
    eml.replace_extension(".eml");
    std::ifstream raw(eml, std::ios::binary);
    s.raw.assign(std::istreambuf_iterator<char>(raw), {});
    s.mail = mail::parse_message(s.raw);
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<Sent> sent_to(const std::vector<Sent>& all, const std::string& address) {
  std::vector<Sent> out;
  for (const auto& s : all) {
    if (std::find(s.to.begin(), s.to.end(), address) != s.to.end()) out.push_back(s);
  }
  return out;
}

void deliver_texts(Sandbox& sb, const std::vector<std::string>& messages) {
  static std::atomic<int> batch{0};
  auto dir = sb.dir() / ("in-" + std::to_string(++batch));
  fs::create_directories(dir);
  std::vector<fs::path> files;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    files.push_back(dir / (std::to_string(i) + ".eml"));
    std::ofstream(files.back(), std::ios::binary) << messages[i];
  }
  sb.deliver(files);
}

std::string header(const Sent& s, const std::string& name) {
  const std::string* v = s.mail.field(name);
  return v ? *v : "";
}

std::string mta_pass(const Sandbox& sb, const std::string& dkim_domain) {
  return "Authentication-Results: " + sb.env("AUTHSERV_ID") +
         "; dkim=pass header.d=" + dkim_domain + "\r\nReceived: from mail." + dkim_domain +
         " (mail." + dkim_domain + " [192.0.2.20]) by " + sb.env("AUTHSERV_ID") +
         " with ESMTPS id 1; Tue, 8 Dec 2026 10:00:00 +0300\r\n";
}

}  // namespace mailgate::test
