// Parse time against input size for the shapes hostile mail takes (issue: "parse time must
// grow linearly with size"). For each shape, parses inputs of size N and 2N and 4N and
// prints the time ratio t(2N)/t(N) and t(4N)/t(2N): about 2 is linear, about 4 quadratic.
// The baseline in the same run is a plain 8-bit text body of the same sizes, which is
// linear by construction (one copy and one charset pass), so the verdict compares against
// what this machine does right now rather than a wall-clock number.
//
// Run: build/bench/parse_scaling
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "mail/parse.hpp"

namespace {

using Make = std::function<std::string(std::size_t)>;

double seconds_to_parse(const std::string& raw, const mailgate::mail::ParseLimits& limits) {
  double best = 1e9;
  for (int i = 0; i < 3; ++i) {  // best of three: the least disturbed by other processes
    auto start = std::chrono::steady_clock::now();
    auto m = mailgate::mail::parse_message(raw, limits);
    auto end = std::chrono::steady_clock::now();
    if (m.subject == "\x01") std::puts("");  // keep the result alive
    best = std::min(best, std::chrono::duration<double>(end - start).count());
  }
  return best;
}

struct Shape {
  const char* name;
  Make make;
};

}  // namespace

int main() {
  mailgate::mail::ParseLimits limits;
  limits.max_parts = 1u << 30;  // measure the splitter itself, not the cap
  limits.max_message_bytes = std::size_t(1) << 40;
  const std::size_t base = std::size_t{2} * 1024 * 1024;
  std::vector<Shape> shapes = {
      {"plain text body (baseline)",
       [](std::size_t n) {
         return "From: a@example.org\r\nSubject: x\r\n\r\n" + std::string(n, 'a') + "\r\n";
       }},
      {"one header-free line", [](std::size_t n) { return std::string(n, 'x'); }},
      {"tiny parts",
       [](std::size_t n) {
         std::string m = "From: a@example.org\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n";
         const std::string part = "--b\r\nContent-Type: application/x-a\r\n\r\nx\r\n";
         while (m.size() < n) m += part;
         return m + "--b--\r\n";
       }},
      {"long boundary, body without it",
       [](std::size_t n) {
         std::string b(5000, 'b');
         return "From: a@example.org\r\nContent-Type: multipart/mixed; boundary=" + b +
                "\r\n\r\n--" + b + "\r\n\r\n" + std::string(n, '-') + "\r\n";
       }},
      {"folded header lines",
       [](std::size_t n) {
         std::string m = "From: a@example.org\r\nSubject: x";
         while (m.size() < n) m += "\r\n y";
         return m + "\r\n\r\nbody\r\n";
       }},
      {"lone CR line breaks",
       [](std::size_t n) {
         std::string m = "Subject: cr\rContent-Type: multipart/mixed; boundary=b\r\r";
         while (m.size() < n) m += "--b\rContent-Type: image/png\r\rX\r";
         return m;
       }},
  };
  double baseline_ratio = 0;
  std::printf("%-34s %10s %10s %10s %9s %9s\n", "shape", "N ms", "2N ms", "4N ms", "2N/N", "4N/2N");
  for (const Shape& s : shapes) {
    double t1 = seconds_to_parse(s.make(base), limits);
    double t2 = seconds_to_parse(s.make(2 * base), limits);
    double t4 = seconds_to_parse(s.make(4 * base), limits);
    double r = t4 / t2;
    if (baseline_ratio == 0) baseline_ratio = r;
    std::printf("%-34s %10.1f %10.1f %10.1f %9.2f %9.2f  (%.2f x baseline)\n", s.name, t1 * 1e3,
                t2 * 1e3, t4 * 1e3, t2 / t1, r, r / baseline_ratio);
  }
  std::puts("about 2 per doubling is linear; about 4 would be quadratic");
  return 0;
}
