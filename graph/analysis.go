package graph

import (
	"context"

	"github.com/stakegraph/stakegraph/graph/model"
	"github.com/stakegraph/stakegraph/internal/domain"
)

// centrality ranks nodes by measure over the filtered graph.
func (r *Resolver) centrality(ctx context.Context, measure model.CentralityMeasure, kinds []domain.Kind, topic string, asOf domain.PartialDate, first *int) (*model.CentralityRanking, error) {
	return nil, domain.Errorf(domain.EINTERNAL, "centrality is not available yet")
}

// brokerage counts Gould–Fernandez roles by group.
func (r *Resolver) brokerage(ctx context.Context, groupBy *model.BrokerageGrouping, asOf domain.PartialDate, first *int) ([]*model.BrokerageScore, error) {
	return nil, domain.Errorf(domain.EINTERNAL, "brokerage is not available yet")
}

// timelineSentence tells e in one line, loading the names of a relation's
// ends through the request's node loader (one batch for the whole list).
func (r *Resolver) timelineSentence(ctx context.Context, e *domain.TimelineEntry) (string, error) {
	if e.Relation == nil {
		return e.Sentence(nil, nil), nil
	}
	nodes, err := r.loaders(ctx).nodes.LoadAll(ctx, []string{e.Relation.From, e.Relation.To})
	if err != nil {
		return "", err
	}
	return e.Sentence(nodes[0], nodes[1]), nil
}
