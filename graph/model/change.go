package model

import (
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// roleNames are the GraphQL names of the roles, in domain.Roles order.
var roleNames = []string{"READER", "EDITOR", "ADMIN"}

// MarshalRole writes a role as its GraphQL enum value.
func MarshalRole(r domain.Role) graphql.Marshaler {
	for i, role := range domain.Roles {
		if role == r {
			return graphql.MarshalString(roleNames[i])
		}
	}
	return graphql.MarshalString(string(r))
}

// UnmarshalRole reads a role.
func UnmarshalRole(v any) (domain.Role, error) {
	name, err := unmarshalEnum(v, "Role", roleNames)
	if err != nil {
		return "", err
	}
	for i, n := range roleNames {
		if n == name {
			return domain.Roles[i], nil
		}
	}
	return "", nil
}

// MarshalChangeAction writes an action.
func MarshalChangeAction(a domain.Action) graphql.Marshaler {
	return graphql.MarshalString(string(a))
}

// UnmarshalChangeAction reads an action.
func UnmarshalChangeAction(v any) (domain.Action, error) {
	return unmarshalEnum(v, "ChangeAction", domain.Actions)
}

// Change is the GraphQL view of one change in history.
type Change struct{ c *domain.Change }

// NewChange returns the view of c.
func NewChange(c *domain.Change) *Change { return &Change{c} }

// NewChanges returns the views of cs, in order.
func NewChanges(cs []*domain.Change) []*Change {
	out := make([]*Change, len(cs))
	for i, c := range cs {
		out[i] = NewChange(c)
	}
	return out
}

// DomainChange returns the change shown.
func (c *Change) DomainChange() *domain.Change { return c.c }

// Seq is the change's number.
func (c *Change) Seq() int64 { return c.c.Seq }

// At is when the change became durable, RFC 3339 in UTC to the
// nanosecond, so @asKnown(at:) given it reads exactly that change.
func (c *Change) At() string { return c.c.At.UTC().Format(time.RFC3339Nano) }

// Actor is the name of the token that made the change.
func (c *Change) Actor() string { return c.c.Actor.Name }

// Role is the token's role.
func (c *Change) Role() domain.Role { return c.c.Actor.Role }

// Action is the kind of write.
func (c *Change) Action() domain.Action { return c.c.Action }

// Target is the node or relation the write named.
func (c *Change) Target() string { return c.c.Target }

// Reason is null when the writer gave none.
func (c *Change) Reason() *string { return optional(c.c.Reason) }

// Reverts is the seq a revert undid, null for other changes.
func (c *Change) Reverts() *int64 {
	if c.c.Action != domain.ActionRevert {
		return nil
	}
	n := c.c.Reverts
	return &n
}

// Steps are the entity changes, in the order the change lists them.
func (c *Change) Steps() []*ChangeStep {
	out := make([]*ChangeStep, len(c.c.Steps))
	for i, s := range c.c.Steps {
		out[i] = &ChangeStep{s}
	}
	return out
}

// ChangeStep is one entity's change within a change.
type ChangeStep struct{ s domain.Step }

// Target is the ID of the node or relation.
func (s *ChangeStep) Target() string { return s.s.Target }

// Operation says whether the step created, updated or retired its entity.
func (s *ChangeStep) Operation() StepOperation {
	switch {
	case s.s.Before == nil:
		return StepOperationCreated
	case s.s.After == nil:
		return StepOperationRetired
	}
	return StepOperationUpdated
}

// Before is the value before, nil when created.
func (s *ChangeStep) Before() *EntityValue { return entityValue(s.s.Before) }

// After is the value after, nil when retired.
func (s *ChangeStep) After() *EntityValue { return entityValue(s.s.After) }

// EntityValue is a node's or relation's value at one point of history.
type EntityValue struct{ e *domain.Entity }

func entityValue(e *domain.Entity) *EntityValue {
	if e == nil {
		return nil
	}
	return &EntityValue{e}
}

// Node is the node's value, nil for a relation.
func (v *EntityValue) Node() *NodeValue {
	if v.e.Node == nil {
		return nil
	}
	return &NodeValue{v.e.Node}
}

// Relation is the relation's value, nil for a node.
func (v *EntityValue) Relation() *RelationValue {
	if v.e.Relation == nil {
		return nil
	}
	return &RelationValue{v.e.Relation}
}

// TextLength is a source's text length in bytes, nil for other entities.
func (v *EntityValue) TextLength() *int {
	if v.e.Node == nil || v.e.Node.Kind != domain.KindSource {
		return nil
	}
	n := len(v.e.Text)
	return &n
}

// NodeValue shows a node's plain fields.
type NodeValue struct{ n *domain.Node }

func (v *NodeValue) ID() string                { return v.n.ID }
func (v *NodeValue) Kind() domain.Kind         { return v.n.Kind }
func (v *NodeValue) Name() string              { return v.n.Name }
func (v *NodeValue) Description() *string      { return optional(v.n.Description) }
func (v *NodeValue) IsoCode() *string          { return optional(v.n.ISOCode) }
func (v *NodeValue) Title() *string            { return optional(v.n.Title) }
func (v *NodeValue) Scope() *string            { return optional(v.n.Scope) }
func (v *NodeValue) Budget() *string           { return optional(v.n.Budget) }
func (v *NodeValue) Location() *string         { return optional(v.n.Location) }
func (v *NodeValue) Status() *string           { return optional(v.n.Status) }
func (v *NodeValue) Start() domain.PartialDate { return v.n.Start }
func (v *NodeValue) End() domain.PartialDate   { return v.n.End }
func (v *NodeValue) URL() *string              { return optional(v.n.URL) }
func (v *NodeValue) Publisher() *string        { return optional(v.n.Publisher) }
func (v *NodeValue) Language() *string         { return optional(v.n.Language) }

// Aliases never returns nil, so the non-null list reads as [].
func (v *NodeValue) Aliases() []string {
	if v.n.Aliases == nil {
		return []string{}
	}
	return v.n.Aliases
}

// OrgType is null for kinds other than Organization.
func (v *NodeValue) OrgType() *domain.OrgType {
	if v.n.OrgType == "" {
		return nil
	}
	t := v.n.OrgType
	return &t
}

// RelationValue shows a relation's plain fields.
type RelationValue struct{ r *domain.Relation }

func (v *RelationValue) ID() string                    { return v.r.ID }
func (v *RelationValue) Type() domain.RelationType     { return v.r.Type }
func (v *RelationValue) From() string                  { return v.r.From }
func (v *RelationValue) To() string                    { return v.r.To }
func (v *RelationValue) Role() *string                 { return optional(v.r.Role) }
func (v *RelationValue) Status() *string               { return optional(v.r.Status) }
func (v *RelationValue) Start() domain.PartialDate     { return v.r.Start }
func (v *RelationValue) End() domain.PartialDate       { return v.r.End }
func (v *RelationValue) Confidence() domain.Confidence { return v.r.Confidence }
func (v *RelationValue) Note() *string                 { return optional(v.r.Note) }

// Evidence never returns nil.
func (v *RelationValue) Evidence() []domain.Evidence {
	if v.r.Evidence == nil {
		return []domain.Evidence{}
	}
	return v.r.Evidence
}

// ChangePage is one page of history.
type ChangePage struct{ p *domain.ChangePage }

// NewChangePage returns the view of p.
func NewChangePage(p *domain.ChangePage) *ChangePage { return &ChangePage{p} }

// Changes are the page's changes in seq order.
func (p *ChangePage) Changes() []*Change { return NewChanges(p.p.Changes) }

// HasNextPage says whether more changes follow.
func (p *ChangePage) HasNextPage() bool { return p.p.HasNextPage }

// LastSeq is the seq of the page's last change, nil for an empty page.
func (p *ChangePage) LastSeq() *int64 {
	if len(p.p.Changes) == 0 {
		return nil
	}
	n := p.p.Changes[len(p.p.Changes)-1].Seq
	return &n
}

// Viewer is the holder of a request's bearer token.
type Viewer struct {
	Name          string
	Role          domain.Role
	WritesEnabled bool
}
