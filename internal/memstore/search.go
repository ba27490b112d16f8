package memstore

import (
	"context"
	"maps"
	"slices"
	"sort"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// tokenIndex finds the nodes with a label token starting with a given
// prefix without looking at any other node: the distinct tokens sorted, so
// the tokens with one prefix are a contiguous run, each with its nodes.
type tokenIndex struct {
	tokens []string
	nodes  [][]int32 // token i → indexes of the nodes having it, ascending
	before []int     // before[i] = total length of nodes[:i], to size a run in O(1)
}

func newTokenIndex(labels [][][]string) tokenIndex {
	byToken := map[string][]int32{}
	for i, node := range labels {
		for _, label := range node {
			for _, t := range label {
				// Nodes come in index order, so a repeat is the last entry.
				if list := byToken[t]; len(list) == 0 || list[len(list)-1] != int32(i) {
					byToken[t] = append(list, int32(i))
				}
			}
		}
	}
	ix := tokenIndex{tokens: make([]string, 0, len(byToken))}
	for t := range byToken {
		ix.tokens = append(ix.tokens, t)
	}
	slices.Sort(ix.tokens)
	ix.nodes = make([][]int32, len(ix.tokens))
	ix.before = make([]int, len(ix.tokens)+1)
	for i, t := range ix.tokens {
		ix.nodes[i] = byToken[t]
		ix.before[i+1] = ix.before[i] + len(ix.nodes[i])
	}
	return ix
}

// with returns the index after nodes changed their labels, leaving ix as
// it is: changes maps a node's slot to its labels before and after (nil
// for a node new or gone). Only the lists of the tokens gained or lost
// are made anew; the others are shared, and the flat arrays copied.
func (ix tokenIndex) with(changes map[int64][2][][]string) tokenIndex {
	removed, added := map[string][]int32{}, map[string][]int32{}
	for u, c := range changes {
		before, after := tokenSet(c[0]), tokenSet(c[1])
		for t := range before {
			if !after[t] {
				removed[t] = append(removed[t], int32(u))
			}
		}
		for t := range after {
			if !before[t] {
				added[t] = append(added[t], int32(u))
			}
		}
	}
	touched := slices.Sorted(maps.Keys(removed))
	touched = append(touched, slices.Collect(maps.Keys(added))...)
	slices.Sort(touched)
	touched = slices.Compact(touched)
	if len(touched) == 0 {
		return ix
	}
	out := tokenIndex{tokens: make([]string, 0, len(ix.tokens)+len(added)), nodes: make([][]int32, 0, len(ix.tokens)+len(added))}
	i := 0
	for _, t := range touched {
		k := i + sort.SearchStrings(ix.tokens[i:], t)
		out.tokens = append(out.tokens, ix.tokens[i:k]...)
		out.nodes = append(out.nodes, ix.nodes[i:k]...)
		var list []int32
		if i = k; k < len(ix.tokens) && ix.tokens[k] == t {
			list, i = ix.nodes[k], k+1
		}
		gone := removed[t]
		next := make([]int32, 0, len(list)+len(added[t]))
		for _, u := range list {
			if !slices.Contains(gone, u) {
				next = append(next, u)
			}
		}
		next = append(next, added[t]...)
		slices.Sort(next)
		if next = slices.Compact(next); len(next) > 0 {
			out.tokens = append(out.tokens, t)
			out.nodes = append(out.nodes, next)
		}
	}
	out.tokens = append(out.tokens, ix.tokens[i:]...)
	out.nodes = append(out.nodes, ix.nodes[i:]...)
	out.before = make([]int, len(out.tokens)+1)
	for i, list := range out.nodes {
		out.before[i+1] = out.before[i] + len(list)
	}
	return out
}

func tokenSet(labels [][]string) map[string]bool {
	set := map[string]bool{}
	for _, label := range labels {
		for _, t := range label {
			set[t] = true
		}
	}
	return set
}

// run returns the range of tokens starting with prefix. No folded token
// holds the byte 0xff (never part of UTF-8), so every token with the prefix
// sorts before prefix+"\xff".
func (ix *tokenIndex) run(prefix string) (lo, hi int) {
	return sort.SearchStrings(ix.tokens, prefix), sort.SearchStrings(ix.tokens, prefix+"\xff")
}

// candidates returns, ascending, the nodes that may match every query
// token: those with a token starting with the rarest of them. Each query
// token must prefix some label token for a node to score, so no match is
// missed.
func (ix *tokenIndex) candidates(queryTokens []string) []int32 {
	bestLo, bestHi, bestSize := 0, 0, -1
	for _, q := range queryTokens {
		lo, hi := ix.run(q)
		if size := ix.before[hi] - ix.before[lo]; bestSize < 0 || size < bestSize {
			bestLo, bestHi, bestSize = lo, hi, size
		}
	}
	if bestSize <= 0 {
		return nil
	}
	if bestHi-bestLo == 1 {
		return ix.nodes[bestLo]
	}
	out := make([]int32, 0, bestSize)
	for _, list := range ix.nodes[bestLo:bestHi] {
		out = append(out, list...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Search ranks nodes by domain.MatchScore, best first, ties by ID; only
// the candidates of the token index are scored.
func (s *Store) Search(ctx context.Context, q domain.SearchQuery) ([]domain.SearchHit, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	tokens := domain.Tokens(q.Text)
	var hits []domain.SearchHit
	for _, i := range s.words.candidates(tokens) {
		e := s.at(int64(i))
		n := e.node
		if len(q.Kinds) > 0 && !slices.Contains(q.Kinds, n.Kind) {
			continue
		}
		if score := domain.ScoreLabels(e.labels, tokens); score > 0 {
			hits = append(hits, domain.SearchHit{Score: score, Node: n})
		}
	}
	domain.SortSearchHits(hits)
	if len(hits) > q.First {
		hits = hits[:q.First]
	}
	return hits, nil
}
