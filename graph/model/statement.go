package model

import (
	"github.com/99designs/gqlgen/graphql"

	"github.com/stakegraph/stakegraph/internal/domain"
)

var discourseKinds = []domain.DiscourseKind{domain.DiscourseCongruence, domain.DiscourseConflict}

// MarshalStance writes a stance.
func MarshalStance(s domain.Stance) graphql.Marshaler { return graphql.MarshalString(string(s)) }

// UnmarshalStance reads a stance.
func UnmarshalStance(v any) (domain.Stance, error) { return unmarshalEnum(v, "Stance", domain.Stances) }

// MarshalDiscourseKind writes a discourse network kind.
func MarshalDiscourseKind(k domain.DiscourseKind) graphql.Marshaler {
	return graphql.MarshalString(string(k))
}

// UnmarshalDiscourseKind reads a discourse network kind.
func UnmarshalDiscourseKind(v any) (domain.DiscourseKind, error) {
	return unmarshalEnum(v, "DiscourseKind", discourseKinds)
}

// Statement is the GraphQL view of a statement; the stakeholders it names
// are resolved through the request's loaders.
type Statement struct{ s *domain.Statement }

// NewStatements returns the views of sts, in order.
func NewStatements(sts []*domain.Statement) []*Statement {
	out := make([]*Statement, len(sts))
	for i, s := range sts {
		out[i] = &Statement{s}
	}
	return out
}

// NewStatement returns the view of s.
func NewStatement(s *domain.Statement) *Statement { return &Statement{s} }

// DomainStatement returns the statement shown.
func (s *Statement) DomainStatement() *domain.Statement { return s.s }

func (s *Statement) ID() string                    { return s.s.ID }
func (s *Statement) Stance() domain.Stance         { return s.s.Stance }
func (s *Statement) Date() domain.PartialDate      { return s.s.Date }
func (s *Statement) Confidence() domain.Confidence { return s.s.Confidence }
func (s *Statement) Note() *string                 { return optional(s.s.Note) }
func (s *Statement) Evidence() *domain.Evidence    { e := s.s.Evidence; return &e }

// StatementValue shows a statement's plain fields at one point of history.
type StatementValue struct{ s *domain.Statement }

func (v *StatementValue) ID() string                    { return v.s.ID }
func (v *StatementValue) Speaker() string               { return v.s.Speaker }
func (v *StatementValue) OnBehalfOf() *string           { return optional(v.s.OnBehalfOf) }
func (v *StatementValue) About() []string               { return append([]string{}, v.s.About...) }
func (v *StatementValue) Stance() domain.Stance         { return v.s.Stance }
func (v *StatementValue) Date() domain.PartialDate      { return v.s.Date }
func (v *StatementValue) Event() *string                { return optional(v.s.Event) }
func (v *StatementValue) Confidence() domain.Confidence { return v.s.Confidence }
func (v *StatementValue) Note() *string                 { return optional(v.s.Note) }
func (v *StatementValue) Evidence() *domain.Evidence    { e := v.s.Evidence; return &e }

// Statement is the statement's value, nil for a node or relation.
func (v *EntityValue) Statement() *StatementValue {
	if v.e.Statement == nil {
		return nil
	}
	return &StatementValue{v.e.Statement}
}
