#include "policy/eval/pattern.h"

#include <gtest/gtest.h>

#include "tests/policy/eval/test_util.h"

namespace sb::policy::eval {
namespace {

using testing::Ctx;

Pattern Glob(std::string_view text, bool ignore_case = false) {
  auto p = Pattern::Compile(text, PatternOptions{.wildcards = true, .ignore_case = ignore_case});
  EXPECT_TRUE(p.ok()) << p.status();
  return *p;
}

Pattern WithVars(std::string_view text, bool wildcards = true) {
  auto p = Pattern::Compile(text, PatternOptions{.wildcards = wildcards, .variables = true});
  EXPECT_TRUE(p.ok()) << p.status();
  return *p;
}

bool M(std::string_view pattern, std::string_view subject) {
  return Glob(pattern).Matches(subject, nullptr);
}

TEST(PatternTest, ExactPrefixAndAny) {
  EXPECT_TRUE(M("abc", "abc"));
  EXPECT_FALSE(M("abc", "abcd"));
  EXPECT_FALSE(M("abc", "ab"));
  EXPECT_TRUE(M("abc*", "abc"));
  EXPECT_TRUE(M("abc*", "abcdef"));
  EXPECT_FALSE(M("abc*", "xabc"));
  EXPECT_TRUE(M("*", ""));
  EXPECT_TRUE(M("*", "anything/at/all"));
  EXPECT_TRUE(M("", ""));
  EXPECT_FALSE(M("", "a"));
}

TEST(PatternTest, StarCrossesSlashes) {
  EXPECT_TRUE(M("home/*", "home/alice/docs/a.txt"));
  EXPECT_TRUE(M("*/docs/*", "home/alice/docs/a.txt"));
  EXPECT_TRUE(M("home/*/a.txt", "home/alice/docs/a.txt"));
}

TEST(PatternTest, QuestionMarkIsExactlyOneByte) {
  EXPECT_TRUE(M("a?c", "abc"));
  EXPECT_TRUE(M("a?c", "a/c"));
  EXPECT_FALSE(M("a?c", "ac"));
  EXPECT_FALSE(M("a?c", "abbc"));
  EXPECT_TRUE(M("???", "xyz"));
  EXPECT_FALSE(M("???", "xy"));
  EXPECT_TRUE(M("*?", "x"));
  EXPECT_FALSE(M("*?", ""));
  EXPECT_TRUE(M("?*?", "ab"));
}

TEST(PatternTest, MultipleStarsNeedBacktracking) {
  EXPECT_TRUE(M("a*b*c", "aXbYbZc"));
  EXPECT_TRUE(M("a*b*c", "abc"));
  EXPECT_FALSE(M("a*b*c", "aXbYbZ"));
  EXPECT_TRUE(M("*.txt", "a.txt.txt"));
  EXPECT_FALSE(M("*.txt", "a.txt.gz"));
  EXPECT_FALSE(M("ab*ba", "aba"));  // head and tail must not overlap
  EXPECT_TRUE(M("ab*ba", "abba"));
  EXPECT_TRUE(M("**a**", "bab"));
  EXPECT_TRUE(M("*a*a*a*", "xaxaxa"));
  EXPECT_FALSE(M("*a*a*a*", "xaxax"));
  EXPECT_TRUE(M("*ab?d*", "zzabXabcdzz"));
}

TEST(PatternTest, LongSubjectWithManyStarsStaysCorrect) {
  std::string subject(2000, 'a');
  EXPECT_FALSE(M("*a*a*a*a*a*b", subject));
  subject.back() = 'b';
  EXPECT_TRUE(M("*a*a*a*a*a*b", subject));
}

// Reference matcher: textbook dynamic programming over (pattern, subject) prefixes.
bool ReferenceGlob(std::string_view p, std::string_view s) {
  std::vector<std::vector<char>> dp(p.size() + 1, std::vector<char>(s.size() + 1, 0));
  dp[0][0] = 1;
  for (size_t i = 1; i <= p.size(); ++i) {
    dp[i][0] = p[i - 1] == '*' && dp[i - 1][0];
    for (size_t j = 1; j <= s.size(); ++j) {
      if (p[i - 1] == '*') {
        dp[i][j] = dp[i - 1][j] || dp[i][j - 1];
      } else {
        dp[i][j] = (p[i - 1] == '?' || p[i - 1] == s[j - 1]) && dp[i - 1][j - 1];
      }
    }
  }
  return dp[p.size()][s.size()];
}

TEST(PatternTest, AgreesWithReferenceMatcherOnRandomInputs) {
  uint64_t state = 0x9e3779b97f4a7c15ULL;  // fixed seed: deterministic
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  const char kPatternChars[] = "ab*?/";
  const char kSubjectChars[] = "ab/";
  for (int iter = 0; iter < 20000; ++iter) {
    std::string p, s;
    for (size_t n = next() % 8; n > 0; --n) p.push_back(kPatternChars[next() % 5]);
    for (size_t n = next() % 10; n > 0; --n) s.push_back(kSubjectChars[next() % 3]);
    ASSERT_EQ(M(p, s), ReferenceGlob(p, s)) << "pattern \"" << p << "\" subject \"" << s << "\"";
  }
}

TEST(PatternTest, IgnoreCase) {
  EXPECT_TRUE(Glob("s3:Get*", true).Matches("S3:GETOBJECT", nullptr));
  EXPECT_TRUE(Glob("s3:getobject", true).Matches("s3:GetObject", nullptr));
  EXPECT_TRUE(Glob("S3:*Object?cl", true).Matches("s3:PutObjectAcl", nullptr));
  EXPECT_FALSE(Glob("s3:Get*").Matches("s3:getObject", nullptr));
}

TEST(PatternTest, WildcardsDisabledAreLiteral) {
  auto p = Pattern::Compile("a*b?", PatternOptions{.wildcards = false});
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->Matches("a*b?", nullptr));
  EXPECT_FALSE(p->Matches("aXXbY", nullptr));
}

TEST(PatternTest, VariablesResolveFromContext) {
  ContextMap ctx = Ctx({{"aws:username", {"alice"}}});
  Pattern p = WithVars("home/${aws:username}/*");
  EXPECT_TRUE(p.has_variables());
  EXPECT_TRUE(p.Matches("home/alice/a.txt", &ctx));
  EXPECT_FALSE(p.Matches("home/bob/a.txt", &ctx));
  // Key names are case-insensitive.
  EXPECT_TRUE(WithVars("home/${AWS:UserName}/*").Matches("home/alice/x", &ctx));
}

TEST(PatternTest, MissingOrMultivaluedVariableNeverMatches) {
  Pattern p = WithVars("home/${aws:username}*");
  ContextMap empty;
  EXPECT_FALSE(p.Matches("home/", &empty));
  EXPECT_FALSE(p.Matches("home/${aws:username}", &empty));
  EXPECT_FALSE(p.Matches("home/x", nullptr));
  ContextMap multi = Ctx({{"aws:username", {"a", "b"}}});
  EXPECT_FALSE(p.Matches("home/a", &multi));
  ContextMap blank = Ctx({{"aws:username", {}}});
  EXPECT_FALSE(p.Matches("home/", &blank));
}

TEST(PatternTest, SubstitutedValuesAreLiteral) {
  ContextMap ctx = Ctx({{"aws:username", {"*"}}});
  Pattern p = WithVars("home/${aws:username}/x");
  EXPECT_TRUE(p.Matches("home/*/x", &ctx));
  EXPECT_FALSE(p.Matches("home/alice/x", &ctx));
}

TEST(PatternTest, DefaultValues) {
  Pattern p = WithVars("team/${aws:PrincipalTag/team, 'company-wide'}/*");
  ContextMap none;
  EXPECT_TRUE(p.Matches("team/company-wide/a", &none));
  ContextMap ctx = Ctx({{"aws:PrincipalTag/team", {"blue"}}});
  EXPECT_TRUE(p.Matches("team/blue/a", &ctx));
  EXPECT_FALSE(p.Matches("team/company-wide/a", &ctx));
  Pattern quote = WithVars("${k, 'it''s'}", false);
  EXPECT_TRUE(quote.Matches("it's", &none));
  Pattern spaced = WithVars("${  k  ,  'd'  }", false);
  EXPECT_TRUE(spaced.Matches("d", &none));
  Pattern empty_default = WithVars("x${k, ''}y", false);
  EXPECT_TRUE(empty_default.Matches("xy", &none));
}

TEST(PatternTest, EscapesProduceLiteralCharacters) {
  Pattern p = WithVars("a${*}b${?}c${$}d");
  EXPECT_FALSE(p.has_variables());
  EXPECT_TRUE(p.Matches("a*b?c$d", nullptr));
  EXPECT_FALSE(p.Matches("aXXb?c$d", nullptr));
  EXPECT_FALSE(p.Matches("a*bXc$d", nullptr));
  EXPECT_TRUE(WithVars("${*}*").Matches("*anything", nullptr));
  EXPECT_FALSE(WithVars("${*}*").Matches("anything", nullptr));
}

TEST(PatternTest, VariablesDisabledKeepsDollarBraceLiteral) {
  auto p = Pattern::Compile("home/${aws:username}", PatternOptions{.variables = false});
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->has_variables());
  EXPECT_TRUE(p->Matches("home/${aws:username}", nullptr));
  auto unterminated = Pattern::Compile("${oops", PatternOptions{.variables = false});
  EXPECT_TRUE(unterminated.ok());
}

