package graph

import (
	"context"

	"github.com/stakegraph/stakegraph/graph/model"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/network"
)

// centrality ranks nodes by measure over the filtered graph, through the
// analyzer's per-data-version cache.
func (r *Resolver) centrality(ctx context.Context, q network.CentralityQuery, first *int) (*model.CentralityRanking, error) {
	n, err := pageSize(first, domain.DefaultPageSize)
	if err != nil {
		return nil, err
	}
	q.First = n
	if err := q.Validate(); err != nil {
		return nil, err
	}
	ranking, err := r.analyzerOf(ctx).Centrality(ctx, q)
	if err != nil {
		return nil, err
	}
	return model.NewCentralityRanking(ranking), nil
}

// brokerage counts Gould–Fernandez roles by group.
func (r *Resolver) brokerage(ctx context.Context, q network.BrokerageQuery, first *int) ([]*model.BrokerageScore, error) {
	n, err := pageSize(first, domain.DefaultPageSize)
	if err != nil {
		return nil, err
	}
	q.First = n
	if err := q.Validate(); err != nil {
		return nil, err
	}
	scores, err := r.analyzerOf(ctx).Brokerage(ctx, q)
	if err != nil {
		return nil, err
	}
	return model.NewBrokerageScores(scores), nil
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
