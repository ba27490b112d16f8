package domain_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
)

func TestNotReady(t *testing.T) {
	cause := errors.New("dial tcp 10.0.0.7:7687: connection refused")
	tests := []struct {
		name        string
		err         error
		wantReason  string
		wantCode    string
		wantMessage string
	}{
		{"ready", nil, "", "", ""},
		{"a failed ping", domain.Errorf(domain.EUNAVAILABLE, "not reachable"), domain.ReasonUnreachable, domain.EUNAVAILABLE, "not reachable"},
		{"any other error", cause, domain.ReasonUnreachable, domain.EINTERNAL, "internal error"},
		{"data missing", domain.NotReadyError(domain.ReasonNoData, nil, "run %s", "`stakegraph seed`"),
			domain.ReasonNoData, domain.EUNAVAILABLE, "run `stakegraph seed`"},
		{"with a cause", domain.NotReadyError(domain.ReasonUnreachable, cause, "Neo4j is not reachable"),
			domain.ReasonUnreachable, domain.EUNAVAILABLE, "Neo4j is not reachable"},
		{"wrapped", fmt.Errorf("query: %w", domain.NotReadyError(domain.ReasonNoSchema, nil, "no index")),
			domain.ReasonNoSchema, domain.EUNAVAILABLE, "no index"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := domain.NotReadyReason(tt.err); got != tt.wantReason {
				t.Errorf("NotReadyReason: got %q, want %q", got, tt.wantReason)
			}
			if got := domain.ErrorCode(tt.err); got != tt.wantCode {
				t.Errorf("ErrorCode: got %q, want %q", got, tt.wantCode)
			}
			if got := domain.ErrorMessage(tt.err); got != tt.wantMessage {
				t.Errorf("ErrorMessage: got %q, want %q (the cause is for logs only)", got, tt.wantMessage)
			}
			if tt.err != nil && errors.Is(tt.err, cause) != strings.Contains(tt.err.Error(), "connection refused") {
				t.Errorf("the cause is kept for logs: errors.Is %v, Error() %q", errors.Is(tt.err, cause), tt.err.Error())
			}
		})
	}
	for _, reason := range []string{domain.ReasonUnreachable, domain.ReasonNoData, domain.ReasonOtherData, domain.ReasonNoSchema} {
		if summary := domain.NotReadySummary(reason); summary == domain.NotReadySummary("no-such-reason") {
			t.Errorf("NotReadySummary(%q): got the generic %q, want one of its own", reason, summary)
		}
	}
}
