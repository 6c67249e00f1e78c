// Compiled match patterns of the policy language: strings with `*` / `?` wildcards and
// ${...} policy variables (Action, Resource, StringLike, ArnLike...). Compiled once when a
// policy is parsed; Matches() does not allocate for patterns with up to 8 tokens.
// Immutable after Compile(); safe to share between threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "policy/eval/context.h"

namespace sb::policy::eval {

struct PatternOptions {
  bool wildcards = true;     // `*` matches any run (including '/'), `?` exactly one byte
  bool variables = false;    // ${key}, ${key, 'default'}, ${*}, ${?}, ${$} (2012-10-17 only)
  bool ignore_case = false;  // ASCII case-insensitive comparison
};

class Pattern {
 public:
  // Returns InvalidArgument for a malformed variable: "${" without "}", an empty key, or a
  // default value that is not a single-quoted string.
  static absl::StatusOr<Pattern> Compile(std::string_view text, const PatternOptions& options);

  // True if `subject` matches the whole pattern. Variables are looked up in `context`
  // (nullptr: none resolve). Substituted values match literally. A variable whose key is
  // absent or multivalued, and has no default, makes the match fail (AWS: "no value").
  bool Matches(std::string_view subject, const ContextMap* context) const;

  const std::string& text() const { return text_; }
  bool has_variables() const { return has_variables_; }
  // True if the last token is an unescaped `*` (ARN segments use this, see ArnPattern).
  bool ends_with_star() const;
  // True if the pattern is plain text: no wildcard and no variable (escapes allowed).
  bool is_literal() const { return shape_ == Shape::kExact; }
  // The text a literal pattern matches (escapes resolved); empty unless is_literal().
  std::string_view literal() const {
    return is_literal() ? Slice(tokens_[0].offset, tokens_[0].size) : std::string_view();
  }

 private:
  enum class Kind : uint8_t { kLiteral, kStar, kOne, kVariable };
  enum class Shape : uint8_t { kExact, kPrefix, kAny, kGeneral };
  struct Token {
    Kind kind;
    bool has_default = false;
    uint32_t offset = 0;  // literal text or variable key, in storage_
    uint32_t size = 0;
    uint32_t default_offset = 0;
    uint32_t default_size = 0;
  };

  std::string_view Slice(uint32_t offset, uint32_t size) const {
    return std::string_view(storage_).substr(offset, size);
  }
  void AddLiteral(std::string_view text);
  void Finish();

  std::string text_;     // as written in the policy
  std::string storage_;  // literal bytes, variable keys and defaults
  std::vector<Token> tokens_;
  Shape shape_ = Shape::kGeneral;
  bool ignore_case_ = false;
  bool has_variables_ = false;
};

// An ARN pattern (Resource, ArnLike...). The first five ':' split it into segments that are
// matched separately, so a wildcard cannot span a segment, except that a pattern with fewer
// than six segments whose last segment ends in `*` lets that `*` run past the remaining
// colons (AWS: "If the * is the last character of a segment, it can expand beyond the colon
// boundaries"). "*" alone matches any string.
class ArnPattern {
 public:
  // Errors as Pattern::Compile. Colons produced by variables are not segment boundaries.
  static absl::StatusOr<ArnPattern> Compile(std::string_view text, bool variables);

  // True if `arn` matches; an ARN with too few segments never matches.
  bool Matches(std::string_view arn, const ContextMap* context) const;

  const std::string& text() const { return text_; }
  size_t segment_count() const { return segments_.size(); }
  // True if the pattern can match anything at all: six segments, or a trailing `*`.
  bool well_formed() const { return segments_.size() == 6 || extends_; }

 private:
  std::string text_;
  std::vector<Pattern> segments_;
  bool extends_ = false;  // fewer than six segments and the last ends with `*`
  // When every segment but the last is plain text ("arn:aws:s3:::"), they are compared as
  // one prefix, including their colons; the common case for S3 resources.
  bool literal_prefix_ = false;
  std::string prefix_;
};

}  // namespace sb::policy::eval
