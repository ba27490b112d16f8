package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// codeComplexity is the code gqlgen's complexity extension sets.
const codeComplexity = "COMPLEXITY_LIMIT_EXCEEDED"

// internalErrors makes every resolver error a *domain.Error: the store's
// errors already are; anything else is a bug and becomes EINTERNAL, so the
// presenter can tell resolver failures from gqlgen's input errors.
func internalErrors(ctx context.Context, next graphql.Resolver) (any, error) {
	res, err := next(ctx)
	if err == nil || isDomain(err) || isContext(err) {
		return res, err
	}
	return res, domain.WrapError(domain.EINTERNAL, err, "internal error")
}

// panicked marks an error made from a recovered panic, already logged.
type panicked struct{ value any }

func (p panicked) Error() string { return fmt.Sprintf("panic: %v", p.value) }

// recoverPanic logs a resolver panic with its stack and answers EINTERNAL.
func recoverPanic(logger *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		logger.ErrorContext(ctx, "graphql: panic in resolver",
			"panic", fmt.Sprint(p), "path", pathOf(ctx), "stack", string(debug.Stack()))
		return domain.WrapError(domain.EINTERNAL, panicked{p}, "internal error")
	}
}

// presentError is the one place errors become GraphQL errors. Every error
// leaves with extensions.code:
//   - *domain.Error: its code and user message; EINTERNAL shows only
//     "internal error" and the detail goes to the log;
//   - a deadline or cancellation: EUNAVAILABLE;
//   - gqlgen's own errors keep their code (GRAPHQL_PARSE_FAILED,
//     GRAPHQL_VALIDATION_FAILED, COMPLEXITY_LIMIT_EXCEEDED,
//     PERSISTED_QUERY_NOT_FOUND);
//   - other errors wrapping a cause come from coercing arguments (resolver
//     errors are all *domain.Error, see internalErrors): EINVALID;
//   - the rest are gqlgen's messages: EINTERNAL during execution (a null
//     in a non-null field), EINVALID before it (bad request).
func presentError(logger *slog.Logger, timeout time.Duration) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		detail := err.Error() // before the message is rewritten
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		if gqlErr.Extensions == nil {
			gqlErr.Extensions = map[string]any{}
		}
		var de *domain.Error
		code, _ := gqlErr.Extensions["code"].(string)
		switch {
		case errors.As(err, &de):
			code, detail = de.Code, de.Error()
			gqlErr.Message = domain.ErrorMessage(err)
		case isContext(err):
			code = domain.EUNAVAILABLE
			gqlErr.Message = fmt.Sprintf("the request did not finish within %s; ask for less (lower depth, maxHops, limit or first) and retry", timeout)
			if errors.Is(err, context.Canceled) {
				gqlErr.Message = "the request was cancelled before it finished"
			}
		case code == codeComplexity:
			gqlErr.Message += "; ask for fewer nested lists, or lower first, limit, maxHops or depth"
		case code != "":
			// gqlgen's own code: keep it and its message, naming the input
			// field at fault when a variable's value is wrong.
			if field := variableField(gqlErr.Path); field != "" && !strings.HasPrefix(gqlErr.Message, field) {
				gqlErr.Message = field + ": " + gqlErr.Message
			}
		case gqlErr.Err != nil:
			code = domain.EINVALID
		case graphql.GetFieldContext(ctx) != nil:
			code = domain.EINTERNAL
		default:
			code = domain.EINVALID
		}
		if code == domain.EUNAVAILABLE {
			logger.WarnContext(ctx, "graphql: store unavailable", "path", pathOf(ctx), "err", detail)
		}
		if code == domain.EINTERNAL || code == "" {
			code = domain.EINTERNAL
			if !errors.As(err, new(panicked)) {
				logger.ErrorContext(ctx, "graphql: internal error", "path", pathOf(ctx), "err", detail)
			}
			gqlErr.Message = "internal error"
		}
		gqlErr.Extensions["code"] = code
		return gqlErr
	}
}

// variableField names the part of a variable a coercion error points at,
// e.g. `$in.to` for the path [variable in to]; "" for other paths.
func variableField(path ast.Path) string {
	if len(path) < 2 || path[0] != ast.PathName("variable") {
		return ""
	}
	var b strings.Builder
	b.WriteString("$")
	for i, p := range path[1:] {
		switch p := p.(type) {
		case ast.PathName:
			if i > 0 {
				b.WriteString(".")
			}
			b.WriteString(string(p))
		case ast.PathIndex:
			fmt.Fprintf(&b, "[%d]", int(p))
		}
	}
	return b.String()
}

func isDomain(err error) bool {
	var de *domain.Error
	return errors.As(err, &de)
}

func isContext(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
}

func pathOf(ctx context.Context) string {
	if graphql.GetFieldContext(ctx) == nil {
		return ""
	}
	return graphql.GetPath(ctx).String()
}
