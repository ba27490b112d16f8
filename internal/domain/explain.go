package domain

import (
	"bufio"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
)

// Hop is one step of a path: the relation walked and which way.
type Hop struct {
	From     *Node // the node the step leaves
	To       *Node // the node the step reaches
	Relation *Relation
	Forward  bool // the walk follows the relation's direction (From is the relation's From)
}

// Hops returns the path's steps in order.
func (p *Path) Hops() []Hop {
	hops := make([]Hop, len(p.Relations))
	for i, r := range p.Relations {
		hops[i] = Hop{From: p.Nodes[i], To: p.Nodes[i+1], Relation: r, Forward: r.From == p.Nodes[i].ID}
	}
	return hops
}

// phrases reads a relation type forwards ("X attended Y") and backwards
// ("Y was attended by X").
var phrases = map[RelationType][2]string{
	RelMemberOf:       {"is a member of", "counts among its members"},
	RelPartOf:         {"is part of", "includes"},
	RelHoldsPosition:  {"holds a position in", "has on its staff"},
	RelRepresents:     {"represents", "is represented by"},
	RelParticipatesIn: {"takes part in", "counts among its participants"},
	RelAttended:       {"attended", "was attended by"},
	RelChaired:        {"chaired", "was chaired by"},
	RelFunds:          {"funds", "is funded by"},
	RelImplements:     {"implements", "is implemented by"},
	RelSupports:       {"supports", "is supported by"},
	RelAddresses:      {"addresses", "is addressed by"},
	RelPartyTo:        {"is party to", "has as a party"},
	RelCooperatesWith: {"cooperates with", "cooperates with"},
	RelReviewed:       {"reviewed", "was reviewed at"},
	RelVisited:        {"visited", "was visited by"},
	RelSucceededBy:    {"was succeeded by", "succeeded"},
}

// Phrase is the hop's verb in the walk's direction, without its end nodes:
// "attended" forwards, "was attended by" backwards.
func (h Hop) Phrase() string {
	pair, ok := phrases[h.Relation.Type]
	if !ok {
		pair = [2]string{strings.ToLower(string(h.Relation.Type)), "is the target of " + string(h.Relation.Type)}
	}
	if h.Forward {
		return pair[0]
	}
	return pair[1]
}

// Qualifier is the relation's role and status as a labelled aside, e.g.
// " (role: co-organiser)" or " (status: signed)"; empty when it has
// neither. It follows the node the hop reaches, so the labels keep roles
// (free text in the data) from reading as part of a name.
func (h Hop) Qualifier() string {
	var parts []string
	if h.Relation.Role != "" {
		parts = append(parts, "role: "+h.Relation.Role)
	}
	if h.Relation.Status != "" {
		parts = append(parts, "status: "+h.Relation.Status)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

// Sentence is the hop as a clause: "Hungary attended III Round Table …
// (role: EU member state)".
func (h Hop) Sentence() string {
	return h.From.Name + " " + h.Phrase() + " " + h.To.Name + h.Qualifier()
}

// Sentence tells the path as one line: the first hop as a clause, each
// later hop as a relative clause on the node reached, e.g. "Hungary attended
// III Round Table … (role: EU member state), which was attended by
// Ministry of Foreign Affairs …, which is part of Ecuador."
func (p *Path) Sentence() string {
	hops := p.Hops()
	if len(hops) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(hops[0].Sentence())
	for _, h := range hops[1:] {
		b.WriteString(", which ")
		b.WriteString(h.Phrase())
		b.WriteString(" ")
		b.WriteString(h.To.Name)
		b.WriteString(h.Qualifier())
	}
	b.WriteString(".")
	return b.String()
}

// CompareRoutes is the order of PathAllSimple: node IDs element by element
// (a path that is a prefix of another first), then relation IDs.
func CompareRoutes(a, b *Path) int {
	for i := 0; i < len(a.Nodes) && i < len(b.Nodes); i++ {
		if c := cmp.Compare(a.Nodes[i].ID, b.Nodes[i].ID); c != 0 {
			return c
		}
	}
	if c := cmp.Compare(len(a.Nodes), len(b.Nodes)); c != 0 {
		return c
	}
	for i := range a.Relations {
		if c := cmp.Compare(a.Relations[i].ID, b.Relations[i].ID); c != 0 {
			return c
		}
	}
	return 0
}

// IsSimple reports whether no node appears twice on the path.
func (p *Path) IsSimple() bool {
	seen := make(map[string]bool, len(p.Nodes))
	for _, n := range p.Nodes {
		if seen[n.ID] {
			return false
		}
		seen[n.ID] = true
	}
	return true
}

// Version is a digest of the graph's content, independent of the order of
// its nodes and relations: two stores loaded with the same data report the
// same version, and any change to the data changes it.
//
// The digest is SHA-256 over the JSON document {"Nodes":[…],"Relations":[…]}
// of the sorted nodes and relations plus a newline (as json.Encoder writes
// it), streamed one item at a time so that a large graph is never encoded
// whole in memory; Neo4j keeps the version it was seeded with, so the
// encoding must not change.
func (g *Graph) Version() string {
	nodes := slices.Clone(g.Nodes)
	SortNodes(nodes)
	rels := slices.Clone(g.Relations)
	SortRelations(rels)
	h := sha256.New()
	w := bufio.NewWriter(h)
	w.WriteString(`{"Nodes":`)
	writeJSONArray(w, nodes)
	w.WriteString(`,"Relations":`)
	writeJSONArray(w, rels)
	// Only a graph with statements names them, so the version of a graph
	// without any stays what it was before statements existed.
	if len(g.Statements) > 0 {
		sts := slices.Clone(g.Statements)
		SortStatements(sts)
		w.WriteString(`,"Statements":`)
		writeJSONArray(w, sts)
	}
	w.WriteString("}\n")
	// Writing to a hash cannot fail.
	_ = w.Flush()
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// writeJSONArray writes items as a JSON array, each encoded as json.Marshal
// does.
func writeJSONArray[T any](w *bufio.Writer, items []T) {
	w.WriteByte('[')
	for i, item := range items {
		if i > 0 {
			w.WriteByte(',')
		}
		// Encoding plain structs of strings cannot fail.
		b, _ := json.Marshal(item)
		w.Write(b)
	}
	w.WriteByte(']')
}
