package graph_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/memstore"
)

// planStore is the shipped data in an embedded store that takes writes
// through domain.Plan, keeping history in memory. It stands in for the
// durable store in the API's own tests, which check the API, not
// durability; the end-to-end tests in cmd/stakegraph run the real one.
type planStore struct {
	domain.Store // the current graph, rebuilt after every change

	mu      sync.Mutex
	nodes   map[string]*domain.Node
	rels    map[string]*domain.Relation
	texts   map[string]string
	changes []*domain.Change
	now     func() time.Time
}

var _ domain.Writer = (*planStore)(nil)

func newPlanStore(tb testing.TB) *planStore {
	tb.Helper()
	g, err := dataset.Shipped()
	if err != nil {
		tb.Fatalf("loading the shipped dataset: %v", err)
	}
	s := &planStore{nodes: map[string]*domain.Node{}, rels: map[string]*domain.Relation{}, texts: map[string]string{}, now: time.Now}
	for _, n := range g.Nodes {
		s.nodes[n.ID] = n
		if t, ok := dataset.SourceText(n.ID); ok && n.Kind == domain.KindSource {
			s.texts[n.ID] = t
		}
	}
	for _, r := range g.Relations {
		s.rels[r.ID] = r
	}
	if s.Store, err = memstore.New(g); err != nil {
		tb.Fatalf("building the store: %v", err)
	}
	return s
}

func (s *planStore) Apply(ctx context.Context, w *domain.Write) (*domain.Change, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := domain.Plan(ctx, planState{s}, w)
	if err != nil {
		return nil, err
	}
	c.Seq, c.At = int64(len(s.changes))+1, s.now().UTC()
	for _, st := range domain.ApplyOrder(c.Steps) {
		switch {
		case st.IsRelation() && st.After == nil:
			delete(s.rels, st.Target)
		case st.IsRelation():
			s.rels[st.Target] = st.After.Relation
		case st.After == nil:
			delete(s.nodes, st.Target)
			delete(s.texts, st.Target)
		default:
			s.nodes[st.Target] = st.After.Node
			if st.After.Node.Kind == domain.KindSource {
				s.texts[st.Target] = st.After.Text
			}
		}
	}
	g := &domain.Graph{}
	for _, n := range s.nodes {
		g.Nodes = append(g.Nodes, n)
	}
	for _, r := range s.rels {
		g.Relations = append(g.Relations, r)
	}
	domain.SortNodes(g.Nodes)
	domain.SortRelations(g.Relations)
	store, err := memstore.New(g)
	if err != nil {
		return nil, err
	}
	s.Store = store
	s.changes = append(s.changes, c)
	return c, nil
}

func (s *planStore) Changes(_ context.Context, q domain.ChangeQuery) (*domain.ChangePage, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	page := &domain.ChangePage{}
	for _, c := range s.changes {
		if c.Seq <= q.Since || (q.Target != "" && !c.Touches(q.Target)) {
			continue
		}
		if len(page.Changes) == q.First {
			page.HasNextPage = true
			break
		}
		page.Changes = append(page.Changes, c)
	}
	return page, nil
}

func (s *planStore) DataVersion(context.Context) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return int64(len(s.changes)), nil
}

func (s *planStore) VersionAt(_ context.Context, t time.Time) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := int64(0)
	for _, c := range s.changes {
		if !c.At.After(t) {
			v = c.Seq
		}
	}
	return v, nil
}

func (s *planStore) SourceText(_ context.Context, id string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.texts[id]
	if !ok {
		return "", domain.Errorf(domain.ENOTFOUND, "no source %s", id)
	}
	return t, nil
}

func (s *planStore) Revision(_ context.Context, id string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.revision(id), nil
}

func (s *planStore) revision(id string) int64 {
	for i := len(s.changes) - 1; i >= 0; i-- {
		for _, st := range s.changes[i].Steps {
			if st.Target == id {
				return s.changes[i].Seq
			}
		}
	}
	return 0
}

// planState is the view Plan reads, under the store's lock.
type planState struct{ s *planStore }

func (p planState) Node(_ context.Context, id string) (*domain.Node, error) {
	return p.s.nodes[id], nil
}

func (p planState) Relation(_ context.Context, id string) (*domain.Relation, error) {
	return p.s.rels[id], nil
}

func (p planState) RelationsOf(_ context.Context, id string) ([]*domain.Relation, error) {
	var out []*domain.Relation
	for _, r := range p.s.rels {
		if r.From == id || r.To == id {
			out = append(out, r)
		}
	}
	domain.SortRelations(out)
	return out, nil
}

func (p planState) CitingRelations(_ context.Context, src string) ([]*domain.Relation, error) {
	var out []*domain.Relation
	for _, r := range p.s.rels {
		if slices.ContainsFunc(r.Evidence, func(e domain.Evidence) bool { return e.SourceID == src }) {
			out = append(out, r)
		}
	}
	domain.SortRelations(out)
	return out, nil
}

func (p planState) SourceText(_ context.Context, id string) (string, bool, error) {
	t, ok := p.s.texts[id]
	return t, ok, nil
}

func (p planState) Revision(_ context.Context, id string) (int64, error) {
	return p.s.revision(id), nil
}

func (p planState) Change(_ context.Context, seq int64) (*domain.Change, error) {
	if seq < 1 || seq > int64(len(p.s.changes)) {
		return nil, nil
	}
	return p.s.changes[seq-1], nil
}
