package model

import (
	"github.com/99designs/gqlgen/graphql"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// MarshalProposalKind writes a proposal kind.
func MarshalProposalKind(k domain.ProposalKind) graphql.Marshaler {
	return graphql.MarshalString(string(k))
}

// UnmarshalProposalKind reads a proposal kind.
func UnmarshalProposalKind(v any) (domain.ProposalKind, error) {
	return unmarshalEnum(v, "ProposalKind", domain.ProposalKinds)
}

// MarshalProposalStatus writes a proposal status.
func MarshalProposalStatus(s domain.ProposalStatus) graphql.Marshaler {
	return graphql.MarshalString(string(s))
}

// UnmarshalProposalStatus reads a proposal status.
func UnmarshalProposalStatus(v any) (domain.ProposalStatus, error) {
	return unmarshalEnum(v, "ProposalStatus", domain.ProposalStatuses)
}

// Proposal is the GraphQL view of one item of the review queue.
type Proposal struct{ q *domain.QueuedProposal }

// NewProposal wraps a queued proposal.
func NewProposal(q *domain.QueuedProposal) *Proposal { return &Proposal{q} }

// NewProposals wraps queued proposals.
func NewProposals(qs []*domain.QueuedProposal) []*Proposal {
	out := make([]*Proposal, len(qs))
	for i, q := range qs {
		out[i] = NewProposal(q)
	}
	return out
}

func (p *Proposal) ID() string                    { return p.q.ID() }
func (p *Proposal) Ingestion() int                { return int(p.q.Ingestion) }
func (p *Proposal) Kind() domain.ProposalKind     { return p.q.Kind }
func (p *Proposal) Status() domain.ProposalStatus { return p.q.Status }
func (p *Proposal) Quote() string                 { return p.q.Quote }
func (p *Proposal) Reason() string                { return p.q.Reason }
func (p *Proposal) Confidence() float64           { return p.q.Confidence }

// Value is what accepting the proposal writes.
func (p *Proposal) Value() *EntityValue {
	return &EntityValue{&domain.Entity{Relation: p.q.Relation, Statement: p.q.Statement, Node: p.q.Stakeholder}}
}
