package domain

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// MaxReasonLength and MaxSourceTextLength bound free text a write carries.
const (
	MaxReasonLength     = 2000
	MaxSourceTextLength = 2 << 20 // 2 MiB of UTF-8, about 300k words
	MaxEvidencePerWrite = 20
)

// Plan checks w against the current data st with the rules every writer
// shares (the ones the dataset loader applies, plus conflicts with what
// exists) and returns the change it makes, without Seq and At, which the
// store sets when the change is durable. It never modifies st's values.
// Errors: EINVALID for a write that breaks a rule, ENOTFOUND for a target
// that is not current, ECONFLICT for a taken ID, a stale ExpectedRevision,
// or a revert of something changed since, EFORBIDDEN for a role too low.
func Plan(ctx context.Context, st State, w *Write) (*Change, error) {
	if w == nil || !w.Action.Valid() {
		return nil, Errorf(EINVALID, "unknown write")
	}
	if !w.Actor.Role.Allows(w.Action.RequiredRole()) {
		return nil, Errorf(EFORBIDDEN, "%s needs the %s role; token %q has %s", w.Action, w.Action.RequiredRole(), w.Actor.Name, w.Actor.Role)
	}
	if len(w.Reason) > MaxReasonLength {
		return nil, Errorf(EINVALID, "reason is %d bytes; the limit is %d", len(w.Reason), MaxReasonLength)
	}
	p := planner{ctx: ctx, st: st, w: w}
	var steps []Step
	var err error
	switch w.Action {
	case ActionAddSource:
		steps, err = p.addSource()
	case ActionUpsertStakeholder:
		steps, err = p.upsertStakeholder()
	case ActionAddRelation:
		steps, err = p.addRelation()
	case ActionUpdateRelation:
		steps, err = p.updateRelation()
	case ActionAddEvidence:
		steps, err = p.addEvidence()
	case ActionAddStatement:
		steps, err = p.addStatement()
	case ActionRetireRelation:
		steps, err = p.retireRelation()
	case ActionRetireStakeholder:
		steps, err = p.retireStakeholder()
	case ActionRevert:
		steps, err = p.revert()
	case ActionIngestDocument:
		steps, err = p.ingestDocument()
	case ActionDecideProposal:
		steps, err = p.decideProposal()
	}
	if err == nil {
		err = p.attachReview(steps)
	}
	if err != nil {
		return nil, err
	}
	// Steps name the node first (retireStakeholder), so the first step's
	// target is what the write is about.
	c := &Change{Actor: w.Actor, Action: w.Action, Reason: strings.TrimSpace(w.Reason), Steps: steps, Target: steps[0].Target}
	if w.Action == ActionRevert {
		c.Reverts = w.Change
	}
	return c, nil
}

type planner struct {
	ctx context.Context
	st  State
	w   *Write
}

func (p *planner) node(id string) (*Node, error) {
	n, err := p.st.Node(p.ctx, id)
	return CloneNode(n), err
}

func (p *planner) relation(id string) (*Relation, error) {
	r, err := p.st.Relation(p.ctx, id)
	return CloneRelation(r), err
}

// requireReason refuses a write that takes something out of current answers
// without saying why.
func (p *planner) requireReason() error {
	if strings.TrimSpace(p.w.Reason) == "" {
		return Errorf(EINVALID, "%s needs a reason: say why, for the history", p.w.Action)
	}
	return nil
}

// checkRevision compares the writer's ExpectedRevision with id's.
func (p *planner) checkRevision(id string) error {
	if p.w.ExpectedRevision == nil {
		return Errorf(EINVALID, "expectedVersion is required to change %s: give the version you last read", id)
	}
	rev, err := p.st.Revision(p.ctx, id)
	if err != nil {
		return err
	}
	if rev != *p.w.ExpectedRevision {
		return Errorf(ECONFLICT, "%s has changed since version %d: it is at version %d; read it again and reapply your edit", id, *p.w.ExpectedRevision, rev)
	}
	return nil
}

// fillNodeID derives a missing ID from the kind and name.
func fillNodeID(n *Node) {
	if n.ID == "" && n.Kind.Valid() {
		if slug := Slug(n.Name); slug != "" {
			n.ID = n.Kind.Prefix() + ":" + slug
		}
	}
}

