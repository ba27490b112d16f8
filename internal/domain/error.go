package domain

import (
	"errors"
	"fmt"
)

// Error codes. They reach API users in extensions.code.
const (
	EINVALID     = "EINVALID"     // the caller's input is wrong; the message says how
	ENOTFOUND    = "ENOTFOUND"    // no node with that ID
	ECONFLICT    = "ECONFLICT"    // the data contradicts itself (duplicate ID, stale expectedVersion …)
	EUNAVAILABLE = "EUNAVAILABLE" // the store cannot be reached or timed out
	EINTERNAL    = "EINTERNAL"    // a bug or unexpected failure; details are logged, not shown
	// EUNAUTHORIZED: a write (or, when configured, a read) came without a
	// valid bearer token.
	EUNAUTHORIZED = "EUNAUTHORIZED"
	// EFORBIDDEN: the token is valid but its role does not allow the action.
	EFORBIDDEN = "EFORBIDDEN"
)

// Error is stakegraph's one error type: a code plus a message meant for the
// user. Wrapped errors hold detail for logs only.
type Error struct {
	Code    string
	Message string
	Err     error // cause, for logs; never shown to users
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// WrapError returns an *Error with code and user message that keeps cause
// for logging.
func WrapError(code string, cause error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: cause}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err; errors that are not
// *Error get a generic message so internals never leak.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
