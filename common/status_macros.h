// Status propagation macros. Debian's abseil 20220623 has no ABSL_RETURN_IF_ERROR;
// switch to abseil's own when we upgrade.
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define SB_CONCAT_INNER_(a, b) a##b
#define SB_CONCAT_(a, b) SB_CONCAT_INNER_(a, b)

// Returns the status from the enclosing function if `expr` is not OK.
#define SB_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::absl::Status sb_status_ = (expr);      \
    if (!sb_status_.ok()) return sb_status_; \
  } while (0)

// `lhs = value of expr` or return its error status.
#define SB_ASSIGN_OR_RETURN(lhs, expr) \
  SB_ASSIGN_OR_RETURN_IMPL_(SB_CONCAT_(sb_statusor_, __LINE__), lhs, expr)
#define SB_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return std::move(tmp).status();  \
  lhs = std::move(tmp).value()