func (p *planner) addSource() ([]Step, error) {
	if p.w.Node == nil {
		return nil, Errorf(EINVALID, "addSource needs a source")
	}
	n := CloneNode(p.w.Node)
	n.Kind = KindSource
	fillNodeID(n)
	if err := n.Validate(); err != nil {
		return nil, err
	}
	text := p.w.Text
	switch {
	case strings.TrimSpace(text) == "":
		return nil, Errorf(EINVALID, "source %s: text is required: the full text that quotes citing it are checked against", n.ID)
	case len(text) > MaxSourceTextLength:
		return nil, Errorf(EINVALID, "source %s: text is %d bytes; the limit is %d", n.ID, len(text), MaxSourceTextLength)
	}
	if err := p.mustBeFree(n.ID); err != nil {
		return nil, err
	}
	return []Step{{Target: n.ID, After: &Entity{Node: n, Text: text}}}, nil
}

// mustBeFree refuses an ID a current node already has.
func (p *planner) mustBeFree(id string) error {
	old, err := p.st.Node(p.ctx, id)
	if err != nil {
		return err
	}
	if old != nil {
		return Errorf(ECONFLICT, "%s already exists; to change it, pass the version you last read as expectedVersion", id)
	}
	return nil
}

func (p *planner) upsertStakeholder() ([]Step, error) {
	if p.w.Node == nil {
		return nil, Errorf(EINVALID, "upsertStakeholder needs a stakeholder")
	}
	n := CloneNode(p.w.Node)
	if n.Kind == KindSource {
		return nil, Errorf(EINVALID, "sources are added with addSource, which registers their text")
	}
	fillNodeID(n)
	if err := n.Validate(); err != nil {
		return nil, err
	}
	if p.w.ExpectedRevision == nil {
		if err := p.mustBeFree(n.ID); err != nil {
			return nil, err
		}
		return []Step{{Target: n.ID, After: &Entity{Node: n}}}, nil
	}
	old, err := p.node(n.ID)
	if err != nil {
		return nil, err
	}
	if old == nil {
		return nil, Errorf(ENOTFOUND, "no current stakeholder %s to change; leave expectedVersion out to create it", n.ID)
	}
	if err := p.checkRevision(n.ID); err != nil {
		return nil, err
	}
	if SameNode(old, n) {
		return nil, Errorf(EINVALID, "%s: the input changes nothing", n.ID)
	}
	return []Step{{Target: n.ID, Before: &Entity{Node: old}, After: &Entity{Node: n}}}, nil
}

func (p *planner) addRelation() ([]Step, error) {
	if p.w.Relation == nil {
		return nil, Errorf(EINVALID, "addRelation needs a relation")
	}
	r := CloneRelation(p.w.Relation)
	if r.ID == "" && r.From != "" && r.To != "" && r.Type != "" {
		r.ID = RelationID(r.From, r.Type, r.To)
	}
	if len(r.Evidence) > MaxEvidencePerWrite {
		return nil, Errorf(EINVALID, "relation %s: %d pieces of evidence; the limit per write is %d", r.ID, len(r.Evidence), MaxEvidencePerWrite)
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	if err := p.checkReferences(r, r.Evidence, 0); err != nil {
		return nil, err
	}
	old, err := p.st.Relation(p.ctx, r.ID)
	if err != nil {
		return nil, err
	}
	if old != nil {
		return nil, Errorf(ECONFLICT, "relation %s already exists; add evidence to it or update it instead", r.ID)
	}
	return []Step{{Target: r.ID, After: &Entity{Relation: r}}}, nil
}

// checkReferences checks that r's ends are current nodes and that each
// piece of evidence cites a current Source whose text holds its quote
// verbatim; first is the index of evidence[0] in the relation, for
// messages.
func (p *planner) checkReferences(r *Relation, evidence []Evidence, first int) error {
	var ps []Problem
	for _, end := range [2]struct{ field, id string }{{"from", r.From}, {"to", r.To}} {
		n, err := p.st.Node(p.ctx, end.id)
		if err != nil {
			return err
		}
		if n == nil {
			ps = append(ps, Problem{Field: end.field, Message: end.id + " is not a current node"})
		}
	}
	for i, e := range evidence {
		field := fmt.Sprintf("evidence[%d]", first+i)
		text, ok, err := p.st.SourceText(p.ctx, e.SourceID)
		if err != nil {
			return err
		}
		switch {
		case !ok:
			ps = append(ps, Problem{Field: field + ".source", Message: e.SourceID + " is not a registered source with a text; register it with addSource"})
		case !ContainsQuote(text, e.Quote):
			ps = append(ps, Problem{Field: field + ".quote", Message: fmt.Sprintf("%q is not found verbatim in %s (white space may differ; words, case and punctuation may not)", shorten(e.Quote), e.SourceID)})
		}
	}
	return problemsError("relation "+r.ID, ps)
}

func shorten(s string) string {
	s = NormalizeQuote(s)
	if r := []rune(s); len(r) > 80 {
		return string(r[:77]) + "…"
	}
	return s
}

// current returns the current relation the write targets, or ENOTFOUND.
func (p *planner) currentRelation() (*Relation, error) {
	if p.w.Target == "" {
		return nil, Errorf(EINVALID, "%s needs the id of a relation", p.w.Action)
	}
	r, err := p.relation(p.w.Target)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, Errorf(ENOTFOUND, "no current relation %s", p.w.Target)
	}
	return r, nil
}