TEST(PatternTest, LoneDollarIsLiteral) {
  EXPECT_TRUE(WithVars("price$").Matches("price$", nullptr));
  EXPECT_TRUE(WithVars("$x{y}").Matches("$x{y}", nullptr));
}

TEST(PatternTest, MalformedVariablesAreErrors) {
  for (const char* bad : {"${", "${aws:username", "${}", "${ }", "${a, b}", "${a, 'x}",
                          "${a, 'x' y}", "${a b}", "${a${b}}", "x${a,}"}) {
    auto p = Pattern::Compile(bad, PatternOptions{.variables = true});
    EXPECT_FALSE(p.ok()) << bad;
    if (!p.ok()) {
      EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_NE(p.status().message().find("malformed policy variable"), absl::string_view::npos);
    }
  }
}

bool Arn(std::string_view pattern, std::string_view arn, const ContextMap* ctx = nullptr) {
  auto p = ArnPattern::Compile(pattern, true);
  EXPECT_TRUE(p.ok()) << p.status();
  return p->Matches(arn, ctx);
}

TEST(ArnPatternTest, S3Resources) {
  EXPECT_TRUE(Arn("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b/c.txt"));
  EXPECT_TRUE(Arn("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/key:with:colons"));
  EXPECT_FALSE(Arn("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket"));
  EXPECT_TRUE(Arn("arn:aws:s3:::bucket", "arn:aws:s3:::bucket"));
  EXPECT_FALSE(Arn("arn:aws:s3:::bucket", "arn:aws:s3:::bucket2"));
  EXPECT_TRUE(Arn("arn:aws:s3:::bucket*", "arn:aws:s3:::bucket2/x"));
  EXPECT_TRUE(Arn("arn:aws:s3:::*", "arn:aws:s3:::b/k"));
  EXPECT_TRUE(Arn("arn:aws:s3:::b/a*b", "arn:aws:s3:::b/a:x:b"));       // resource part holds ':'
  EXPECT_FALSE(Arn("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/x"));  // case-sensitive
  EXPECT_TRUE(Arn("arn:aws:s3:::b/a?c", "arn:aws:s3:::b/abc"));
}

