package model

import (
	"github.com/99designs/gqlgen/graphql"

	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/network"
)

var groupings = []network.Grouping{network.GroupBySide}

// MarshalCentralityMeasure writes a centrality measure.
func MarshalCentralityMeasure(m network.Measure) graphql.Marshaler {
	return graphql.MarshalString(string(m))
}

// UnmarshalCentralityMeasure reads a centrality measure.
func UnmarshalCentralityMeasure(v any) (network.Measure, error) {
	return unmarshalEnum(v, "CentralityMeasure", network.Measures)
}

// MarshalBrokerageGrouping writes a brokerage grouping.
func MarshalBrokerageGrouping(g network.Grouping) graphql.Marshaler {
	return graphql.MarshalString(string(g))
}

// UnmarshalBrokerageGrouping reads a brokerage grouping.
func UnmarshalBrokerageGrouping(v any) (network.Grouping, error) {
	return unmarshalEnum(v, "BrokerageGrouping", groupings)
}

// MarshalSide writes a side.
func MarshalSide(s domain.Side) graphql.Marshaler { return graphql.MarshalString(string(s)) }

// UnmarshalSide reads a side.
func UnmarshalSide(v any) (domain.Side, error) { return unmarshalEnum(v, "Side", domain.Sides) }

// NewCentralityRanking returns the view of r.
func NewCentralityRanking(r *network.Ranking) *CentralityRanking {
	out := &CentralityRanking{
		Measure:     r.Measure,
		DataVersion: r.DataVersion,
		NodeCount:   r.NodeCount,
		EdgeCount:   r.EdgeCount,
		Approximate: r.Approximate(),
		Scores:      make([]*CentralityScore, len(r.Scores)),
	}
	if r.Approximate() {
		out.SampledSources = &r.SampledSources
	}
	for i, s := range r.Scores {
		out.Scores[i] = &CentralityScore{Rank: s.Rank, Node: Wrap(s.Node), Score: s.Score}
	}
	return out
}

// NewBrokerageScores returns the views of bs, in order.
func NewBrokerageScores(bs []network.BrokerageScore) []*BrokerageScore {
	out := make([]*BrokerageScore, len(bs))
	for i, b := range bs {
		out[i] = &BrokerageScore{
			Node:           Wrap(b.Node),
			Side:           b.Side,
			Coordinator:    b.Coordinator,
			Itinerant:      b.Itinerant,
			Gatekeeper:     b.Gatekeeper,
			Representative: b.Representative,
			Liaison:        b.Liaison,
			Total:          b.Total(),
		}
	}
	return out
}