func (p *planner) updateRelation() ([]Step, error) {
	old, err := p.currentRelation()
	if err != nil {
		return nil, err
	}
	if p.w.Patch == nil {
		return nil, Errorf(EINVALID, "updateRelation needs the fields to change")
	}
	if err := p.checkRevision(old.ID); err != nil {
		return nil, err
	}
	r := CloneRelation(old)
	pt := p.w.Patch
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	set(&r.Role, pt.Role)
	set(&r.Status, pt.Status)
	set(&r.Note, pt.Note)
	if pt.Start != nil {
		r.Start = *pt.Start
	}
	if pt.End != nil {
		r.End = *pt.End
	}
	if pt.Confidence != nil {
		r.Confidence = *pt.Confidence
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	if SameRelation(old, r) {
		return nil, Errorf(EINVALID, "relation %s: the input changes nothing", r.ID)
	}
	return []Step{{Target: r.ID, Before: &Entity{Relation: old}, After: &Entity{Relation: r}}}, nil
}

func (p *planner) addEvidence() ([]Step, error) {
	old, err := p.currentRelation()
	if err != nil {
		return nil, err
	}
	switch {
	case len(p.w.Evidence) == 0:
		return nil, Errorf(EINVALID, "addEvidence needs at least one {source, quote}")
	case len(p.w.Evidence) > MaxEvidencePerWrite:
		return nil, Errorf(EINVALID, "%d pieces of evidence; the limit per write is %d", len(p.w.Evidence), MaxEvidencePerWrite)
	}
	r := CloneRelation(old)
	for _, e := range p.w.Evidence {
		for _, have := range r.Evidence {
			if have.SourceID == e.SourceID && NormalizeQuote(have.Quote) == NormalizeQuote(e.Quote) {
				return nil, Errorf(ECONFLICT, "relation %s already cites that quote from %s", r.ID, e.SourceID)
			}
		}
		r.Evidence = append(r.Evidence, e)
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	if err := p.checkReferences(r, p.w.Evidence, len(old.Evidence)); err != nil {
		return nil, err
	}
	return []Step{{Target: r.ID, Before: &Entity{Relation: old}, After: &Entity{Relation: r}}}, nil
}

// addStatement checks a statement like the dataset loader does and against
// the current data: every node it names is current, its speaker, event and
// concepts of the right kinds, its quote verbatim in its source's text.
func (p *planner) addStatement() ([]Step, error) {
	if p.w.Statement == nil {
		return nil, Errorf(EINVALID, "addStatement needs a statement")
	}
	st := CloneStatement(p.w.Statement)
	st.Note = strings.TrimSpace(st.Note)
	slices.Sort(st.About)
	if st.ID == "" && st.Speaker != "" && strings.TrimSpace(st.Evidence.Quote) != "" {
		st.ID = StatementID(st.Speaker, st.Evidence.Quote)
	}
	if err := st.Validate(); err != nil {
		return nil, err
	}
	var ps []Problem
	for _, ref := range st.References() {
		n, err := p.st.Node(p.ctx, ref.Message)
		if err != nil {
			return nil, err
		}
		if n == nil {
			ps = append(ps, Problem{Field: ref.Field, Message: ref.Message + " is not a current node"})
		}
	}
	if err := problemsError("statement "+st.ID, ps); err != nil {
		return nil, err
	}
	text, ok, err := p.st.SourceText(p.ctx, st.Evidence.SourceID)
	if err != nil {
		return nil, err
	}
	switch {
	case !ok:
		ps = append(ps, Problem{Field: "source", Message: st.Evidence.SourceID + " is not a registered source with a text; register it with addSource"})
	case !ContainsQuote(text, st.Evidence.Quote):
		ps = append(ps, Problem{Field: "quote", Message: fmt.Sprintf("%q is not found verbatim in %s (white space may differ; words, case and punctuation may not)", shorten(st.Evidence.Quote), st.Evidence.SourceID)})
	}
	if err := problemsError("statement "+st.ID, ps); err != nil {
		return nil, err
	}
	old, err := p.st.Statement(p.ctx, st.ID)
	if err != nil {
		return nil, err
	}
	if old != nil {
		return nil, Errorf(ECONFLICT, "statement %s already exists", st.ID)
	}
	return []Step{{Target: st.ID, After: &Entity{Statement: st}}}, nil
}

func (p *planner) retireRelation() ([]Step, error) {
	if err := p.requireReason(); err != nil {
		return nil, err
	}
	old, err := p.currentRelation()
	if err != nil {
		return nil, err
	}
	return []Step{{Target: old.ID, Before: &Entity{Relation: old}}}, nil
}

// retireStakeholder retires the node and, in the same change, every
// current relation touching it, so no relation is left dangling. A source
// still cited by a current relation stays: retire or correct those first.
func (p *planner) retireStakeholder() ([]Step, error) {
	if err := p.requireReason(); err != nil {
		return nil, err
	}
	if p.w.Target == "" {
		return nil, Errorf(EINVALID, "retireStakeholder needs the id of a node")
	}
	if _, _, err := ParseID(p.w.Target); err != nil {
		return nil, err
	}
	n, err := p.node(p.w.Target)
	if err != nil {
		return nil, err
	}
	if n == nil {
		return nil, Errorf(ENOTFOUND, "no current node %s", p.w.Target)
	}
	var before *Entity
	if n.Kind == KindSource {
		citing, err := p.st.CitingRelations(p.ctx, n.ID)
		if err != nil {
			return nil, err
		}
		citing = sortedByID(citing)
		if len(citing) > 0 {
			return nil, Errorf(ECONFLICT, "%s is cited by %d current relations (first %s); retire them or remove their evidence first", n.ID, len(citing), citing[0].ID)
		}
		text, _, err := p.st.SourceText(p.ctx, n.ID)
		if err != nil {
			return nil, err
		}
		before = &Entity{Node: n, Text: text}
	} else {
		before = &Entity{Node: n}
	}
	rels, err := p.st.RelationsOf(p.ctx, n.ID)
	if err != nil {
		return nil, err
	}
	rels = sortedByID(rels)
	sts, err := p.st.StatementsOf(p.ctx, n.ID)
	if err != nil {
		return nil, err
	}
	sts = slices.Clone(sts)
	SortStatements(sts)
	if n.Kind == KindSource && len(sts) > 0 {
		return nil, Errorf(ECONFLICT, "%s is cited by %d current statements (first %s); retire them first", n.ID, len(sts), sts[0].ID)
	}
	steps := make([]Step, 0, len(rels)+len(sts)+1)
	for _, r := range rels {
		steps = append(steps, Step{Target: r.ID, Before: &Entity{Relation: CloneRelation(r)}})
	}
	// A statement naming the node goes with it: it would name nothing.
	for _, st := range sts {
		steps = append(steps, Step{Target: st.ID, Before: &Entity{Statement: CloneStatement(st)}})
	}
	// The node's own step comes first, so Target and history name it.
	return append([]Step{{Target: n.ID, Before: before}}, steps...), nil
}

// revert writes the inverse of a change: every entity it touched goes back
// to its value before, provided nothing changed it since and the result
// still follows the rules (a relation comes back only if its ends are
// current).
func (p *planner) revert() ([]Step, error) {
	if err := p.requireReason(); err != nil {
		return nil, err
	}
	if p.w.Change <= 0 {
		return nil, Errorf(EINVALID, "revert needs the number of a change (its seq)")
	}
	c, err := p.st.Change(p.ctx, p.w.Change)
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, Errorf(ENOTFOUND, "no change %d", p.w.Change)
	}
	if err := refuseReviewRevert(c); err != nil {
		return nil, err
	}
	inverse := c.Inverse()
	for _, s := range inverse {
		now, err := p.entity(s)
		if err != nil {
			return nil, err
		}
		if !SameEntity(now, s.Before) {
			return nil, Errorf(ECONFLICT, "cannot revert change %d: %s has changed since (now %s); revert the later changes first", c.Seq, s.Target, describe(now))
		}
	}
	if err := p.checkRevertLeavesNoDangling(c.Seq, inverse); err != nil {
		return nil, err
	}
	return inverse, nil
}

// checkRevertLeavesNoDangling checks the state a revert leaves: a relation
// it brings back or changes needs current ends and sources (or ones the
// revert restores too), and a node it takes away must no longer be joined
// or cited by a current relation the revert keeps, e.g. one added since the
// node was created.
func (p *planner) checkRevertLeavesNoDangling(seq int64, inverse []Step) error {
	restoring, removing := map[string]bool{}, map[string]bool{}
	for _, s := range inverse {
		switch {
		case s.After != nil && s.After.Node != nil:
			restoring[s.After.Node.ID] = true
		case s.After == nil:
			removing[s.Target] = true
		}
	}
	current := func(id string) (bool, error) {
		if restoring[id] {
			return true, nil
		}
		n, err := p.st.Node(p.ctx, id)
		return n != nil, err
	}
	for _, s := range inverse {
		if s.After == nil || s.After.Statement == nil {
			continue
		}
		for _, ref := range s.After.Statement.References() {
			ok, err := current(ref.Message)
			if err != nil {
				return err
			}
			if !ok {
				return Errorf(ECONFLICT, "cannot revert change %d: statement %s would come back naming %s, which is not current; restore it first", seq, s.Target, ref.Message)
			}
		}
	}
	for _, s := range inverse {
		if s.After == nil || s.After.Relation == nil {
			continue
		}
		r := s.After.Relation
		for _, end := range []string{r.From, r.To} {
			ok, err := current(end)
			if err != nil {
				return err
			}
			if !ok {
				return Errorf(ECONFLICT, "cannot revert change %d: relation %s would come back, but its end %s is not current; restore it first", seq, r.ID, end)
			}
		}
		for _, e := range r.Evidence {
			ok, err := current(e.SourceID)
			if err != nil {
				return err
			}
			if !ok {
				return Errorf(ECONFLICT, "cannot revert change %d: relation %s would come back citing %s, which is not current; restore it first", seq, r.ID, e.SourceID)
			}
		}
	}
	for _, s := range inverse {
		if s.After != nil || !s.IsNode() {
			continue
		}
		mentioning, err := p.st.StatementsOf(p.ctx, s.Target)
		if err != nil {
			return err
		}
		for _, st := range mentioning {
			if !removing[st.ID] {
				return Errorf(ECONFLICT, "cannot revert change %d: it would take away %s, which statement %s still names; retire that statement first", seq, s.Target, st.ID)
			}
		}
		joined, err := p.st.RelationsOf(p.ctx, s.Target)
		if err != nil {
			return err
		}
		citing, err := p.st.CitingRelations(p.ctx, s.Target)
		if err != nil {
			return err
		}
		for _, r := range sortedByID(append(joined, citing...)) {
			if !removing[r.ID] {
				return Errorf(ECONFLICT, "cannot revert change %d: it would take away %s, which relation %s still needs; retire that relation first", seq, s.Target, r.ID)
			}
		}
	}
	return nil
}

// entity reads the current value of the step's target; the step's values
// say whether it is a node or a relation.
func (p *planner) entity(s Step) (*Entity, error) {
	if s.IsStatement() {
		st, err := p.st.Statement(p.ctx, s.Target)
		if st == nil || err != nil {
			return nil, err
		}
		return &Entity{Statement: st}, nil
	}
	if s.IsRelation() {
		r, err := p.st.Relation(p.ctx, s.Target)
		if r == nil || err != nil {
			return nil, err
		}
		return &Entity{Relation: r}, nil
	}
	n, err := p.st.Node(p.ctx, s.Target)
	if n == nil || err != nil {
		return nil, err
	}
	e := &Entity{Node: n}
	if n.Kind == KindSource {
		if e.Text, _, err = p.st.SourceText(p.ctx, n.ID); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// sortedByID returns relations a State gave, ordered by ID, so the change
// Plan makes and the errors it gives do not depend on the store's order.
// It sorts a copy: the slice may be the store's own.
func sortedByID(rels []*Relation) []*Relation {
	return slices.SortedFunc(slices.Values(rels), func(a, b *Relation) int { return strings.Compare(a.ID, b.ID) })
}
