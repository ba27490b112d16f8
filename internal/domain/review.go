package domain

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The review queue keeps no state of its own: an ingestion's proposals and
// each reviewer's decision ride in history as a Review on the entity a
// change creates or touches, so both stores keep them with no code of
// their own, and the queue is read back from history (Writer.Changes).

// ProposalKind says what a proposal would add to the graph.
type ProposalKind string

// The proposal kinds.
const (
	ProposalRelation    ProposalKind = "RELATION"
	ProposalStatement   ProposalKind = "STATEMENT"
	ProposalStakeholder ProposalKind = "STAKEHOLDER"
)

// ProposalKinds lists every proposal kind.
var ProposalKinds = []ProposalKind{ProposalRelation, ProposalStatement, ProposalStakeholder}

// Valid reports whether k is a known proposal kind.
func (k ProposalKind) Valid() bool { return slices.Contains(ProposalKinds, k) }

// Proposal is one thing an ingested document suggests adding, with the
// value a reviewer's acceptance writes (exactly one of Relation, Statement
// and Stakeholder, by Kind). Key is what a decision is remembered by, the
// same in every document proposing it.
type Proposal struct {
	Kind        ProposalKind `json:"kind"`
	Key         string       `json:"key"`
	Relation    *Relation    `json:"relation,omitempty"`
	Statement   *Statement   `json:"statement,omitempty"`
	Stakeholder *Node        `json:"stakeholder,omitempty"`
	Quote       string       `json:"quote"` // the sentence it comes from
	Reason      string       `json:"reason"`
	Confidence  float64      `json:"confidence"`
}

// Decision is a reviewer's judgement on one proposal.
type Decision struct {
	Ingestion int64  `json:"ingestion"` // the Seq of the INGEST_DOCUMENT change
	Proposal  int    `json:"proposal"`  // its index there
	Key       string `json:"key"`
	Accepted  bool   `json:"accepted"`
}

// Review is what an entity's step carries for the review queue: the
// proposals of an ingestion, or one decision.
type Review struct {
	Proposals []Proposal `json:"proposals,omitempty"`
	Decision  *Decision  `json:"decision,omitempty"`
}

// MaxProposalsPerIngestion bounds what one document may put in the queue.
const MaxProposalsPerIngestion = 2000

// ProposalID names proposal index of the ingestion recorded by change seq.
func ProposalID(seq int64, index int) string {
	return strconv.FormatInt(seq, 10) + "." + strconv.Itoa(index)
}

// ParseProposalID reads a ProposalID.
func ParseProposalID(id string) (seq int64, index int, err error) {
	a, b, ok := strings.Cut(id, ".")
	seq, err1 := strconv.ParseInt(a, 10, 64)
	index, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || seq <= 0 || index < 0 {
		return 0, 0, Errorf(EINVALID, "%q is not a proposal id (INGESTION.INDEX, e.g. 12.3): take it from proposals or ingestDocument", id)
	}
	return seq, index, nil
}

// review is the Review a change records, nil when none.
func (c *Change) review() *Review {
	for _, s := range c.Steps {
		if s.After != nil && s.After.Review != nil {
			return s.After.Review
		}
	}
	return nil
}

// Ingestion returns the proposals an INGEST_DOCUMENT change recorded.
func (c *Change) Ingestion() ([]Proposal, bool) {
	if c.Action != ActionIngestDocument {
		return nil, false
	}
	r := c.review()
	if r == nil {
		return nil, true
	}
	return r.Proposals, true
}

// Decision returns the decision a change recorded, nil when none.
func (c *Change) Decision() *Decision {
	if r := c.review(); r != nil {
		return r.Decision
	}
	return nil
}

// reviewable are the actions a Write may carry a Review with: an
// ingestion, a rejection, or the write an acceptance makes.
var reviewable = []Action{ActionIngestDocument, ActionDecideProposal, ActionAddRelation, ActionAddEvidence, ActionAddStatement, ActionUpsertStakeholder}

// attachReview puts w's Review on the entity the change's first step
// leaves, after checking it: an ingestion's proposals are well formed; a
// decision names a proposal the ingestion it cites recorded, under the
// same key.
func (p *planner) attachReview(steps []Step) error {
	rv := p.w.Review
	switch p.w.Action {
	case ActionIngestDocument, ActionDecideProposal:
		if rv == nil {
			return Errorf(EINVALID, "%s needs its review record", p.w.Action)
		}
	}
	if rv == nil {
		return nil
	}
	if !slices.Contains(reviewable, p.w.Action) {
		return Errorf(EINVALID, "%s cannot record a review decision", p.w.Action)
	}
	if (p.w.Action == ActionIngestDocument) != (rv.Decision == nil) {
		return Errorf(EINVALID, "%s: an ingestion records proposals, every other write at most one decision", p.w.Action)
	}
	if len(rv.Proposals) > MaxProposalsPerIngestion {
		return Errorf(EINVALID, "%d proposals; the limit per document is %d: split the document", len(rv.Proposals), MaxProposalsPerIngestion)
	}
	for i, pr := range rv.Proposals {
		if !pr.Kind.Valid() || pr.Key == "" {
			return Errorf(EINVALID, "proposal %d: a kind and a key are required", i)
		}
	}
	if d := rv.Decision; d != nil {
		c, err := p.st.Change(p.ctx, d.Ingestion)
		if err != nil {
			return err
		}
		var props []Proposal
		if c != nil {
			props, _ = c.Ingestion()
		}
		if d.Proposal < 0 || d.Proposal >= len(props) || props[d.Proposal].Key != d.Key {
			return Errorf(ENOTFOUND, "no proposal %s with key %s", ProposalID(d.Ingestion, d.Proposal), d.Key)
		}
	}
	after := *steps[0].After
	after.Review = rv
	steps[0].After = &after
	return nil
}

