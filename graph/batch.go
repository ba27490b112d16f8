package graph

import (
	"context"
	"fmt"
	"reflect"
	"runtime/debug"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// A batch of loader keys is sent to the store when the request has nothing
// left to do but wait for it: every field gqlgen will run at this point has
// started and has either finished or is waiting on a loader. A timer would
// add its whole wait to every request (and timers on a busy machine fire
// late), or split batches when it is short; counting the fields does
// neither. The timer below only bounds the wait (HandlerOptions.
// LoaderMaxWait), for a count gone wrong or a machine too busy to run the
// fields in that time.

// settle counts the fields of one request that are running or about to
// run. A field is counted before it starts: the root fields when the
// operation begins, a field's child fields when it returns the objects they
// belong to. It is uncounted when it returns, and while it waits on a
// loader.
type settle struct {
	types *objectTypes
	mu    sync.Mutex
	busy  int
	idle  chan struct{} // closed while busy <= 0
}

func newSettle(types *objectTypes) *settle {
	idle := make(chan struct{})
	close(idle)
	return &settle{types: types, idle: idle}
}

// objectTypes holds, for each object type of a schema, the type names its
// objects satisfy in a selection (itself, its interfaces and unions), as
// gqlgen's generated code collects their fields. Built once per handler.
type objectTypes struct {
	schema    *ast.Schema
	satisfies map[string][]string
}

func newObjectTypes(schema *ast.Schema) *objectTypes {
	t := &objectTypes{schema: schema, satisfies: map[string][]string{}}
	for name, def := range schema.Types {
		if def.Kind != ast.Object {
			continue
		}
		names := []string{name}
		for _, d := range schema.GetImplements(def) {
			names = append(names, d.Name)
		}
		t.satisfies[name] = names
	}
	return t
}

func (s *settle) add(n int) {
	if n == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	wasIdle := s.busy <= 0
	s.busy += n
	switch isIdle := s.busy <= 0; {
	case isIdle && !wasIdle:
		close(s.idle)
	case !isIdle && wasIdle:
		s.idle = make(chan struct{})
	}
}

// wait returns once no field is running or about to run, at the latest
// after bound, or when ctx is done.
func (s *settle) wait(ctx context.Context, bound time.Duration) {
	timer := time.NewTimer(bound)
	defer timer.Stop()
	for {
		s.mu.Lock()
		idle, ch := s.busy <= 0, s.idle
		s.mu.Unlock()
		if idle {
			return
		}
		select {
		case <-ch:
		case <-timer.C:
			return
		case <-ctx.Done():
			return
		}
	}
}

// countRootFields counts the operation's root fields before they run.
func countRootFields(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if l, ok := ctx.Value(loadersCtxKey{}).(*loaders); ok {
		opCtx := graphql.GetOperationContext(ctx)
		if root := opCtx.Operation; root != nil && root.Operation == ast.Query && l.settle.types != nil {
			l.settle.add(l.settle.fieldsOf(opCtx, root.SelectionSet, l.settle.types.schema.Query.Name))
		}
	}
	return next(ctx)
}

// trackFields uncounts each field when it returns, counting the fields of
// the objects it returned instead.
func trackFields(ctx context.Context, next graphql.Resolver) (res any, err error) {
	l, ok := ctx.Value(loadersCtxKey{}).(*loaders)
	if !ok {
		return next(ctx)
	}
	children := 0
	defer func() { l.settle.add(children - 1) }()
	res, err = next(ctx)
	if err == nil && res != nil {
		fc := graphql.GetFieldContext(ctx)
		if len(fc.Field.Selections) > 0 && fc.Field.Definition != nil {
			children = l.settle.fieldsIn(graphql.GetOperationContext(ctx), fc.Field.Selections, fc.Field.Definition.Type, reflect.ValueOf(res))
		}
	}
	return res, err
}

// fieldsIn counts the fields gqlgen will run for the objects in v, a value
// of GraphQL type t, under the selections sel.
func (s *settle) fieldsIn(opCtx *graphql.OperationContext, sel ast.SelectionSet, t *ast.Type, v reflect.Value) int {
	for v.IsValid() && (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) {
		if v.IsNil() {
			return 0
		}
		v = v.Elem()
	}
	if !v.IsValid() {
		return 0
	}
	if t.Elem != nil {
		if v.Kind() != reflect.Slice && v.Kind() != reflect.Array {
			return 0
		}
		n := 0
		for i := range v.Len() {
			n += s.fieldsIn(opCtx, sel, t.Elem, v.Index(i))
		}
		return n
	}
	if s.types == nil {
		return 0
	}
	def := s.types.schema.Types[t.NamedType]
	if def == nil {
		return 0
	}
	name := def.Name
	if def.IsAbstractType() {
		// The models of the concrete types carry their GraphQL names.
		name = v.Type().Name()
	}
	return s.fieldsOf(opCtx, sel, name)
}

// fieldsOf counts the fields of sel that run on an object of the named
// type; __typename is answered without running a field.
func (s *settle) fieldsOf(opCtx *graphql.OperationContext, sel ast.SelectionSet, typeName string) int {
	if s.types == nil {
		return 0
	}
	satisfies, ok := s.types.satisfies[typeName]
	if !ok {
		return 0
	}
	n := 0
	for _, f := range graphql.CollectFields(opCtx, sel, satisfies) {
		if f.Name != "__typename" {
			n++
		}
	}
	return n
}

// batchLoader batches and caches the loads of one request: keys asked for
// while the request's fields are still running wait and go to the store in
// one fetch once they have all settled.
type batchLoader[K comparable, V any] struct {
	fetch  func(context.Context, []K) ([]V, []error)
	settle *settle
	bound  time.Duration

	mu    sync.Mutex
	cache map[K]*loaded[V]
	batch *pending[K, V]
}

type loaded[V any] struct {
	done  chan struct{}
	value V
	err   error
}

type pending[K comparable, V any] struct {
	ctx     context.Context
	keys    []K
	results []*loaded[V]
}

func newBatchLoader[K comparable, V any](fetch func(context.Context, []K) ([]V, []error), s *settle, bound time.Duration) *batchLoader[K, V] {
	return &batchLoader[K, V]{fetch: fetch, settle: s, bound: bound, cache: map[K]*loaded[V]{}}
}

// Load returns the value for key, from the request's cache or the next
// batch.
func (l *batchLoader[K, V]) Load(ctx context.Context, key K) (V, error) {
	r := l.enqueue(ctx, key)
	l.await(r)
	return r.value, r.err
}

// LoadAll returns the values for keys, all from one batch where none is
// cached; the first error, if any.
func (l *batchLoader[K, V]) LoadAll(ctx context.Context, keys []K) ([]V, error) {
	rs := make([]*loaded[V], len(keys))
	for i, k := range keys {
		rs[i] = l.enqueue(ctx, k)
	}
	values := make([]V, len(keys))
	for i, r := range rs {
		l.await(r)
		if r.err != nil {
			return nil, r.err
		}
		values[i] = r.value
	}
	return values, nil
}

// Prime caches value for key unless key is already loaded or loading.
func (l *batchLoader[K, V]) Prime(key K, value V) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.cache[key]; !ok {
		done := make(chan struct{})
		close(done)
		l.cache[key] = &loaded[V]{done: done, value: value}
	}
}

