#include "harness.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pqxx/pqxx>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "mail/digest.hpp"

namespace fs = std::filesystem;

namespace mailgate::test {
namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

pid_t spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
            int out_fd, int err_fd) {
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    // In the forked child only this thread exists, so nothing races the environment.
    // NOLINTNEXTLINE(concurrency-mt-unsafe)
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  return pid;
}

void decode_status(int status, RunResult& r) {
  if (WIFEXITED(status)) {
    r.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    r.exit_code = -1;
    r.signal = WTERMSIG(status);
  }
}

}  // namespace

bool wait_for_log(const fs::path& log, const std::string& needle, int seconds) {
  for (int i = 0; i < seconds * 10; ++i) {
    if (slurp(log).find(needle) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

fs::path mailgate_binary() { return MAILGATE_BINARY; }
fs::path source_dir() { return MAILGATE_SOURCE_DIR; }
fs::path test_data() { return source_dir() / "tests" / "data"; }

RunResult run(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env) {
  char out_tpl[] = "/tmp/mg-out-XXXXXX";
  char err_tpl[] = "/tmp/mg-err-XXXXXX";
  int out_fd = mkstemp(out_tpl);
  int err_fd = mkstemp(err_tpl);
  pid_t pid = spawn(argv, env, out_fd, err_fd);
  int status = 0;
  waitpid(pid, &status, 0);
  close(out_fd);
  close(err_fd);
  RunResult r;
  decode_status(status, r);
  r.out = slurp(out_tpl);
  r.err = slurp(err_tpl);
  unlink(out_tpl);
  unlink(err_tpl);
  return r;
}

Child::Child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
             const fs::path& log_file)
    : log_(log_file) {
  int fd = open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  pid_ = spawn(argv, env, fd, fd);
  close(fd);
}

Child::~Child() {
  if (!reaped_ && pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

void Child::signal(int sig) {
  if (!reaped_) kill(pid_, sig);
}

bool Child::running() {
  if (reaped_) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    reaped_ = true;
    decode_status(status, result_);
    return false;
  }
  return true;
}

RunResult Child::wait() {
  if (!reaped_) {
    int status = 0;
    waitpid(pid_, &status, 0);
    reaped_ = true;
    decode_status(status, result_);
  }
  result_.out = slurp(log_);
  return result_;
}

Sandbox::Sandbox() {
  static std::mt19937_64 rng{std::random_device{}()};
  dir_ = fs::path(MAILGATE_BINARY_DIR) / "test-sandboxes" /
         ("sb-" + std::to_string(getpid()) + "-" + std::to_string(rng() % 1000000));
  fs::create_directories(dir_.parent_path());
  // A template PostgreSQL cluster cached in the build tree: each test's sandbox copies it
  // instead of running initdb (half the CPU time of `up`, with three tests at a time).
  // The caller's own SANDBOX_CACHE_DIR, if any, wins.
  std::map<std::string, std::string> env;
  // Tests set no environment variables; reading it races nothing.
  if (std::getenv("SANDBOX_CACHE_DIR") == nullptr) {  // NOLINT(concurrency-mt-unsafe)
    env["SANDBOX_CACHE_DIR"] =
        (fs::path(MAILGATE_BINARY_DIR) / "test-sandboxes" / ".cache").string();
  }
  auto r = run({(source_dir() / "scripts" / "sandbox").string(), "up", dir_.string()}, env);
  if (r.exit_code != 0) {
    throw std::runtime_error("sandbox up failed:\n" + r.out + r.err);
  }
  std::istringstream lines(slurp(dir_ / "env"));
  std::string line;
  while (std::getline(lines, line)) {
    auto eq = line.find('=');
    if (eq == std::string::npos || line[0] == '#') continue;
    std::string value = line.substr(eq + 1);
    if (value.size() >= 2 && (value.front() == '\'' || value.front() == '"')) {
      value = value.substr(1, value.size() - 2);
    }
    env_[line.substr(0, eq)] = value;
  }
}

Sandbox::~Sandbox() {
  run({(source_dir() / "scripts" / "sandbox").string(), "down", dir_.string()});
  std::error_code ec;
  // Tests set no environment variables; reading it races nothing.
  // NOLINTNEXTLINE(concurrency-mt-unsafe)
  if (std::getenv("KEEP_SANDBOX") == nullptr) fs::remove_all(dir_, ec);
}

const std::string& Sandbox::env(const std::string& key) const {
  auto it = env_.find(key);
  if (it == env_.end()) throw std::runtime_error("sandbox env lacks " + key);
  return it->second;
}

void Sandbox::deliver(const std::vector<fs::path>& files) {
  // Deliver in chunks: the argument list of one call has a limit.
  for (std::size_t i = 0; i < files.size(); i += 500) {
    std::vector<std::string> argv = {(source_dir() / "scripts" / "sandbox").string(), "deliver",
                                     dir_.string()};
    for (std::size_t j = i; j < std::min(files.size(), i + 500); ++j) argv.push_back(files[j]);
    auto r = run(argv);
    if (r.exit_code != 0) throw std::runtime_error("sandbox deliver failed:\n" + r.out + r.err);
  }
}

std::vector<std::string> Sandbox::mailgate_argv(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {mailgate_binary().string(), "--config", config().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

RunResult Sandbox::mailgate(const std::vector<std::string>& args,
                            const std::map<std::string, std::string>& env) {
  return run(mailgate_argv(args), env);
}

std::unique_ptr<mail::ImapSession> Sandbox::imap() const {
  mail::ImapSettings s;
  s.host = env("IMAP_HOST");
  s.port = std::stoi(env("IMAPS_PORT"));
  s.security = mail::ImapSecurity::imaps;
  s.ca_file = env("CA_FILE");
  s.user = env("IMAP_USER");
  s.password = env("IMAP_PASSWORD");
  s.timeout = std::chrono::seconds(30);
  auto session = std::make_unique<mail::ImapSession>(s);
  session->connect();
  return session;
}

std::size_t Sandbox::count(const std::string& folder) const {
  auto s = imap();
  s->ensure_folder(folder);
  return s->select(folder).exists;
}

std::vector<std::string> Sandbox::shas(const std::string& folder) const {
  auto s = imap();
  auto st = s->select(folder);
  std::vector<std::string> out;
  for (auto uid : s->search_all_uids()) {
    out.push_back(mail::sha256_hex(s->fetch(folder, st.uidvalidity, uid)));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::vector<std::string>> Sandbox::sql(const std::string& query) const {
  pqxx::connection c(env("PGURL"));
  pqxx::nontransaction n(c);
  std::vector<std::vector<std::string>> rows;
  for (const auto& row : n.exec(query)) {
    std::vector<std::string> cells;
    for (const auto& f : row) cells.push_back(f.is_null() ? "NULL" : f.c_str());
    rows.push_back(std::move(cells));
  }
  return rows;
}

std::string synthetic_message(int n) {
  std::ostringstream m;
  m << "From: =?UTF-8?B?0JjQstCw0L3QvtCyINCY0LLQsNC9?= <client" << n % 7
    << "@org.lenobl.example>\r\n"
    << "To: antikor@lenobl.example\r\n"
    << "Subject: =?UTF-8?B?0JLQvtC/0YDQvtGBINC+INC00LXQutC70LDRgNCw0YbQuNC4?= " << n << "\r\n"
    << "Date: Wed, 25 Mar 2026 10:" << (10 + n % 50) << ":00 +0300\r\n"
    << "Message-ID: <synthetic-" << n << "@org.lenobl.example>\r\n"
    << "MIME-Version: 1.0\r\n"
    << "Content-Type: text/plain; charset=utf-8\r\n"
    << "Content-Transfer-Encoding: 8bit\r\n\r\n"
    << "Добрый день! Прошу разъяснить порядок заполнения справки о доходах. Номер " << n << ".\r\n";
  return m.str();
}

std::vector<fs::path> write_messages(const fs::path& dir, const std::vector<std::string>& texts) {
  fs::create_directories(dir);
  std::vector<fs::path> out;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "%06zu.eml", i);
    std::ofstream(dir / name, std::ios::binary) << texts[i];
    out.push_back(dir / name);
  }
  return out;
}

std::vector<fs::path> corpus_files(std::size_t n) {
  std::vector<fs::path> ru;
  std::vector<fs::path> other;
  for (const auto& e : fs::recursive_directory_iterator(test_data() / "corpus")) {
    if (e.path().extension() != ".eml") continue;
    (e.path().string().find("/corpus/ru/") != std::string::npos ? ru : other).push_back(e.path());
  }
  std::sort(ru.begin(), ru.end());
  std::sort(other.begin(), other.end());
  ru.insert(ru.end(), other.begin(), other.end());
  if (ru.size() > n) ru.resize(n);
  return ru;
}

}  // namespace mailgate::test
