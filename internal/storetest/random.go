package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// RunRandom asks s, which holds g, rounds of randomly drawn neighbourhood,
// whole-graph, relation, connected-node, search, path and cooperation queries (drawn from seed, with random
// scopes, kinds and avoided nodes), then a few rounds of centrality (exact
// and sampled), brokerage and co-participation, and compares every answer
// with the brute-force reference. It is meant for generated graphs (internal/synth),
// whose shapes the hand-picked cases of Run do not reach.
func RunRandom(t *testing.T, s domain.Store, g *domain.Graph, seed uint64, rounds int) {
	t.Helper()
	ctx := context.Background()
	ref := newReference(g)
	rng := rand.New(rand.NewPCG(seed, 0x5ca1e))
	d := drawer{rng: rng, ref: ref}
	for round := range rounds {
		nq := domain.NeighborhoodQuery{Root: d.node().ID, Depth: 1 + rng.IntN(3)}
		if rng.IntN(2) == 0 {
			nq.RelationTypes = d.types()
		}
		if rng.IntN(3) == 0 {
			nq.Kinds = d.kinds()
		}
		if rng.IntN(4) == 0 {
			nq.Topic = d.topic()
		}
		if rng.IntN(3) == 0 {
			nq.AsOf = d.date()
		}
		t.Run(fmt.Sprintf("%d neighborhood %+v", round, nq), func(t *testing.T) {
			sub, err := s.Neighborhood(ctx, nq)
			noErr(t, err)
			nodes, rels, capped := ref.neighborhood(nq)
			compareRows(t, "nodes", nodeIDs(sub.Nodes), nodes)
			compareRows(t, "relations", relationIDs(sub.Relations), rels)
			compareRows(t, "capped", sub.Capped, capped)
		})

		if round%5 == 0 {
			gq := domain.GraphQuery{}
			if rng.IntN(2) == 0 {
				gq.Kinds = d.kinds()
			}
			if rng.IntN(2) == 0 {
				gq.Topic = d.topic()
			}
			if rng.IntN(2) == 0 {
				gq.AsOf = d.date()
			}
			t.Run(fmt.Sprintf("%d graph %+v", round, gq), func(t *testing.T) {
				sub, err := s.Graph(ctx, gq)
				noErr(t, err)
				nodes, rels := ref.graph(gq)
				compareRows(t, "nodes", nodeIDs(sub.Nodes), nodes)
				compareRows(t, "relations", relationIDs(sub.Relations), rels)
			})
		}

		rf := domain.RelationFilter{NodeIDs: []string{d.node().ID}}
		if rng.IntN(3) == 0 {
			rf.NodeIDs = append(rf.NodeIDs, d.node().ID)
		}
		if rng.IntN(3) > 0 {
			rf.Types = d.types()
		}
		rf.Direction = []domain.Direction{"", domain.DirectionOut, domain.DirectionIn, domain.DirectionBoth}[rng.IntN(4)]
		t.Run(fmt.Sprintf("%d relations %+v", round, rf), func(t *testing.T) {
			rels, err := s.Relations(ctx, rf)
			noErr(t, err)
			compareRows(t, "relations", relationIDs(rels), ref.matchingRelations(rf))
		})
		t.Run(fmt.Sprintf("%d related %+v", round, rf), func(t *testing.T) {
			got, err := s.Related(ctx, domain.RelatedQuery{RelationFilter: rf})
			noErr(t, err)
			compareRows(t, "related relations", relationIDs(got.Relations), ref.matchingRelations(rf))
			compareRows(t, "related ends", nodeIDs(got.Ends), domain.EndIDs(got.Relations))
		})

		fq := domain.NodeFilter{ConnectedTo: d.node().ID, First: 1 + rng.IntN(10)}
		if rng.IntN(2) == 0 {
			fq.Kinds = d.kinds()
		}
		t.Run(fmt.Sprintf("%d findNodes %+v", round, fq), func(t *testing.T) {
			var want []string
			for _, n := range ref.nodes {
				if ref.adjacent(fq.ConnectedTo, n.ID) && (len(fq.Kinds) == 0 || slices.Contains(fq.Kinds, n.Kind)) {
					want = append(want, n.ID)
				}
			}
			page, err := s.FindNodes(ctx, fq)
			noErr(t, err)
			if page.Total != len(want) || page.HasNextPage != (len(want) > fq.First) {
				t.Errorf("total %d, hasNextPage %v: want %d, %v", page.Total, page.HasNextPage, len(want), len(want) > fq.First)
			}
			compareRows(t, "first page", nodeIDs(page.Nodes), want[:min(len(want), fq.First)])
		})

		sq := domain.SearchQuery{Text: d.searchText(), First: 1 + rng.IntN(30)}
		if rng.IntN(3) == 0 {
			sq.Kinds = d.kinds()
		}
		t.Run(fmt.Sprintf("%d search %+v", round, sq), func(t *testing.T) {
			hits, err := s.Search(ctx, sq)
			noErr(t, err)
			compareRows(t, "hits", renderAll(hits, renderHit), renderAll(ref.search(sq), renderHit))
		})

		pq := domain.PathQuery{
			From: d.node().ID, To: d.node().ID, MaxHops: 1 + rng.IntN(4), Limit: []int{1, 3, 10, 50}[rng.IntN(4)],
			Mode: []domain.PathMode{domain.PathShortest, domain.PathKShortest, domain.PathAllSimple}[rng.IntN(3)],
		}
		if pq.From == pq.To {
			continue
		}
		if rng.IntN(3) == 0 {
			pq.RelationTypes = d.types()
		}
		if rng.IntN(4) == 0 {
			pq.Topics = []string{d.topic()}
		}
		if rng.IntN(3) == 0 {
			pq.AsOf = d.date()
		}
		for range rng.IntN(3) {
			if id := d.node().ID; id != pq.From && id != pq.To {
				pq.Avoid = append(pq.Avoid, id)
			}
		}
		t.Run(fmt.Sprintf("%d paths %s", round, pathName(pq)), func(t *testing.T) {
			checkPaths(ctx, t, s, ref, pq)
		})

		cq := domain.CooperationQuery{Actor: d.actor().ID, RollUp: rng.IntN(2) == 0}
		if rng.IntN(3) == 0 {
			cq.AsOf = d.date()
		}
		t.Run(fmt.Sprintf("%d cooperation %+v", round, cq), func(t *testing.T) {
			rows, err := s.Cooperation(ctx, cq)
			noErr(t, err)
			compareRows(t, "cooperation", renderAll(rows, renderCooperation), ref.cooperation(cq))
		})
	}
	randomAnalyses(ctx, t, s, d, max(rounds/15, 1))
}

