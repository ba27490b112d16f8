package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/maypok86/otter/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/lexer"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator/core"
	"github.com/vektah/gqlparser/v2/validator/rules"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// Bounds on one request, each checked before the step whose cost it
// bounds: the body before it is decoded, the tokens before the query is
// parsed, the fields (fragments expanded) before it is validated, whose
// overlapping-fields rule is quadratic in them.
const (
	DefaultMaxBodyBytes = 256 << 10
	// DefaultMaxWriteBodyBytes fits a source text of domain.MaxSourceTextLength
	// written with JSON escapes (at most two bytes for one in usual text) and
	// the query around it.
	DefaultMaxWriteBodyBytes = 2*domain.MaxSourceTextLength + 256<<10
	DefaultMaxQueryTokens    = 5000
	DefaultMaxQueryFields    = 500
	DefaultQueryCacheBytes   = 8 << 20
	persistedQueryBytes      = 2 << 20
	// maxErrors is how many errors one response lists (see limitErrors).
	maxErrors = 50
)

func init() {
	// A request turned away before execution (bounds, argument coercion)
	// is the client's mistake: answer it with a 4xx status, as gqlgen does
	// its own validation failures.
	errcode.RegisterErrorType(domain.EINVALID, errcode.KindProtocol)
}

// queryBounds turns away query texts over the token or field bounds before
// gqlgen parses and validates them. It runs after the persisted-query
// extension, so it sees the full text of a persisted query too.
type queryBounds struct {
	maxTokens int
	maxFields int
	cache     *Cache[*ast.QueryDocument] // texts found here were bounded when first seen
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = queryBounds{}

func (queryBounds) ExtensionName() string                          { return "QueryBounds" }
func (queryBounds) Validate(schema graphql.ExecutableSchema) error { return nil }

func (b queryBounds) MutateOperationParameters(ctx context.Context, params *graphql.RawParams) *gqlerror.Error {
	if _, ok := b.cache.Get(ctx, params.Query); ok {
		return nil
	}
	src := &ast.Source{Input: params.Query}
	if countTokens(src, b.maxTokens) > b.maxTokens {
		return boundError("the query has more than %d tokens; split it into smaller queries", b.maxTokens)
	}
	doc, err := parser.ParseQuery(src)
	if err != nil {
		return nil // gqlgen reports the syntax error with its own code
	}
	if n := expandedFields(doc, b.maxFields); n > b.maxFields {
		return boundError("the query selects more than %d fields once its fragments are expanded; ask for fewer fields or aliases, or split it into smaller queries", b.maxFields)
	}
	return nil
}

// validationRules are gqlparser's default rules, stopping after one error
// more than a response lists (see limitErrors): a query whose fields
// conflict pairwise would otherwise be made into tens of thousands of
// errors. gqlgen calls this once per validation, so the count is per query.
func validationRules() *rules.Rules {
	all := rules.NewDefaultRules()
	reported := 0
	for name, check := range all.GetInner() {
		all.ReplaceRule(name, func(observers *core.Events, addError core.AddErrFunc) {
			check(observers, func(options ...core.ErrorOption) {
				if reported <= maxErrors {
					reported++
					addError(options...)
				}
			})
		})
	}
	return all
}

func boundError(format string, args ...any) *gqlerror.Error {
	return &gqlerror.Error{
		Message:    fmt.Sprintf(format, args...),
		Extensions: map[string]any{"code": domain.EINVALID},
	}
}

// countTokens counts the tokens of src, stopping once past limit. A lexing
// error ends the count: the parser reports it.
func countTokens(src *ast.Source, limit int) int {
	lex := lexer.New(src)
	n := 0
	for n <= limit {
		tok, err := lex.ReadToken()
		if err != nil || tok.Kind == lexer.EOF {
			break
		}
		n++
	}
	return n
}

// expandedFields counts the fields doc selects with every fragment spread
// replaced by its fragment: those of every operation, and those of the
// fragment definitions no operation spreads. Validation also walks each
// spread fragment's definition once on its own, which at most doubles the
// count, so it bounds validation's work. Each fragment is counted once
// (memoised), so nested fragments that spread the next one twice cost
// linear time here however large their expansion; counts stop growing once
// past limit. A cyclic spread counts 0: validation reports the cycle.
func expandedFields(doc *ast.QueryDocument, limit int) int {
	const counting = -1
	fragments := map[string]int{}
	var selection func(ast.SelectionSet) int
	fragment := func(name string) int {
		if n, ok := fragments[name]; ok {
			return max(n, 0)
		}
		def := doc.Fragments.ForName(name)
		if def == nil {
			return 0
		}
		fragments[name] = counting
		n := selection(def.SelectionSet)
		fragments[name] = n
		return n
	}
	selection = func(set ast.SelectionSet) int {
		n := 0
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				n += 1 + selection(s.SelectionSet)
			case *ast.InlineFragment:
				n += selection(s.SelectionSet)
			case *ast.FragmentSpread:
				n += fragment(s.Name)
			}
			if n > limit {
				return limit + 1
			}
		}
		return n
	}
	total := 0
	for _, op := range doc.Operations {
		total += selection(op.SelectionSet)
		if total > limit {
			return limit + 1
		}
	}
	for _, def := range doc.Fragments {
		if _, spread := fragments[def.Name]; spread {
			continue
		}
		total += fragment(def.Name)
		if total > limit {
			return limit + 1
		}
	}
	return total
}

// Cache is a graphql.Cache bounded by the total weight of its entries in
// bytes, so a few large query texts cannot pin much memory.
type Cache[V any] struct {
	cache *otter.Cache[string, V]
}

func newCache[V any](maxBytes int, weigh func(key string, value V) int) *Cache[V] {
	return &Cache[V]{cache: otter.Must(&otter.Options[string, V]{
		MaximumWeight: uint64(maxBytes),
		Weigher: func(key string, value V) uint32 {
			return uint32(min(weigh(key, value), maxBytes))
		},
	})}
}

// astBytesPerToken bounds what a parsed query holds per token of its text
// (positions, names, selection nodes): about 100–250 bytes measured.
const astBytesPerToken = 256

// NewQueryCache returns a cache of parsed queries, keyed by their text,
// holding at most maxBytes: an entry weighs its text plus astBytesPerToken
// per token.
func NewQueryCache(maxBytes int) *Cache[*ast.QueryDocument] {
	return newCache(maxBytes, func(query string, _ *ast.QueryDocument) int {
		return len(query) + astBytesPerToken*countTokens(&ast.Source{Input: query}, DefaultMaxQueryTokens)
	})
}

// newPersistedQueryCache returns a cache of persisted query texts, keyed by
// hash, holding at most maxBytes of text.
func newPersistedQueryCache(maxBytes int) *Cache[string] {
	return newCache(maxBytes, func(hash, query string) int { return len(hash) + len(query) })
}

func (c *Cache[V]) Get(_ context.Context, key string) (V, bool) {
	return c.cache.GetIfPresent(key)
}

func (c *Cache[V]) Add(_ context.Context, key string, value V) {
	c.cache.Set(key, value)
}

// Bytes is the weight the cache holds now, once pending evictions are done.
func (c *Cache[V]) Bytes() int {
	c.cache.CleanUp()
	return int(c.cache.WeightedSize())
}