TEST(ArnPatternTest, WildcardsStayInsideTheirSegment) {
  EXPECT_TRUE(Arn("arn:*:s3:::b", "arn:aws:s3:::b"));
  EXPECT_FALSE(Arn("arn:aws:*:::b", "arn:aws:s3:us-east-1:1:b"));
  EXPECT_TRUE(Arn("arn:aws:*:*:*:b", "arn:aws:s3:us-east-1:1:b"));
  EXPECT_FALSE(Arn("arn:aws:s?:::b", "arn:aws:s:::b"));
  EXPECT_FALSE(Arn("arn:aws:s3:::b", "arn:aws:s3::b"));  // too few segments
  EXPECT_FALSE(Arn("arn:aws:s3:::b", "not-an-arn"));
}

TEST(ArnPatternTest, TrailingStarExtendsPastColons) {
  EXPECT_TRUE(Arn("*", "arn:aws:s3:::b/k"));
  EXPECT_TRUE(Arn("*", "anything"));
  EXPECT_TRUE(Arn("arn:aws:iam::*", "arn:aws:iam::111122223333:user/bob"));
  EXPECT_TRUE(Arn("arn:aws:sns:*", "arn:aws:sns:us-east-1:111122223333:topic"));
  EXPECT_FALSE(Arn("arn:aws:sns:*", "arn:aws:sqs:us-east-1:111122223333:q"));
  auto short_no_star = ArnPattern::Compile("arn:aws:s3", true);
  ASSERT_TRUE(short_no_star.ok());
  EXPECT_FALSE(short_no_star->well_formed());
  EXPECT_FALSE(short_no_star->Matches("arn:aws:s3", nullptr));
}

