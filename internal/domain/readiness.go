package domain

import "errors"

// Why a store is not ready to answer. /readyz shows the reason; queries
// answer the EUNAVAILABLE error that carries it.
const (
	// ReasonUnreachable: the store does not answer (down, refusing
	// connections, timing out, rejecting the credentials).
	ReasonUnreachable = "store-unreachable"
	// ReasonNoData: the store answers but holds no stakegraph data, e.g. a
	// database restarted empty.
	ReasonNoData = "data-missing"
	// ReasonOtherData: the store holds another version of the data than
	// the one this build serves.
	ReasonOtherData = "data-version-mismatch"
	// ReasonNoSchema: the data is there but a schema object the queries
	// need (uniqueness constraint, full-text index) is missing or offline.
	ReasonNoSchema = "schema-missing"
)

// reasonSummaries describe each reason in a few words, free of internals
// (no URI, no server message), for a readiness probe's body.
var reasonSummaries = map[string]string{
	ReasonUnreachable: "the store does not answer",
	ReasonNoData:      "the store does not hold the stakegraph data",
	ReasonOtherData:   "the store holds another version of the stakegraph data",
	ReasonNoSchema:    "the store lacks the constraint or index its queries need",
}

// NotReady is the cause inside the EUNAVAILABLE error of a store that
// cannot serve the data it should: its Reason is one of the Reason
// constants, and Err is the underlying failure, for logs.
type NotReady struct {
	Reason string
	Err    error
}

func (e *NotReady) Error() string {
	if e.Err != nil {
		return e.Reason + ": " + e.Err.Error()
	}
	return e.Reason
}

func (e *NotReady) Unwrap() error { return e.Err }

// NotReadyError returns the EUNAVAILABLE error a store answers while it is
// not ready for reason; message tells an operator what to do, cause is kept
// for logs.
func NotReadyError(reason string, cause error, format string, args ...any) *Error {
	e := Errorf(EUNAVAILABLE, format, args...)
	e.Err = &NotReady{Reason: reason, Err: cause}
	return e
}

// NotReadyReason returns why err makes a store not ready: the Reason of a
// *NotReady in its chain, ReasonUnreachable for any other error (a failed
// ping) and "" for nil.
func NotReadyReason(err error) string {
	if err == nil {
		return ""
	}
	var nr *NotReady
	if errors.As(err, &nr) {
		return nr.Reason
	}
	return ReasonUnreachable
}

// NotReadySummary is a reason's short description, free of internals.
func NotReadySummary(reason string) string {
	if s, ok := reasonSummaries[reason]; ok {
		return s
	}
	return "the store is not ready"
}
