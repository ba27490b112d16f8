// Package boltstore is the durable embedded store: the graph a user edits
// through the API, kept in one bbolt file in a state directory, with the
// embedded store's in-memory indexes (memstore) in front of it.
//
// Why bbolt (go.etcd.io/bbolt): it is pure Go, so the binary stays one
// static file without cgo; the database is one file; every update
// transaction is atomic and fsynced on commit, which is exactly the
// durability a write needs before it is acknowledged; and it is kept by the
// etcd project, which runs it under etcd itself. What the store keeps is a
// key-value log — the seeded dataset once, then one entry per change — so
// SQL would add nothing, and SQLite without cgo means a large transpiled
// dependency.
//
// The file holds the base dataset (graph and source texts) the state was
// seeded with and the change log (Seq → change as JSON; the texts of
// sources added by writes travel in their changes). Opening reads the base
// and replays the log. Reads go to an immutable snapshot (a memstore.Store
// of the current graph plus the history) behind an atomic pointer, so they
// never wait for a write. Writes are serialised: Plan against the current
// snapshot, derive the next snapshot from it by the change alone
// (memstore.Store.Apply; the two share everything the change does not
// touch), commit the change in one bbolt transaction, and only then
// publish the snapshot and acknowledge; a failed commit leaves memory as it
// was, so memory is never ahead of disk.
package boltstore

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/btree"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/history"
	"github.com/stakegraph/stakegraph/internal/memstore"
)

var (
	_ domain.Store        = (*Store)(nil)
	_ domain.Writer       = (*Store)(nil)
	_ history.Snapshotter = (*Store)(nil)
)

// FileName is the database file inside the state directory.
const FileName = "stakegraph.db"

// format is the layout version of the file, checked on open.
const format = "1"

var (
	bucketMeta    = []byte("meta")
	bucketBase    = []byte("base")
	bucketChanges = []byte("changes")
	keyFormat     = []byte("format")
	keyVersion    = []byte("base-version")
	keyGraph      = []byte("graph")
	keyTexts      = []byte("texts")
)

// ErrOtherData is the cause of the error Open returns when the state
// directory was seeded from another dataset than the one given.
var ErrOtherData = errors.New("state seeded from another dataset")

// Base is the dataset a new state is seeded with: a graph that passes
// Validate and the text of every Source node. The store keeps using the
// values given, so the caller must not modify them after Open.
type Base struct {
	Graph *domain.Graph
	Texts map[string]string
}

// Options change how Open treats an existing state.
type Options struct {
	// Reseed drops a state seeded from another dataset, history included,
	// and seeds it from the given one instead of refusing.
	Reseed bool
	// HistoryCacheSize is how many earlier versions AtVersion keeps built
	// (default 8).
	HistoryCacheSize int
}

// Store is the durable embedded store. It is safe for concurrent use.
type Store struct {
	db          *bolt.DB
	dir         string
	baseVersion string
	mu          sync.Mutex // serialises writers and Close
	closed      atomic.Bool
	cur         atomic.Pointer[snapshot]
	past        *history.Cache
}

// snapshot is one version of everything readers see. Nothing in it changes
// once published; the next write derives a new one sharing what it leaves.
type snapshot struct {
	mem       *memstore.Store
	graph     func() *domain.Graph    // the whole graph, built when first asked (history rewinds it)
	texts     map[string]string       // current Source node → text; copied only by a change to a Source
	revisions *btree.BTreeG[revision] // by ID
	// changes[i] has Seq i+1. Snapshots share the backing array: a writer
	// only appends beyond the length any published snapshot reads.
	changes []*domain.Change
	base    string // the base dataset's version
	version string // base, then "+N" after N changes
}

// revision is the Seq of the last change that targeted a node, relation
// or statement.
type revision struct {
	id  string
	seq int64
}

func revisionLess(a, b revision) bool { return a.id < b.id }

// revisionOf is the Seq of the last change that targeted id, 0 for none.
func (sn *snapshot) revisionOf(id string) int64 {
	r, _ := sn.revisions.Get(revision{id: id})
	return r.seq
}

func (sn *snapshot) seq() int64 { return int64(len(sn.changes)) }