// ingestDocument registers the document's source as addSource does, or,
// when a source with that ID and the same text exists (the document
// ingested again), touches it, and records the proposals on it.
func (p *planner) ingestDocument() ([]Step, error) {
	if p.w.Node == nil {
		return nil, Errorf(EINVALID, "ingestDocument needs a source")
	}
	n := CloneNode(p.w.Node)
	n.Kind = KindSource
	fillNodeID(n)
	old, err := p.node(n.ID)
	if err != nil || old == nil {
		if err != nil {
			return nil, err
		}
		return p.addSource()
	}
	text, _, err := p.st.SourceText(p.ctx, old.ID)
	if err != nil {
		return nil, err
	}
	if old.Kind != KindSource || NormalizeQuote(text) != NormalizeQuote(p.w.Text) {
		return nil, Errorf(ECONFLICT, "%s already exists with another text; give the document another title or id", n.ID)
	}
	return []Step{{Target: old.ID, Before: &Entity{Node: old, Text: text}, After: &Entity{Node: old, Text: text}}}, nil
}

// decideProposal records a decision that changes nothing else (a
// rejection) on the source of the ingestion it concerns, which must be
// current.
func (p *planner) decideProposal() ([]Step, error) {
	if err := p.requireReason(); err != nil {
		return nil, err
	}
	if p.w.Target == "" {
		return nil, Errorf(EINVALID, "a decision needs the ingestion's source")
	}
	n, err := p.node(p.w.Target)
	if err != nil {
		return nil, err
	}
	if n == nil || n.Kind != KindSource {
		return nil, Errorf(ENOTFOUND, "the ingestion's source %s is not current; restore it to decide on its proposals", p.w.Target)
	}
	text, _, err := p.st.SourceText(p.ctx, n.ID)
	if err != nil {
		return nil, err
	}
	return []Step{{Target: n.ID, Before: &Entity{Node: n, Text: text}, After: &Entity{Node: CloneNode(n), Text: text}}}, nil
}

// refuseReviewRevert refuses to revert a change that records an ingestion
// or a decision: undoing it would make history forget a judgement (and a
// proposal asked again), so what it added is retired instead.
func refuseReviewRevert(c *Change) error {
	if c.review() == nil {
		return nil
	}
	return Errorf(EINVALID, "change %d records %s for the review queue, which history must keep; retire what it added instead (retireRelation, retireStakeholder)", c.Seq, reviewWhat(c))
}

func reviewWhat(c *Change) string {
	if c.Action == ActionIngestDocument {
		return "an ingested document's proposals"
	}
	return fmt.Sprintf("a decision on proposal %s", ProposalID(c.Decision().Ingestion, c.Decision().Proposal))
}

// ProposalStatus is where a proposal is in the review queue.
type ProposalStatus string

// The proposal statuses.
const (
	ProposalOpen     ProposalStatus = "OPEN"
	ProposalAccepted ProposalStatus = "ACCEPTED"
	ProposalRejected ProposalStatus = "REJECTED"
)

// ProposalStatuses lists every status.
var ProposalStatuses = []ProposalStatus{ProposalOpen, ProposalAccepted, ProposalRejected}

// QueuedProposal is a proposal as the queue shows it: where it was
// proposed and what was decided on its key.
type QueuedProposal struct {
	Proposal
	Ingestion int64
	Index     int
	Source    string // the ingestion's source
	Status    ProposalStatus
}

// ID is the proposal's ProposalID.
func (q *QueuedProposal) ID() string { return ProposalID(q.Ingestion, q.Index) }

// ReviewQueue rebuilds the queue from history given in Seq order: every
// ingestion's proposals, each with the status of the latest decision on
// its key, in any document.
func ReviewQueue(changes []*Change) []*QueuedProposal {
	var out []*QueuedProposal
	decided := map[string]ProposalStatus{}
	for _, c := range changes {
		if props, ok := c.Ingestion(); ok {
			for i, p := range props {
				out = append(out, &QueuedProposal{Proposal: p, Ingestion: c.Seq, Index: i, Source: c.Target})
			}
		}
		if d := c.Decision(); d != nil {
			decided[d.Key] = ProposalRejected
			if d.Accepted {
				decided[d.Key] = ProposalAccepted
			}
		}
	}
	for _, q := range out {
		q.Status = ProposalOpen
		if s, ok := decided[q.Key]; ok {
			q.Status = s
		}
	}
	return out
}

// DecidedKeys lists the keys history holds a decision on.
func DecidedKeys(changes []*Change) map[string]bool {
	keys := map[string]bool{}
	for _, c := range changes {
		if d := c.Decision(); d != nil {
			keys[d.Key] = true
		}
	}
	return keys
}
