package domain

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// DiscourseKind says which actor network DiscourseNetwork projects.
type DiscourseKind string

// The discourse network kinds.
const (
	// DiscourseCongruence ties two actors by the concepts on which they
	// take the same stance (both SUPPORTS or both OPPOSES).
	DiscourseCongruence DiscourseKind = "CONGRUENCE"
	// DiscourseConflict ties two actors by the concepts on which they take
	// opposite stances (one SUPPORTS, the other OPPOSES).
	DiscourseConflict DiscourseKind = "CONFLICT"
)

// The relation types of a discourse network's edges. They are derived,
// never stored: RelationTypes does not list them, so no write or dataset
// may use them.
const (
	RelCongruence RelationType = "CONGRUENCE"
	RelConflict   RelationType = "CONFLICT"
)

// DiscourseQuery asks for the actor network of shared or opposed stances
// (see DiscourseNetwork): over the statements about Topic (all when empty)
// made on or before AsOf (all when empty).
type DiscourseQuery struct {
	Topic string
	AsOf  PartialDate
	Kind  DiscourseKind
}

// Validate checks the query.
func (q *DiscourseQuery) Validate() error {
	if q.Kind != DiscourseCongruence && q.Kind != DiscourseConflict {
		return Errorf(EINVALID, "kind %q is not CONGRUENCE or CONFLICT", q.Kind)
	}
	if q.Topic != "" {
		k, _, err := ParseID(q.Topic)
		if err != nil {
			return Errorf(EINVALID, "topic: %s", ErrorMessage(err))
		}
		if !slices.Contains(aboutKinds, k) {
			return Errorf(EINVALID, "topic must be %s, got %s", kindList(aboutKinds), q.Topic)
		}
	}
	_, err := ParsePartialDate(string(q.AsOf))
	return err
}

// DiscourseNetwork is the one-mode actor projection of Discourse Network
// Analysis (Leifeld): the actors are the speakers of the statements st
// returns for q, the concepts are what the statements are about. Two
// actors are joined when they share a concept position: for CONGRUENCE,
// the edge's Weight is the number of concepts on which both hold the same
// stance (SUPPORTS or OPPOSES); for CONFLICT, the number of concepts on
// which one SUPPORTS and the other OPPOSES. An actor who said both on one
// concept counts on both sides; NEUTRAL statements hold no position and
// join no one. The edges read "a KIND b" with a < b by ID; their evidence
// is the quotes of the statements behind them, their confidence the lowest
// of those statements', their note the concepts. Only actors with an edge
// are nodes. Every store answers through this function, so all answer the
// same.
func DiscourseNetwork(ctx context.Context, st Store, q DiscourseQuery) (*Subgraph, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	all, err := AllStatements(ctx, st, StatementQuery{Topic: q.Topic, AsOf: q.AsOf})
	if err != nil {
		return nil, err
	}
	rels, weights := DiscourseTies(all, q.Kind, q.Topic)
	var ids []string
	for _, r := range rels {
		ids = append(ids, r.From, r.To)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	nodes, err := st.Nodes(ctx, ids)
	if err != nil {
		return nil, err
	}
	return &Subgraph{Nodes: slices.DeleteFunc(nodes, func(n *Node) bool { return n == nil }), Relations: rels, Weights: weights}, nil
}

// AllStatements returns every statement q selects, whatever its First,
// reading st page by page.
func AllStatements(ctx context.Context, st Store, q StatementQuery) ([]*Statement, error) {
	q.First, q.After = MaxPageSize, ""
	var all []*Statement
	for {
		page, err := st.Statements(ctx, q)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) < q.First {
			return all, nil
		}
		q.After = page[len(page)-1].ID
	}
}

// DiscourseTies computes the edges of DiscourseNetwork from statements,
// counting only the concept topic when it is set, and their weights by ID.
func DiscourseTies(statements []*Statement, kind DiscourseKind, topic string) ([]*Relation, map[string]int) {
	type position struct {
		actor, concept string
		stance         Stance
	}
	held := map[position][]*Statement{}
	byConcept := map[string][]string{} // concept → actors holding a position on it
	for _, s := range statements {
		if s.Stance != StanceSupports && s.Stance != StanceOpposes {
			continue
		}
		for _, c := range s.About {
			if topic != "" && c != topic {
				continue
			}
			p := position{s.Speaker, c, s.Stance}
			held[p] = append(held[p], s)
			byConcept[c] = append(byConcept[c], s.Speaker)
		}
	}
	type pair struct{ a, b string }
	type tie struct {
		concepts   []string
		statements map[string]*Statement
	}
	ties := map[pair]*tie{}
	for _, c := range slices.Sorted(maps.Keys(byConcept)) {
		actors := slices.Compact(slices.Sorted(slices.Values(byConcept[c])))
		for i, a := range actors {
			for _, b := range actors[i+1:] {
				var why []*Statement
				for _, sa := range []Stance{StanceSupports, StanceOpposes} {
					sb := sa
					if kind == DiscourseConflict {
						sb = opposite(sa)
					}
					x, y := held[position{a, c, sa}], held[position{b, c, sb}]
					if len(x) > 0 && len(y) > 0 {
						why = append(append(why, x...), y...)
					}
				}
				if len(why) == 0 {
					continue
				}
				t := ties[pair{a, b}]
				if t == nil {
					t = &tie{statements: map[string]*Statement{}}
					ties[pair{a, b}] = t
				}
				t.concepts = append(t.concepts, c)
				for _, s := range why {
					t.statements[s.ID] = s
				}
			}
		}
	}
	typ := RelCongruence
	if kind == DiscourseConflict {
		typ = RelConflict
	}
	rels := make([]*Relation, 0, len(ties))
	weights := make(map[string]int, len(ties))
	for p, t := range ties {
		r := &Relation{ID: RelationID(p.a, typ, p.b), Type: typ, From: p.a, To: p.b,
			Confidence: ConfidenceHigh, Note: discourseNote(kind, t.concepts)}
		weights[r.ID] = len(t.concepts)
		for _, id := range slices.Sorted(maps.Keys(t.statements)) {
			s := t.statements[id]
			r.Evidence = append(r.Evidence, s.Evidence)
			r.Confidence = lowerConfidence(r.Confidence, s.Confidence)
		}
		rels = append(rels, r)
	}
	SortRelations(rels)
	return rels, weights
}

func opposite(s Stance) Stance {
	if s == StanceSupports {
		return StanceOpposes
	}
	return StanceSupports
}

func lowerConfidence(a, b Confidence) Confidence {
	order := []Confidence{ConfidenceLow, ConfidenceMedium, ConfidenceHigh}
	if slices.Index(order, b) < slices.Index(order, a) {
		return b
	}
	return a
}

func discourseNote(kind DiscourseKind, concepts []string) string {
	verb := "same stance on"
	if kind == DiscourseConflict {
		verb = "opposite stances on"
	}
	return fmt.Sprintf("%s %s", verb, strings.Join(concepts, ", "))
}