// Open opens the state in dir, creating the directory and seeding it from
// base when it holds none; an existing state is read back and its history
// replayed. A state seeded from another dataset than base is refused (an
// EINVALID error wrapping ErrOtherData) unless opts.Reseed is set. A
// nil base.Graph opens whatever state dir holds.
func Open(ctx context.Context, dir string, base Base, opts Options) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, domain.WrapError(domain.EUNAVAILABLE, err, "cannot create the state directory %s: %v", dir, err)
	}
	path := filepath.Join(dir, FileName)
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		if errors.Is(err, bolterrors.ErrTimeout) {
			return nil, domain.WrapError(domain.EUNAVAILABLE, err, "the state in %s is in use by another stakegraph process", dir)
		}
		return nil, domain.WrapError(domain.EUNAVAILABLE, err, "cannot open the state in %s: %v", dir, err)
	}
	s := &Store{db: db, dir: dir}
	if err := s.load(ctx, base, opts); err != nil {
		_ = db.Close()
		return nil, err
	}
	size := opts.HistoryCacheSize
	if size == 0 {
		size = 8
	}
	s.past = history.NewCache(s, s, size)
	return s, nil
}

// stored is what the file holds, read in one transaction.
type stored struct {
	version string
	base    Base
	changes []*domain.Change
}

func (s *Store) load(ctx context.Context, base Base, opts Options) error {
	st, err := s.read()
	if err != nil {
		return err
	}
	if base.Graph != nil {
		want := base.Graph.Version()
		// The graph's version leaves the source texts out; a changed
		// text is another dataset too, as quotes are checked against it.
		same := st != nil && st.version == want && maps.Equal(st.base.Texts, base.Texts)
		switch {
		case st == nil:
			err = s.seed(base, want, false)
		case !same && opts.Reseed:
			err = s.seed(base, want, true)
		case !same:
			other := "version " + st.version
			if st.version == want {
				other = "other source texts"
			}
			return domain.WrapError(domain.EINVALID, ErrOtherData,
				"the state in %s was seeded from another dataset (%s, %d changes since) than the one given (version %s)",
				s.dir, other, len(st.changes), want)
		}
		if err != nil {
			return err
		}
		if !same {
			st = &stored{version: want, base: base}
		}
	} else if st == nil {
		return domain.Errorf(domain.EINVALID, "the state directory %s holds no state and no dataset was given to seed it", s.dir)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s.baseVersion = st.version
	sn, err := newSnapshot(st.base, st.changes, st.version)
	if err != nil {
		return domain.WrapError(domain.EINTERNAL, err, "the state in %s does not replay to a valid graph", s.dir)
	}
	s.cur.Store(sn)
	return nil
}

// read returns the stored state, nil when the file holds none yet.
func (s *Store) read() (*stored, error) {
	var st *stored
	err := s.db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			return nil
		}
		if f := string(meta.Get(keyFormat)); f != format {
			return fmt.Errorf("file format %q, this build reads %q", f, format)
		}
		st = &stored{version: string(meta.Get(keyVersion))}
		b := tx.Bucket(bucketBase)
		if b == nil {
			return errors.New("no base dataset")
		}
		if err := json.Unmarshal(b.Get(keyGraph), &st.base.Graph); err != nil {
			return fmt.Errorf("base graph: %w", err)
		}
		if err := json.Unmarshal(b.Get(keyTexts), &st.base.Texts); err != nil {
			return fmt.Errorf("base texts: %w", err)
		}
		changes := tx.Bucket(bucketChanges)
		if changes == nil {
			return errors.New("no change log")
		}
		return changes.ForEach(func(k, v []byte) error {
			c := new(domain.Change)
			if err := json.Unmarshal(v, c); err != nil {
				return fmt.Errorf("change %x: %w", k, err)
			}
			if want := int64(len(st.changes)) + 1; len(k) != 8 || int64(binary.BigEndian.Uint64(k)) != want || c.Seq != want {
				return fmt.Errorf("change log has a gap: key %x holds change %d where change %d should be", k, c.Seq, want)
			}
			st.changes = append(st.changes, c)
			return nil
		})
	})
	if err != nil {
		return nil, domain.WrapError(domain.EINTERNAL, err, "cannot read the state in %s", s.dir)
	}
	return st, nil
}

// seed writes base as the whole state in one transaction, dropping any
// state the file held when replace is set.
func (s *Store) seed(base Base, version string, replace bool) error {
	graph, err := json.Marshal(base.Graph)
	if err != nil {
		return domain.WrapError(domain.EINTERNAL, err, "cannot encode the dataset")
	}
	texts, err := json.Marshal(base.Texts)
	if err != nil {
		return domain.WrapError(domain.EINTERNAL, err, "cannot encode the source texts")
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		if replace {
			for _, name := range [][]byte{bucketMeta, bucketBase, bucketChanges} {
				if err := tx.DeleteBucket(name); err != nil && !errors.Is(err, bolterrors.ErrBucketNotFound) {
					return err
				}
			}
		}
		meta, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		b, err := tx.CreateBucket(bucketBase)
		if err != nil {
			return err
		}
		if _, err := tx.CreateBucket(bucketChanges); err != nil {
			return err
		}
		return errors.Join(meta.Put(keyFormat, []byte(format)), meta.Put(keyVersion, []byte(version)),
			b.Put(keyGraph, graph), b.Put(keyTexts, texts))
	})
	if err != nil {
		return domain.WrapError(domain.EUNAVAILABLE, err, "cannot seed the state in %s: %v", s.dir, err)
	}
	return nil
}

