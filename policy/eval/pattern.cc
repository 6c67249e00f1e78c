#include "policy/eval/pattern.h"

#include <utility>

#include "absl/container/inlined_vector.h"
#include "common/error_reason.h"
#include "policy/eval/internal/cat.h"
#include "policy/eval/values.h"

namespace sb::policy::eval {
namespace {

absl::Status Invalid(std::string_view message) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument, message);
}

// One parsed ${...}: either an escape (${*} ${?} ${$}) or a context key with optional default.
struct Variable {
  bool is_escape = false;
  char escaped = 0;
  std::string_view key;
  bool has_default = false;
  std::string default_value;
  size_t end = 0;  // index one past the closing '}'
};

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

// Parses the variable whose "${" starts at `pos`. Syntax (IAM "Specifying default values"):
// ${key} or ${key, 'default'}; '' inside the default is a literal quote.
absl::StatusOr<Variable> ParseVariable(std::string_view text, size_t pos) {
  Variable v;
  size_t i = pos + 2;
  auto skip_spaces = [&] {
    while (i < text.size() && IsSpace(text[i])) ++i;
  };
  auto malformed = [&](std::string_view why) {
    return Invalid(
        internal::Cat("malformed policy variable in \"", std::string(text), "\": ", why));
  };
  skip_spaces();
  size_t key_start = i;
  while (i < text.size() && text[i] != '}' && text[i] != ',' && !IsSpace(text[i])) ++i;
  v.key = text.substr(key_start, i - key_start);
  skip_spaces();
  if (i >= text.size()) return malformed("missing '}'");
  if (v.key.empty()) return malformed("empty variable name");
  const bool escape = v.key == "*" || v.key == "?" || v.key == "$";
  if (!escape && v.key.find_first_of("${'") != std::string_view::npos) {
    return malformed("invalid character in variable name");
  }
  if (text[i] == ',') {
    ++i;
    skip_spaces();
    if (i >= text.size() || text[i] != '\'') return malformed("default value must be quoted");
    ++i;
    bool closed = false;
    while (i < text.size()) {
      if (text[i] == '\'') {
        if (i + 1 < text.size() && text[i + 1] == '\'') {
          v.default_value.push_back('\'');
          i += 2;
          continue;
        }
        ++i;
        closed = true;
        break;
      }
      v.default_value.push_back(text[i++]);
    }
    if (!closed) return malformed("unterminated default value");
    v.has_default = true;
    skip_spaces();
    if (i >= text.size()) return malformed("missing '}'");
  }
  if (text[i] != '}') return malformed("expected '}'");
  v.end = i + 1;
  if (escape) {
    if (v.has_default) return malformed("an escape takes no default value");
    v.is_escape = true;
    v.escaped = v.key[0];
  }
  return v;
}

bool CharEq(char a, char b, bool icase) { return icase ? AsciiLower(a) == AsciiLower(b) : a == b; }

bool TextEq(std::string_view a, std::string_view b, bool icase) {
  // Most case-insensitive comparisons (actions) are spelled identically: try memcmp first.
  return a == b || (icase && EqualsIgnoreCase(a, b));
}

// A token with its variable resolved: a literal, a `*` or a `?`.
struct Seg {
  enum Kind : uint8_t { kLit, kStar, kOne } kind;
  std::string_view text;
};

size_t RunLength(const Seg* b, const Seg* e) {
  size_t n = 0;
  for (const Seg* s = b; s != e; ++s) n += s->kind == Seg::kLit ? s->text.size() : 1;
  return n;
}

// Matches the star-free run [b, e) at s[pos...]; the caller checked that it fits.
bool RunMatchesAt(const Seg* b, const Seg* e, std::string_view s, size_t pos, bool icase) {
  for (const Seg* g = b; g != e; ++g) {
    if (g->kind == Seg::kOne) {
      ++pos;
      continue;
    }
    for (char c : g->text) {
      if (!CharEq(s[pos++], c, icase)) return false;
    }
  }
  return true;
}

