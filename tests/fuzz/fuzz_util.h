// Shared helpers for the libFuzzer targets: a readable text form of an HTTP request head (so
// seed corpora are plain files a person can write) and a check that aborts with a message.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sb::fuzz {

// Aborts (libFuzzer records the input as a crash) when a property the target asserts fails.
#define SB_FUZZ_CHECK(cond)                                                              \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (false)

// True when SB_FUZZ_VERBOSE is set: targets then print what each input did (for checking
// that a seed corpus reaches the code it is meant to, e.g. `SB_FUZZ_VERBOSE=1 bin/x_fuzz seed`).
inline bool Verbose() {
  static const bool verbose = std::getenv("SB_FUZZ_VERBOSE") != nullptr;
  return verbose;
}

// "METHOD TARGET\nname: value\nname: value\n[\nbody]": the request line, then one header
// per line (names lowercased, value without the one space after ':'), then an optional
// body after an empty line. Lines may end in "\r\n". Anything else is kept as it comes, so
// the fuzzer can produce every byte in every field.
struct TextRequest {
  std::string method;
  std::string target;  // path[?query], as on the request line
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  std::string path() const { return target.substr(0, target.find('?')); }
  std::string query() const {
    size_t q = target.find('?');
    return q == std::string::npos ? std::string() : target.substr(q + 1);
  }
};

inline std::string_view NextLine(std::string_view* in) {
  size_t nl = in->find('\n');
  std::string_view line = in->substr(0, nl);
  in->remove_prefix(nl == std::string_view::npos ? in->size() : nl + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

inline TextRequest ParseTextRequest(std::string_view in) {
  TextRequest req;
  std::string_view first = NextLine(&in);
  size_t sp = first.find(' ');
  req.method = std::string(first.substr(0, sp));
  if (sp != std::string_view::npos) req.target = std::string(first.substr(sp + 1));
  while (!in.empty()) {
    std::string_view line = NextLine(&in);
    if (line.empty()) break;
    size_t colon = line.find(':');
    std::string name(line.substr(0, colon));
    for (char& c : name) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    std::string_view value;
    if (colon != std::string_view::npos) {
      value = line.substr(colon + 1);
      if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    }
    req.headers.emplace_back(std::move(name), std::string(value));
  }
  req.body = std::string(in);
  return req;
}

}  // namespace sb::fuzz
