package graph

import (
	"context"

	"github.com/stakegraph/stakegraph/graph/model"
	"github.com/stakegraph/stakegraph/internal/domain"
)

// statementValue is the statement a StatementInput asks to record.
func statementValue(in model.StatementInput) *domain.Statement {
	s := &domain.Statement{ID: deref(in.ID), Speaker: in.Speaker, OnBehalfOf: deref(in.OnBehalfOf),
		About: in.About, Stance: in.Stance, Date: derefDate(in.Date), Event: deref(in.Event),
		Confidence: in.Confidence, Note: deref(in.Note)}
	if in.Evidence != nil {
		s.Evidence = domain.Evidence{SourceID: in.Evidence.Source, Quote: in.Evidence.Quote}
	}
	return s
}

// stakeholder loads a node a statement names through the request's loader;
// nil for "".
func (r *Resolver) stakeholder(ctx context.Context, id string) (model.Stakeholder, error) {
	if id == "" {
		return nil, nil
	}
	n, err := r.loaders(ctx).nodes.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	if n == nil {
		return nil, domain.Errorf(domain.EINTERNAL, "a statement names %s, which does not exist", id)
	}
	return model.Wrap(n), nil
}