// newSnapshot replays changes over base. What is read from the file is
// checked in full, every entry by its own rules too; later snapshots only
// add changes Plan has checked.
func newSnapshot(base Base, changes []*domain.Change, baseVersion string) (*snapshot, error) {
	g, texts := domain.Replay(base.Graph, base.Texts, changes, false)
	if err := g.Validate(); err != nil {
		return nil, err
	}
	revisions := btree.NewG(32, revisionLess)
	for _, c := range changes {
		for _, st := range c.Steps {
			revisions.ReplaceOrInsert(revision{id: st.Target, seq: c.Seq})
		}
	}
	version := versionAfter(baseVersion, changes)
	mem, err := memstore.NewAt(g, version)
	if err != nil {
		return nil, err
	}
	return &snapshot{mem: mem, graph: func() *domain.Graph { return g }, texts: texts, revisions: revisions,
		changes: changes, base: baseVersion, version: version}, nil
}

// versionAfter is the data version after changes: the base's, then "+N".
func versionAfter(base string, changes []*domain.Change) string {
	if len(changes) == 0 {
		return base
	}
	return base + "+" + strconv.FormatInt(int64(len(changes)), 10)
}

// next is the snapshot after c, derived from sn, which stays as it was:
// the cost follows what c touches, not the graph.
func (sn *snapshot) next(c *domain.Change) (*snapshot, error) {
	changes := append(sn.changes, c)
	version := versionAfter(sn.base, changes)
	mem, err := sn.mem.Apply(c.Steps, version)
	if err != nil {
		return nil, err
	}
	header := *sn.revisions // Clone rewrites the header it is called on; sn's is read meanwhile
	revisions := header.Clone()
	texts := sn.texts
	copied := false
	for _, st := range c.Steps {
		revisions.ReplaceOrInsert(revision{id: st.Target, seq: c.Seq})
		if !st.IsNode() {
			continue
		}
		// As domain.Replay: a node gone takes its text along; a Source brings its own.
		_, had := texts[st.Target]
		source := st.After != nil && st.After.Node.Kind == domain.KindSource
		if (had || source) && !copied {
			texts, copied = maps.Clone(texts), true
		}
		switch {
		case st.After == nil:
			delete(texts, st.Target)
		case source:
			texts[st.Target] = st.After.Text
		}
	}
	return &snapshot{mem: mem, graph: sync.OnceValue(mem.Data), texts: texts, revisions: revisions,
		changes: changes, base: sn.base, version: version}, nil
}

func changeKey(seq int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(seq)) }

// Apply: see domain.Writer. The change is acknowledged only after its
// bbolt transaction has committed (and fsynced).
func (s *Store) Apply(ctx context.Context, w *domain.Write) (*domain.Change, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return nil, err
	}
	cur := s.cur.Load()
	c, err := domain.Plan(ctx, state{cur}, w)
	if err != nil {
		return nil, err
	}
	c.Seq = cur.seq() + 1
	c.At = time.Now().UTC().Round(0)
	if n := len(cur.changes); n > 0 && c.At.Before(cur.changes[n-1].At) {
		c.At = cur.changes[n-1].At // history's times never go backwards, so VersionAt can search them
	}
	data, err := json.Marshal(c)
	if err != nil {
		return nil, domain.WrapError(domain.EINTERNAL, err, "cannot encode change %d", c.Seq)
	}
	// History keeps what the file holds, so a reopened store is the same.
	kept := new(domain.Change)
	if err := json.Unmarshal(data, kept); err != nil {
		return nil, domain.WrapError(domain.EINTERNAL, err, "cannot decode change %d", c.Seq)
	}
	next, err := cur.next(kept)
	if err != nil {
		return nil, domain.WrapError(domain.EINTERNAL, err, "change %d passed the rules but leaves an invalid graph", c.Seq)
	}
	if err := ctx.Err(); err != nil {
		return nil, unavailable(err)
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketChanges)
		key := changeKey(c.Seq)
		if b.Get(key) != nil {
			return fmt.Errorf("change %d is already in the log", c.Seq)
		}
		return b.Put(key, data)
	})
	if err != nil {
		return nil, domain.WrapError(domain.EUNAVAILABLE, err, "the change could not be saved; nothing was changed")
	}
	s.cur.Store(next)
	return c, nil
}