TEST(ArnPatternTest, EscapesInLeadingSegments) {
  // A literal '*' (escaped) in a leading segment is plain text, not a wildcard.
  EXPECT_TRUE(Arn("arn:a${*}b:s3:::k", "arn:a*b:s3:::k"));
  EXPECT_FALSE(Arn("arn:a${*}b:s3:::k", "arn:aXb:s3:::k"));
  EXPECT_TRUE(Arn("arn:a${$}:s3:::k*", "arn:a$:s3:::key"));
}

TEST(ArnPatternTest, MixedLiteralAndWildcardLeadingSegments) {
  EXPECT_TRUE(Arn("arn:aws:s3:us-*:111122223333:b/*", "arn:aws:s3:us-east-1:111122223333:b/k"));
  EXPECT_FALSE(Arn("arn:aws:s3:us-*:111122223333:b/*", "arn:aws:s3:eu-west-1:111122223333:b/k"));
  EXPECT_FALSE(Arn("arn:aws:s3:us-*:111122223333:b/*", "arn:aws:s3:us-east-1:4444:b/k"));
  EXPECT_FALSE(Arn("arn:aws:s3:::b", "arn:aws:s3:::"));
  EXPECT_FALSE(Arn("arn:aws:s3:::", "arn:aws:s3::"));
  EXPECT_TRUE(Arn("arn:aws:s3:::", "arn:aws:s3:::"));
}

TEST(ArnPatternTest, VariablesDoNotCreateSegments) {
  ContextMap ctx = Ctx({{"k", {"x:y"}}});
  auto p = ArnPattern::Compile("arn:aws:s3:::b/${k}", true);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->segment_count(), 6u);
  EXPECT_TRUE(p->Matches("arn:aws:s3:::b/x:y", &ctx));
  ContextMap acct = Ctx({{"aws:PrincipalAccount", {"111122223333"}}});
  EXPECT_TRUE(Arn("arn:aws:iam::${aws:PrincipalAccount}:user/*",
                  "arn:aws:iam::111122223333:user/bob", &acct));
  EXPECT_FALSE(Arn("arn:aws:iam::${aws:PrincipalAccount}:user/*",
                   "arn:aws:iam::444455556666:user/bob", &acct));
  auto colon_in_default = ArnPattern::Compile("arn:aws:s3:::${missing, 'a:b'}", true);
  ASSERT_TRUE(colon_in_default.ok());
  EXPECT_EQ(colon_in_default->segment_count(), 6u);
  EXPECT_TRUE(colon_in_default->Matches("arn:aws:s3:::a:b", &ctx));
}

}  // namespace
}  // namespace sb::policy::eval
