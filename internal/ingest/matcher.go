package ingest

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// Variants are surface forms the graph's names and aliases do not spell,
// and surfaces too common to count as a mention on their own.
type Variants struct {
	Forms  map[string][]string `yaml:"variants"` // node ID → extra surface forms
	Ignore []string            `yaml:"ignore"`
}

//go:embed variants.yaml
var shippedVariants []byte

// ShippedVariants returns the curated variants for the shipped graph
// (variants.yaml).
func ShippedVariants() (Variants, error) {
	var v Variants
	if err := yaml.Unmarshal(shippedVariants, &v); err != nil {
		return Variants{}, fmt.Errorf("variants.yaml: %w", err)
	}
	return v, nil
}

// token is a run of letters and digits in the text, with its folded form.
type token struct {
	start, end int
	fold       string
	upper      bool // every letter is a capital: an acronym as written
	capital    bool // the first letter is a capital
}

// tokenize splits text into runs of letters and digits, each folded with
// domain.Fold, keeping byte offsets.
func tokenize(text string) []token {
	var toks []token
	start := -1
	for i, r := range text {
		word := unicode.IsLetter(r) || unicode.IsDigit(r)
		if word && start < 0 {
			start = i
		}
		if !word && start >= 0 {
			toks = append(toks, newToken(text, start, i))
			start = -1
		}
	}
	if start >= 0 {
		toks = append(toks, newToken(text, start, len(text)))
	}
	return toks
}

func newToken(text string, start, end int) token {
	w := text[start:end]
	first, _ := utf8.DecodeRuneInString(w)
	upper, letters := true, 0
	for _, r := range w {
		if unicode.IsLetter(r) {
			letters++
			if !unicode.IsUpper(r) {
				upper = false
			}
		}
	}
	return token{start: start, end: end, fold: fold(w), upper: upper && letters > 0, capital: unicode.IsUpper(first)}
}

// fold is domain.Fold, with a shortcut for ASCII words, which folding only
// lower-cases (most words of an English or Spanish text).
func fold(w string) string {
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			return domain.Fold(w)
		}
	}
	return strings.ToLower(w)
}

// Mention is a known node named in the text: Text is text[Start:End].
type Mention struct {
	Start  int         `json:"start"`
	End    int         `json:"end"`
	Text   string      `json:"text"`
	NodeID string      `json:"nodeId"`
	Kind   domain.Kind `json:"kind"`
	// Alternatives are other nodes the same words name; the first node
	// whose name (rather than an alias) they are, else the first by ID, won.
	Alternatives []string `json:"alternatives,omitempty"`
	// tokens [first, last) of the mention in the document's tokens.
	first, last int
}

type target struct {
	id      string
	kind    domain.Kind
	acronym bool // a short all-capital alias: matches only words written in capitals
	name    bool // the node's own name, preferred over an alias
}

type trieNode struct {
	next    map[string]*trieNode
	targets []target
}

// Matcher finds mentions of a graph's nodes in texts. It is read-only once
// built and safe for concurrent use.
type Matcher struct {
	root  *trieNode
	nodes map[string]*domain.Node
}

// NewMatcher indexes the names, aliases and variants of every node except
// sources (a source is cited, not mentioned).
func NewMatcher(nodes []*domain.Node, v Variants) *Matcher {
	m := &Matcher{root: &trieNode{}, nodes: make(map[string]*domain.Node, len(nodes))}
	ignore := map[string]bool{}
	for _, s := range v.Ignore {
		ignore[strings.Join(domain.Tokens(s), " ")] = true
	}
	for _, n := range nodes {
		if n.Kind == domain.KindSource {
			continue
		}
		m.nodes[n.ID] = n
		m.add(n, n.Name, true, ignore)
		for _, a := range n.Aliases {
			m.add(n, a, false, ignore)
		}
		for _, f := range v.Forms[n.ID] {
			m.add(n, f, false, ignore)
		}
	}
	return m
}

