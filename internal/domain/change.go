package domain

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"
)

// This file is the write side's vocabulary: who writes (Actor, Role), what
// they ask (Write), what history keeps (Change) and the contract a store
// with writes fulfils (Writer). Plan (plan.go) checks a Write against the
// current data with the same rules the dataset loader uses and turns it
// into a Change; both stores call it inside their own transaction.

// Role is what a token lets its holder do. Each role includes the ones
// before it.
type Role string

// The roles.
const (
	RoleReader Role = "reader" // read, when reads require a token
	RoleEditor Role = "editor" // add sources, stakeholders, relations, evidence
	RoleAdmin  Role = "admin"  // also retire, revert and manage tokens
)

// Roles lists the roles from least to most allowed.
var Roles = []Role{RoleReader, RoleEditor, RoleAdmin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Allows reports whether a holder of r may do what needs role need.
func (r Role) Allows(need Role) bool {
	have, want := slices.Index(Roles, r), slices.Index(Roles, need)
	return have >= 0 && want >= 0 && have >= want
}

// Actor is who makes a write: the name of the token used and its role.
type Actor struct {
	Name string
	Role Role
}

// Action names a kind of write.
type Action string

// The actions, one per mutation.
const (
	ActionAddSource         Action = "ADD_SOURCE"
	ActionUpsertStakeholder Action = "UPSERT_STAKEHOLDER"
	ActionAddRelation       Action = "ADD_RELATION"
	ActionUpdateRelation    Action = "UPDATE_RELATION"
	ActionAddEvidence       Action = "ADD_EVIDENCE"
	ActionAddStatement      Action = "ADD_STATEMENT"
	ActionRetireRelation    Action = "RETIRE_RELATION"
	ActionRetireStakeholder Action = "RETIRE_STAKEHOLDER"
	ActionRevert            Action = "REVERT"
	ActionIngestDocument    Action = "INGEST_DOCUMENT"
	ActionDecideProposal    Action = "DECIDE_PROPOSAL"
)

// Actions lists every action.
var Actions = []Action{ActionAddSource, ActionUpsertStakeholder, ActionAddRelation, ActionUpdateRelation,
	ActionAddEvidence, ActionRetireRelation, ActionRetireStakeholder, ActionRevert, ActionAddStatement,
	ActionIngestDocument, ActionDecideProposal}

// Valid reports whether a is a known action.
func (a Action) Valid() bool { return slices.Contains(Actions, a) }

// RequiredRole is the least role that may perform the action: editors add
// and correct, only admins take facts out of current answers or undo.
func (a Action) RequiredRole() Role {
	switch a {
	case ActionRetireRelation, ActionRetireStakeholder, ActionRevert:
		return RoleAdmin
	}
	return RoleEditor
}

// RelationPatch lists the fields of a relation an update changes; nil
// fields stay as they are. A relation's type and ends are what it is, so
// they never change: retire it and add another instead.
type RelationPatch struct {
	Role       *string
	Status     *string
	Start      *PartialDate
	End        *PartialDate
	Confidence *Confidence
	Note       *string
}

// Write is one requested change, before Plan checks it. Which fields count
// depends on Action:
//
//	ADD_SOURCE          Node (kind Source; ID derived from the name when empty), Text
//	UPSERT_STAKEHOLDER  Node (any kind but Source; ID derived when empty), ExpectedRevision
//	ADD_RELATION        Relation (ID defaults to RelationID)
//	UPDATE_RELATION     Target, Patch, ExpectedRevision (required)
//	ADD_EVIDENCE        Target, Evidence
//	ADD_STATEMENT       Statement (ID defaults to StatementID)
//	RETIRE_RELATION     Target, Reason
//	RETIRE_STAKEHOLDER  Target, Reason
//	REVERT              Change, Reason
//	INGEST_DOCUMENT     Node, Text (as ADD_SOURCE; an existing source with the same text is reused), Review
//	DECIDE_PROPOSAL     Target (the ingestion's source), Reason, Review (a rejection)
//
// ADD_RELATION, ADD_STATEMENT and UPSERT_STAKEHOLDER may carry a Review
// with the decision that accepts a proposal.
//
// ExpectedRevision is the target's Revision the writer last saw: nil for
// UPSERT_STAKEHOLDER means "create; the ID must be free".
type Write struct {
	Action           Action
	Actor            Actor
	Reason           string
	Node             *Node
	Text             string
	Relation         *Relation
	Statement        *Statement
	Patch            *RelationPatch
	Evidence         []Evidence
	Target           string
	Change           int64
	ExpectedRevision *int64
	Review           *Review
}

// Entity is the value of one node or relation at one point in history. A
// Source node carries its full text, the one its quotes are checked against.
type Entity struct {
	Node      *Node
	Relation  *Relation
	Statement *Statement
	Text      string // Source nodes only
	// Review is the review queue's record the change keeps with the
	// entity (see review.go); it is history only, never current data.
	Review *Review `json:",omitempty"`
}

// ID is the ID of the node or relation.
func (e *Entity) ID() string {
	switch {
	case e == nil:
		return ""
	case e.Node != nil:
		return e.Node.ID
	case e.Relation != nil:
		return e.Relation.ID
	case e.Statement != nil:
		return e.Statement.ID
	}
	return ""
}

// Step is one entity's change within a Change: Before nil means it was
// created, After nil that it was retired.
type Step struct {
	Target string
	Before *Entity
	After  *Entity
}

// Change is one accepted write as history keeps it. Seq numbers changes
// from 1 without gaps in the order they became durable; the data version
// after a change is its Seq (0 is the seeded data).
type Change struct {
	Seq     int64
	At      time.Time // when it became durable, UTC
	Actor   Actor
	Action  Action
	Target  string // the node or relation the write named
	Reason  string
	Reverts int64 // REVERT: the Seq of the change undone
	Steps   []Step
}

// Touches reports whether the change concerns node or relation id: a step
// targets it, or changes a relation with id as an end. A node's history is
// the changes that touch it.
func (c *Change) Touches(id string) bool {
	for _, s := range c.Steps {
		if s.Target == id {
			return true
		}
		for _, e := range [2]*Entity{s.Before, s.After} {
			if e != nil && e.Relation != nil && (e.Relation.From == id || e.Relation.To == id) {
				return true
			}
			if e != nil && e.Statement != nil && e.Statement.Mentions(id) {
				return true
			}
		}
	}
	return false
}

// TouchedIDs lists, sorted and without repeats, every ID the change touches
// (see Touches), so a store can index history by them.
func (c *Change) TouchedIDs() []string {
	var ids []string
	for _, s := range c.Steps {
		ids = append(ids, s.Target)
		for _, e := range [2]*Entity{s.Before, s.After} {
			if e != nil && e.Relation != nil {
				ids = append(ids, e.Relation.From, e.Relation.To)
			}
			if e != nil && e.Statement != nil {
				for _, r := range e.Statement.References() {
					ids = append(ids, r.Message)
				}
			}
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// ChangeQuery pages through history in Seq order.
type ChangeQuery struct {
	Since  int64  // only changes with Seq greater than this
	First  int    // page size
	Target string // only changes that touch this node or relation ("" for all)
}

// Validate checks the query and fills in the default page size.
func (q *ChangeQuery) Validate() error {
	if q.Since < 0 {
		return Errorf(EINVALID, "since %d is negative: give the Seq of the last change you have, or 0", q.Since)
	}
	if q.Target != "" && !strings.Contains(q.Target, "|") && !strings.HasPrefix(q.Target, StatementPrefix+":") {
		if _, _, err := ParseID(q.Target); err != nil {
			return err
		}
	}
	return validatePageSize(&q.First, "first")
}

// ChangePage is one page of history.
type ChangePage struct {
	Changes     []*Change
	HasNextPage bool
}

// Writer is what a store with writes adds to Store. Every method takes the
// request context first; errors are *Error with a code.
type Writer interface {
	// Apply checks w with Plan against the store's current data inside one
	// transaction and, when it passes, makes the change and its record in
	// history durable together; it returns the change, with Seq and At set,
	// only once both are durable. A rejected write changes nothing.
	Apply(ctx context.Context, w *Write) (*Change, error)
	// Changes returns one page of history (see ChangeQuery).
	Changes(ctx context.Context, q ChangeQuery) (*ChangePage, error)
	// DataVersion is the Seq of the latest durable change, 0 for seeded data.
	DataVersion(ctx context.Context) (int64, error)
	// VersionAt is the data version as known at instant t: the Seq of the
	// last change made at or before t, 0 when none was.
	VersionAt(ctx context.Context, t time.Time) (int64, error)
	// SourceText returns the full text of a current Source node, or ENOTFOUND.
	SourceText(ctx context.Context, id string) (string, error)
	// Revision is the Seq of the last change that targeted node or relation
	// id, 0 when it has not changed since seeding (see Write.ExpectedRevision).
	Revision(ctx context.Context, id string) (int64, error)
}

// State is the view of current data Plan checks a write against, read
// inside the writer's transaction. Missing entities are nil with a nil
// error; retired ones are missing.
type State interface {
	Node(ctx context.Context, id string) (*Node, error)
	Relation(ctx context.Context, id string) (*Relation, error)
	// RelationsOf returns the current relations with id as an end.
	RelationsOf(ctx context.Context, id string) ([]*Relation, error)
	// CitingRelations returns the current relations whose evidence cites
	// source id.
	CitingRelations(ctx context.Context, sourceID string) ([]*Relation, error)
	// SourceText returns a Source node's text; false when it has none.
	SourceText(ctx context.Context, id string) (string, bool, error)
	Revision(ctx context.Context, id string) (int64, error)
	// Statement returns the current statement with the given ID.
	Statement(ctx context.Context, id string) (*Statement, error)
	// StatementsOf returns the current statements that name node id (see
	// Statement.Mentions).
	StatementsOf(ctx context.Context, id string) ([]*Statement, error)
	// Change returns the change with the given Seq, nil when there is none.
	Change(ctx context.Context, seq int64) (*Change, error)
}

// Slug turns a name into an ID slug: folded to lower-case ASCII letters and
// digits, other runs joined by single hyphens, at most 60 bytes.
func Slug(name string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range Fold(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
		default:
			hyphen = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	return strings.TrimRight(b.String(), "-")
}

// SameNode reports whether two node values are equal field by field; nil
// and empty alias lists are equal.
func SameNode(a, b *Node) bool {
	if a == nil || b == nil {
		return a == b
	}
	x, y := *a, *b
	if !slices.Equal(x.Aliases, y.Aliases) {
		return false
	}
	x.Aliases, y.Aliases = nil, nil
	return reflect.DeepEqual(x, y)
}

// SameRelation reports whether two relation values are equal field by
// field; nil and empty evidence lists are equal.
func SameRelation(a, b *Relation) bool {
	if a == nil || b == nil {
		return a == b
	}
	x, y := *a, *b
	if !slices.Equal(x.Evidence, y.Evidence) {
		return false
	}
	x.Evidence, y.Evidence = nil, nil
	return reflect.DeepEqual(x, y)
}

// SameEntity reports whether two entity values are equal (both nil counts).
func SameEntity(a, b *Entity) bool {
	if a == nil || b == nil {
		return a == b
	}
	return SameNode(a.Node, b.Node) && SameRelation(a.Relation, b.Relation) && SameStatement(a.Statement, b.Statement) && a.Text == b.Text
}

// CloneNode returns a copy of n that shares nothing mutable with it.
func CloneNode(n *Node) *Node {
	if n == nil {
		return nil
	}
	c := *n
	c.Aliases = slices.Clone(n.Aliases)
	return &c
}

// CloneRelation returns a copy of r that shares nothing mutable with it.
func CloneRelation(r *Relation) *Relation {
	if r == nil {
		return nil
	}
	c := *r
	c.Evidence = slices.Clone(r.Evidence)
	return &c
}

func describe(e *Entity) string {
	if e == nil {
		return "absent"
	}
	return fmt.Sprintf("%q", e.ID())
}