// Glob match of star-separated runs: the head is anchored at the start, the tail at the end,
// and each middle run takes its leftmost occurrence (optimal when runs have fixed length).
bool Glob(const Seg* segs, size_t n, std::string_view s, bool icase) {
  size_t first_star = n, last_star = n;
  for (size_t i = 0; i < n; ++i) {
    if (segs[i].kind != Seg::kStar) continue;
    if (first_star == n) first_star = i;
    last_star = i;
  }
  if (first_star == n) {
    return RunLength(segs, segs + n) == s.size() && RunMatchesAt(segs, segs + n, s, 0, icase);
  }
  size_t head = RunLength(segs, segs + first_star);
  size_t tail = RunLength(segs + last_star + 1, segs + n);
  if (head + tail > s.size()) return false;
  if (!RunMatchesAt(segs, segs + first_star, s, 0, icase)) return false;
  size_t end = s.size() - tail;
  if (!RunMatchesAt(segs + last_star + 1, segs + n, s, end, icase)) return false;
  size_t pos = head;
  size_t j = first_star + 1;
  while (j < last_star) {
    size_t k = j;
    while (segs[k].kind != Seg::kStar) ++k;  // k <= last_star
    size_t len = RunLength(segs + j, segs + k);
    if (len > 0) {
      bool found = false;
      for (size_t p = pos; p + len <= end; ++p) {
        if (RunMatchesAt(segs + j, segs + k, s, p, icase)) {
          pos = p + len;
          found = true;
          break;
        }
      }
      if (!found) return false;
    }
    j = k + 1;
  }
  return true;
}

}  // namespace

absl::StatusOr<Pattern> Pattern::Compile(std::string_view text, const PatternOptions& options) {
  Pattern p;
  p.text_ = std::string(text);
  p.ignore_case_ = options.ignore_case;
  std::string lit;
  auto flush = [&] {
    if (!lit.empty()) p.AddLiteral(lit);
    lit.clear();
  };
  for (size_t i = 0; i < text.size();) {
    char c = text[i];
    if (options.variables && c == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      absl::StatusOr<Variable> v = ParseVariable(text, i);
      if (!v.ok()) return v.status();
      i = v->end;
      if (v->is_escape) {
        lit.push_back(v->escaped);
        continue;
      }
      flush();
      Token t{Kind::kVariable};
      t.offset = static_cast<uint32_t>(p.storage_.size());
      t.size = static_cast<uint32_t>(v->key.size());
      p.storage_.append(v->key);
      t.has_default = v->has_default;
      t.default_offset = static_cast<uint32_t>(p.storage_.size());
      t.default_size = static_cast<uint32_t>(v->default_value.size());
      p.storage_.append(v->default_value);
      p.tokens_.push_back(t);
      p.has_variables_ = true;
      continue;
    }
    if (options.wildcards && (c == '*' || c == '?')) {
      flush();
      bool repeated_star = c == '*' && !p.tokens_.empty() && p.tokens_.back().kind == Kind::kStar;
      if (!repeated_star) p.tokens_.push_back(Token{c == '*' ? Kind::kStar : Kind::kOne});
      ++i;
      continue;
    }
    lit.push_back(c);
    ++i;
  }
  flush();
  p.Finish();
  return p;
}

void Pattern::AddLiteral(std::string_view text) {
  Token t{Kind::kLiteral};
  t.offset = static_cast<uint32_t>(storage_.size());
  t.size = static_cast<uint32_t>(text.size());
  storage_.append(text);
  tokens_.push_back(t);
}

void Pattern::Finish() {
  shape_ = Shape::kGeneral;
  if (has_variables_) return;
  if (tokens_.empty()) {
    AddLiteral("");
    shape_ = Shape::kExact;
  } else if (tokens_.size() == 1 && tokens_[0].kind == Kind::kLiteral) {
    shape_ = Shape::kExact;
  } else if (tokens_.size() == 1 && tokens_[0].kind == Kind::kStar) {
    shape_ = Shape::kAny;
  } else if (tokens_.size() == 2 && tokens_[0].kind == Kind::kLiteral &&
             tokens_[1].kind == Kind::kStar) {
    shape_ = Shape::kPrefix;
  }
}

bool Pattern::ends_with_star() const {
  return !tokens_.empty() && tokens_.back().kind == Kind::kStar;
}