func (m *Matcher) add(n *domain.Node, surface string, name bool, ignore map[string]bool) {
	toks := domain.Tokens(surface)
	if len(toks) == 0 || ignore[strings.Join(toks, " ")] {
		return
	}
	acronym := false
	if len(toks) == 1 {
		t := newToken(surface, 0, len(surface))
		acronym = t.upper && utf8.RuneCountInString(toks[0]) <= 6
	}
	at := m.root
	for _, t := range toks {
		if at.next == nil {
			at.next = map[string]*trieNode{}
		}
		child, ok := at.next[t]
		if !ok {
			child = &trieNode{}
			at.next[t] = child
		}
		at = child
	}
	for i, old := range at.targets {
		if old.id == n.ID {
			// A name and an alias spelling the same words: keep the laxer.
			at.targets[i].acronym = old.acronym && acronym
			at.targets[i].name = old.name || name
			return
		}
	}
	at.targets = append(at.targets, target{id: n.ID, kind: n.Kind, acronym: acronym, name: name})
}

// Node returns the indexed node with the given ID.
func (m *Matcher) Node(id string) (*domain.Node, bool) {
	n, ok := m.nodes[id]
	return n, ok
}

// find returns the mentions in the tokens of text, leftmost-longest: at
// each token the longest name starting there wins, and the search goes on
// after it, so no mention lies inside another or inside a word.
func (m *Matcher) find(text string, toks []token) []Mention {
	var out []Mention
	for i := 0; i < len(toks); {
		best, bestTargets := -1, []target(nil)
		at := m.root
		for j := i; j < len(toks); j++ {
			if j > i && !joinable(text[toks[j-1].end:toks[j].start]) && !version(text, toks[j-1], toks[j]) {
				break
			}
			child, ok := at.next[toks[j].fold]
			if !ok {
				break
			}
			at = child
			if ts := usable(at.targets, toks[i:j+1]); len(ts) > 0 {
				best, bestTargets = j, ts
			}
		}
		if best < 0 {
			i++
			continue
		}
		win := bestTargets[0]
		var alts []string
		for _, t := range bestTargets[1:] {
			alts = append(alts, t.id)
		}
		start, end := toks[i].start, toks[best].end
		if strings.HasSuffix(text[:min(len(text), end+1)], "+") {
			end++ // "Glacy+": the plus is part of the name
		}
		out = append(out, Mention{Start: start, End: end, Text: text[start:end], NodeID: win.id, Kind: win.kind,
			Alternatives: alts, first: i, last: best + 1})
		i = best + 1
	}
	return out
}

// usable returns the targets the words may name, the preferred first: an
// acronym matches only a word in capitals; a node's own name comes before
// an alias, then IDs in order.
func usable(ts []target, words []token) []target {
	var out []target
	for _, t := range ts {
		if t.acronym && !(len(words) == 1 && words[0].upper) {
			continue
		}
		out = append(out, t)
	}
	slices.SortStableFunc(out, func(a, b target) int {
		if a.name != b.name {
			if a.name {
				return -1
			}
			return 1
		}
		return strings.Compare(a.id, b.id)
	})
	return out
}

// version reports whether two runs of digits joined by one period are one
// number ("EL PAcCTO 2.0").
func version(text string, a, b token) bool {
	return text[a.end:b.start] == "." && isNumberLike(a) && isNumberLike(b)
}

// joinable reports whether the characters between two words may sit inside
// one name: white space, hyphens, dashes, apostrophes, "&", "+", "/" and
// parentheses, at most three of them besides spaces.
func joinable(gap string) bool {
	marks := 0
	for _, r := range gap {
		switch {
		case unicode.IsSpace(r):
		case strings.ContainsRune("-–—'’&+/()", r):
			marks++
		default:
			return false
		}
	}
	return marks <= 3
}