func (l *batchLoader[K, V]) enqueue(ctx context.Context, key K) *loaded[V] {
	l.mu.Lock()
	defer l.mu.Unlock()
	if r, ok := l.cache[key]; ok {
		return r
	}
	r := &loaded[V]{done: make(chan struct{})}
	l.cache[key] = r
	if l.batch == nil {
		l.batch = &pending[K, V]{ctx: ctx}
		go l.dispatch(l.batch)
	}
	l.batch.keys = append(l.batch.keys, key)
	l.batch.results = append(l.batch.results, r)
	return r
}

// await waits for r, uncounting the waiting field meanwhile so that the
// batch holding r can go.
func (l *batchLoader[K, V]) await(r *loaded[V]) {
	select {
	case <-r.done:
		return
	default:
	}
	l.settle.add(-1)
	<-r.done
	l.settle.add(1)
}

func (l *batchLoader[K, V]) dispatch(b *pending[K, V]) {
	l.settle.wait(b.ctx, l.bound)
	l.mu.Lock()
	if l.batch == b {
		l.batch = nil
	}
	l.mu.Unlock()

	values, errs := l.safeFetch(b.ctx, b.keys)
	for i, r := range b.results {
		switch {
		case len(errs) == 1 && errs[0] != nil:
			r.err = errs[0]
		case len(values) != len(b.keys):
			r.err = domain.Errorf(domain.EINTERNAL, "loader fetch returned %d values for %d keys", len(values), len(b.keys))
		default:
			r.value = values[i]
			if i < len(errs) {
				r.err = errs[i]
			}
		}
		close(r.done)
	}
}

// safeFetch turns a panic in fetch into EINTERNAL for every key, with the
// stack in the error's detail for the log.
func (l *batchLoader[K, V]) safeFetch(ctx context.Context, keys []K) (values []V, errs []error) {
	defer func() {
		if p := recover(); p != nil {
			cause := fmt.Errorf("panic: %v\n%s", p, debug.Stack())
			values, errs = nil, []error{domain.WrapError(domain.EINTERNAL, cause, "internal error")}
		}
	}()
	return l.fetch(ctx, keys)
}
