package domain

import "slices"

// IsRelation reports whether the step changes a relation.
func (s Step) IsRelation() bool {
	return (s.Before != nil && s.Before.Relation != nil) || (s.After != nil && s.After.Relation != nil)
}

// IsStatement reports whether the step changes a statement.
func (s Step) IsStatement() bool {
	return (s.Before != nil && s.Before.Statement != nil) || (s.After != nil && s.After.Statement != nil)
}

// IsNode reports whether the step changes a node.
func (s Step) IsNode() bool { return !s.IsRelation() && !s.IsStatement() }

// Inverse returns the steps that undo the change (see ApplyOrder for the
// order a store writes them in).
func (c *Change) Inverse() []Step {
	inv := make([]Step, len(c.Steps))
	for i, s := range c.Steps {
		inv[i] = Step{Target: s.Target, Before: s.After, After: s.Before}
	}
	return inv
}

// ApplyOrder returns steps in the order a store applies them so that no
// relation or statement ever names a missing node in between: relations
// and statements leaving first, then nodes, then relations and statements
// arriving or changing.
func ApplyOrder(steps []Step) []Step {
	rank := func(s Step) int {
		switch {
		case !s.IsNode() && s.After == nil:
			return 0
		case s.IsNode():
			return 1
		}
		return 2
	}
	ordered := slices.Clone(steps)
	slices.SortStableFunc(ordered, func(a, b Step) int { return rank(a) - rank(b) })
	return ordered
}

// Replay returns the graph and source texts after applying changes, in the
// order given, to g and texts; backwards undoes them instead, newest first
// (give them in Seq order either way). Neither g nor texts is modified.
// It is how both stores rebuild a past version of the graph: the current
// graph rewound by the changes made after it.
func Replay(g *Graph, texts map[string]string, changes []*Change, backwards bool) (*Graph, map[string]string) {
	nodes := make(map[string]*Node, len(g.Nodes))
	for _, n := range g.Nodes {
		nodes[n.ID] = n
	}
	rels := make(map[string]*Relation, len(g.Relations))
	for _, r := range g.Relations {
		rels[r.ID] = r
	}
	sts := make(map[string]*Statement, len(g.Statements))
	for _, st := range g.Statements {
		sts[st.ID] = st
	}
	outTexts := make(map[string]string, len(texts))
	for id, t := range texts {
		outTexts[id] = t
	}
	apply := func(steps []Step) {
		for _, s := range steps {
			switch {
			case s.IsRelation() && s.After == nil:
				delete(rels, s.Target)
			case s.IsRelation():
				rels[s.Target] = s.After.Relation
			case s.IsStatement() && s.After == nil:
				delete(sts, s.Target)
			case s.IsStatement():
				sts[s.Target] = s.After.Statement
			case s.After == nil:
				delete(nodes, s.Target)
				delete(outTexts, s.Target)
			default:
				nodes[s.Target] = s.After.Node
				if s.After.Node.Kind == KindSource {
					outTexts[s.Target] = s.After.Text
				}
			}
		}
	}
	if backwards {
		for i := len(changes) - 1; i >= 0; i-- {
			apply(changes[i].Inverse())
		}
	} else {
		for _, c := range changes {
			apply(c.Steps)
		}
	}
	out := &Graph{Nodes: make([]*Node, 0, len(nodes)), Relations: make([]*Relation, 0, len(rels))}
	for _, n := range nodes {
		out.Nodes = append(out.Nodes, n)
	}
	for _, r := range rels {
		out.Relations = append(out.Relations, r)
	}
	for _, st := range sts {
		out.Statements = append(out.Statements, st)
	}
	SortNodes(out.Nodes)
	SortRelations(out.Relations)
	SortStatements(out.Statements)
	return out, outTexts
}