bool Pattern::Matches(std::string_view subject, const ContextMap* context) const {
  switch (shape_) {
    case Shape::kAny:
      return true;
    case Shape::kExact:
      return TextEq(subject, Slice(tokens_[0].offset, tokens_[0].size), ignore_case_);
    case Shape::kPrefix: {
      std::string_view prefix = Slice(tokens_[0].offset, tokens_[0].size);
      return subject.size() >= prefix.size() &&
             TextEq(subject.substr(0, prefix.size()), prefix, ignore_case_);
    }
    case Shape::kGeneral:
      break;
  }
  absl::InlinedVector<Seg, 8> segs;
  for (const Token& t : tokens_) {
    switch (t.kind) {
      case Kind::kLiteral:
        segs.push_back({Seg::kLit, Slice(t.offset, t.size)});
        break;
      case Kind::kStar:
        segs.push_back({Seg::kStar, {}});
        break;
      case Kind::kOne:
        segs.push_back({Seg::kOne, {}});
        break;
      case Kind::kVariable: {
        // Multivalued keys cannot be variables (IAM "Single-valued vs. multivalued keys").
        const std::vector<std::string>* values =
            context ? FindContextValues(*context, Slice(t.offset, t.size)) : nullptr;
        if (values != nullptr && values->size() == 1) {
          segs.push_back({Seg::kLit, (*values)[0]});
        } else if (t.has_default) {
          segs.push_back({Seg::kLit, Slice(t.default_offset, t.default_size)});
        } else {
          return false;
        }
        break;
      }
    }
  }
  return Glob(segs.data(), segs.size(), subject, ignore_case_);
}

namespace {

// Positions of the first `max` ':' of `text` that are outside ${...}.
absl::StatusOr<absl::InlinedVector<size_t, 5>> SegmentColons(std::string_view text, bool variables,
                                                             size_t max) {
  absl::InlinedVector<size_t, 5> colons;
  for (size_t i = 0; i < text.size() && colons.size() < max;) {
    if (variables && text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      absl::StatusOr<Variable> v = ParseVariable(text, i);
      if (!v.ok()) return v.status();
      i = v->end;
      continue;
    }
    if (text[i] == ':') colons.push_back(i);
    ++i;
  }
  return colons;
}

}  // namespace

absl::StatusOr<ArnPattern> ArnPattern::Compile(std::string_view text, bool variables) {
  ArnPattern a;
  a.text_ = std::string(text);
  absl::StatusOr<absl::InlinedVector<size_t, 5>> colons = SegmentColons(text, variables, 5);
  if (!colons.ok()) return colons.status();
  PatternOptions options{.wildcards = true, .variables = variables, .ignore_case = false};
  size_t start = 0;
  for (size_t i = 0; i <= colons->size(); ++i) {
    size_t end = i < colons->size() ? (*colons)[i] : text.size();
    absl::StatusOr<Pattern> seg = Pattern::Compile(text.substr(start, end - start), options);
    if (!seg.ok()) return seg.status();
    a.segments_.push_back(*std::move(seg));
    start = end + 1;
  }
  a.extends_ = a.segments_.size() < 6 && a.segments_.back().ends_with_star();
  a.literal_prefix_ = true;
  for (size_t i = 0; i + 1 < a.segments_.size(); ++i) {
    a.literal_prefix_ = a.literal_prefix_ && a.segments_[i].is_literal();
  }
  if (a.literal_prefix_) {
    for (size_t i = 0; i + 1 < a.segments_.size(); ++i) {
      a.prefix_.append(a.segments_[i].literal());  // escapes already resolved
      a.prefix_.push_back(':');
    }
  }
  return a;
}

bool ArnPattern::Matches(std::string_view arn, const ContextMap* context) const {
  const size_t k = segments_.size();
  if (k < 6 && !extends_) return false;
  if (literal_prefix_) {
    // The prefix holds the first k-1 colons of any matching ARN, so what follows is exactly
    // the last segment (or, for a short pattern ending in `*`, the rest).
    return arn.size() >= prefix_.size() && arn.compare(0, prefix_.size(), prefix_) == 0 &&
           segments_[k - 1].Matches(arn.substr(prefix_.size()), context);
  }
  size_t start = 0;
  for (size_t i = 0; i + 1 < k; ++i) {
    size_t colon = arn.find(':', start);
    if (colon == std::string_view::npos) return false;
    if (!segments_[i].Matches(arn.substr(start, colon - start), context)) return false;
    start = colon + 1;
  }
  // The last segment takes the rest: the resource part (which may hold ':'), or, for a
  // shorter pattern ending in `*`, everything after the matched prefix.
  return segments_[k - 1].Matches(arn.substr(start), context);
}

}  // namespace sb::policy::eval