// usable fails once the store is closed or ctx is done.
func (s *Store) usable(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return unavailable(err)
	}
	if s.closed.Load() {
		return domain.Errorf(domain.EUNAVAILABLE, "the store is closed")
	}
	return nil
}

func unavailable(err error) error {
	return domain.WrapError(domain.EUNAVAILABLE, err, "the request was cancelled or timed out")
}

// Changes: see domain.Writer.
func (s *Store) Changes(ctx context.Context, q domain.ChangeQuery) (*domain.ChangePage, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := s.usable(ctx); err != nil {
		return nil, err
	}
	sn := s.cur.Load()
	page := &domain.ChangePage{}
	for i := min(q.Since, sn.seq()); i < sn.seq(); i++ {
		c := sn.changes[i]
		if q.Target != "" && !c.Touches(q.Target) {
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

// DataVersion: see domain.Writer.
func (s *Store) DataVersion(ctx context.Context) (int64, error) {
	if err := s.usable(ctx); err != nil {
		return 0, err
	}
	return s.cur.Load().seq(), nil
}

// VersionAt: see domain.Writer.
func (s *Store) VersionAt(ctx context.Context, t time.Time) (int64, error) {
	if err := s.usable(ctx); err != nil {
		return 0, err
	}
	cs := s.cur.Load().changes
	return int64(sort.Search(len(cs), func(i int) bool { return cs[i].At.After(t) })), nil
}

// SourceText: see domain.Writer.
func (s *Store) SourceText(ctx context.Context, id string) (string, error) {
	if _, _, err := domain.ParseID(id); err != nil {
		return "", err
	}
	if err := s.usable(ctx); err != nil {
		return "", err
	}
	text, ok := s.cur.Load().texts[id]
	if !ok {
		return "", domain.Errorf(domain.ENOTFOUND, "no current source %s with a text", id)
	}
	return text, nil
}

// Revision: see domain.Writer.
func (s *Store) Revision(ctx context.Context, id string) (int64, error) {
	if err := s.usable(ctx); err != nil {
		return 0, err
	}
	return s.cur.Load().revisionOf(id), nil
}

// Current: see history.Snapshotter.
func (s *Store) Current(ctx context.Context) (*domain.Graph, int64, error) {
	if err := s.usable(ctx); err != nil {
		return nil, 0, err
	}
	sn := s.cur.Load()
	return sn.graph(), sn.seq(), nil
}

// AtVersion returns a read-only store of the graph at data version v,
// from a small cache of recently asked versions (see history.AtVersion).
func (s *Store) AtVersion(ctx context.Context, v int64) (domain.Store, error) {
	return s.past.AtVersion(ctx, v)
}

// Dir is the state directory.
func (s *Store) Dir() string { return s.dir }

// state is the view Plan checks a write against: one snapshot.
type state struct{ sn *snapshot }

func (st state) Node(ctx context.Context, id string) (*domain.Node, error) {
	nodes, err := st.sn.mem.Nodes(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	return nodes[0], nil
}

func (st state) Relation(_ context.Context, id string) (*domain.Relation, error) {
	return st.sn.mem.RelationWithID(id), nil
}

func (st state) RelationsOf(ctx context.Context, id string) ([]*domain.Relation, error) {
	if n, err := st.Node(ctx, id); n == nil || err != nil {
		return nil, err
	}
	return st.sn.mem.Relations(ctx, domain.RelationFilter{NodeIDs: []string{id}, Direction: domain.DirectionBoth})
}

// CitingRelations reads every relation: only retiring a Source and
// reverting ask, rarely.
func (st state) CitingRelations(ctx context.Context, sourceID string) ([]*domain.Relation, error) {
	all, err := st.sn.mem.Relations(ctx, domain.RelationFilter{})
	if err != nil {
		return nil, err
	}
	var out []*domain.Relation
	for _, r := range all {
		if slices.ContainsFunc(r.Evidence, func(e domain.Evidence) bool { return e.SourceID == sourceID }) {
			out = append(out, r)
		}
	}
	return out, nil
}

func (st state) Statement(_ context.Context, id string) (*domain.Statement, error) {
	return st.sn.mem.StatementWithID(id), nil
}

func (st state) StatementsOf(_ context.Context, id string) ([]*domain.Statement, error) {
	var out []*domain.Statement
	for _, s := range st.sn.mem.AllStatements() {
		if s.Mentions(id) {
			out = append(out, s)
		}
	}
	return out, nil
}

func (st state) SourceText(_ context.Context, id string) (string, bool, error) {
	t, ok := st.sn.texts[id]
	return t, ok, nil
}

func (st state) Revision(_ context.Context, id string) (int64, error) {
	return st.sn.revisionOf(id), nil
}

func (st state) Change(_ context.Context, seq int64) (*domain.Change, error) {
	if seq < 1 || seq > st.sn.seq() {
		return nil, nil
	}
	return st.sn.changes[seq-1], nil
}

// The reads of domain.Store go to the current snapshot.

// Statements: see domain.Store.
func (s *Store) Statements(ctx context.Context, q domain.StatementQuery) ([]*domain.Statement, error) {
	return s.cur.Load().mem.Statements(ctx, q)
}

// Node: see domain.Store.
func (s *Store) Node(ctx context.Context, id string) (*domain.Node, error) {
	return s.cur.Load().mem.Node(ctx, id)
}

// Nodes: see domain.Store.
func (s *Store) Nodes(ctx context.Context, ids []string) ([]*domain.Node, error) {
	return s.cur.Load().mem.Nodes(ctx, ids)
}

// FindNodes: see domain.Store.
func (s *Store) FindNodes(ctx context.Context, f domain.NodeFilter) (*domain.NodePage, error) {
	return s.cur.Load().mem.FindNodes(ctx, f)
}

// Search: see domain.Store.
func (s *Store) Search(ctx context.Context, q domain.SearchQuery) ([]domain.SearchHit, error) {
	return s.cur.Load().mem.Search(ctx, q)
}

// Relations: see domain.Store.
func (s *Store) Relations(ctx context.Context, f domain.RelationFilter) ([]*domain.Relation, error) {
	return s.cur.Load().mem.Relations(ctx, f)
}

// Related: see domain.Store.
func (s *Store) Related(ctx context.Context, q domain.RelatedQuery) (*domain.Related, error) {
	return s.cur.Load().mem.Related(ctx, q)
}

// Neighborhood: see domain.Store.
func (s *Store) Neighborhood(ctx context.Context, q domain.NeighborhoodQuery) (*domain.Subgraph, error) {
	return s.cur.Load().mem.Neighborhood(ctx, q)
}

// Graph: see domain.Store.
func (s *Store) Graph(ctx context.Context, q domain.GraphQuery) (*domain.Subgraph, error) {
	return s.cur.Load().mem.Graph(ctx, q)
}

// Paths: see domain.Store.
func (s *Store) Paths(ctx context.Context, q domain.PathQuery) ([]*domain.Path, error) {
	return s.cur.Load().mem.Paths(ctx, q)
}

// Cooperation: see domain.Store.
func (s *Store) Cooperation(ctx context.Context, q domain.CooperationQuery) ([]*domain.Cooperation, error) {
	return s.cur.Load().mem.Cooperation(ctx, q)
}

// CommonConnections: see domain.Store.
func (s *Store) CommonConnections(ctx context.Context, q domain.CommonConnectionsQuery) ([]*domain.CommonConnection, error) {
	return s.cur.Load().mem.CommonConnections(ctx, q)
}

// CoParticipation: see domain.Store.
func (s *Store) CoParticipation(ctx context.Context, q domain.CoParticipationQuery) ([]*domain.CoParticipation, error) {
	return s.cur.Load().mem.CoParticipation(ctx, q)
}

// Timeline: see domain.Store.
func (s *Store) Timeline(ctx context.Context, q domain.TimelineQuery) ([]*domain.TimelineEntry, error) {
	return s.cur.Load().mem.Timeline(ctx, q)
}

// Version is the base dataset's version, followed by "+N" once N changes
// have been made, so caches keyed by it never serve an answer computed
// before a write.
func (s *Store) Version(ctx context.Context) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	return s.cur.Load().version, nil
}

// Check: the store is ready when open and seeded from the dataset of
// version want; writes since do not change which dataset it serves.
func (s *Store) Check(ctx context.Context, want string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.closed.Load() {
		return domain.NotReadyError(domain.ReasonUnreachable, nil, "the embedded store is closed")
	}
	if s.baseVersion != want {
		return domain.NotReadyError(domain.ReasonOtherData, nil,
			"the embedded store was seeded from data version %s, not %s", s.baseVersion, want)
	}
	return nil
}

// Ping fails once the store is closed.
func (s *Store) Ping(ctx context.Context) error { return s.usable(ctx) }

// Close waits for a write in progress and closes the file.
func (s *Store) Close(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed.Swap(true) {
		return nil
	}
	return s.db.Close()
}