// search scores every node, the definition the stores must meet.
func (ref *reference) search(q domain.SearchQuery) []domain.SearchHit {
	tokens := domain.Tokens(q.Text)
	var hits []domain.SearchHit
	for _, n := range ref.nodes {
		if len(q.Kinds) > 0 && !slices.Contains(q.Kinds, n.Kind) {
			continue
		}
		if score := domain.MatchScore(n, tokens); score > 0 {
			hits = append(hits, domain.SearchHit{Score: score, Node: n})
		}
	}
	domain.SortSearchHits(hits)
	return hits[:min(len(hits), q.First)]
}

func renderHit(h domain.SearchHit) string { return fmt.Sprintf("%s=%g", h.Node.ID, h.Score) }

// drawer draws the parts of random queries from the reference's graph.
type drawer struct {
	rng *rand.Rand
	ref *reference
}

func (d drawer) node() *domain.Node { return d.ref.nodes[d.rng.IntN(len(d.ref.nodes))] }

func (d drawer) actor() *domain.Node {
	for {
		if n := d.node(); n.Kind.IsActor() {
			return n
		}
	}
}

func (d drawer) topic() string {
	for {
		if n := d.node(); n.Kind == domain.KindTopic {
			return n.ID
		}
	}
}

// types draws one to four relation types.
func (d drawer) types() []domain.RelationType {
	out := make([]domain.RelationType, 1+d.rng.IntN(4))
	for i := range out {
		out[i] = domain.RelationTypes[d.rng.IntN(len(domain.RelationTypes))]
	}
	return slices.Compact(out)
}

// kinds draws two to five kinds, so some neighbours pass.
func (d drawer) kinds() []domain.Kind {
	out := make([]domain.Kind, 2+d.rng.IntN(4))
	for i := range out {
		out[i] = domain.Kinds[d.rng.IntN(len(domain.Kinds))]
	}
	return slices.Compact(out)
}

// date draws the start or end of a relation, or a year, so asOf cuts
// through the relations' spans.
func (d drawer) date() domain.PartialDate {
	r := d.ref.relations[d.rng.IntN(len(d.ref.relations))]
	switch {
	case r.Start != "" && d.rng.IntN(2) == 0:
		return r.Start
	case r.End != "":
		return r.End
	}
	return domain.PartialDate(fmt.Sprint(2000 + d.rng.IntN(27)))
}

// searchText draws one or two tokens of node labels, often cut to a prefix,
// and now and then a word of no label.
func (d drawer) searchText() string {
	if d.rng.IntN(10) == 0 {
		return "zzqx"
	}
	var text string
	for range 1 + d.rng.IntN(2) {
		tokens := domain.Tokens(d.node().Name)
		if len(tokens) == 0 {
			continue
		}
		tok := tokens[d.rng.IntN(len(tokens))]
		if d.rng.IntN(2) == 0 {
			tok = string([]rune(tok)[:1+d.rng.IntN(len([]rune(tok)))])
		}
		text += tok + " "
	}
	if text == "" {
		return "a"
	}
	return text
}
