package model

import (
	"github.com/99designs/gqlgen/graphql"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// CentralityMeasure is a centrality measure the API offers.
type CentralityMeasure string

// The centrality measures, in schema order.
const (
	MeasureDegree      CentralityMeasure = "DEGREE"
	MeasureBetweenness CentralityMeasure = "BETWEENNESS"
	MeasureCloseness   CentralityMeasure = "CLOSENESS"
	MeasurePageRank    CentralityMeasure = "PAGERANK"
	MeasureEigenvector CentralityMeasure = "EIGENVECTOR"
)

// CentralityMeasures lists every measure in schema order.
var CentralityMeasures = []CentralityMeasure{MeasureDegree, MeasureBetweenness, MeasureCloseness, MeasurePageRank, MeasureEigenvector}

// MarshalCentralityMeasure writes a measure.
func MarshalCentralityMeasure(m CentralityMeasure) graphql.Marshaler {
	return graphql.MarshalString(string(m))
}

// UnmarshalCentralityMeasure reads a measure.
func UnmarshalCentralityMeasure(v any) (CentralityMeasure, error) {
	return unmarshalEnum(v, "CentralityMeasure", CentralityMeasures)
}

// BrokerageGrouping says how brokerage groups actors.
type BrokerageGrouping string

// GroupBySide groups actors by their side of the cooperation.
const GroupBySide BrokerageGrouping = "SIDE"

var brokerageGroupings = []BrokerageGrouping{GroupBySide}

// MarshalBrokerageGrouping writes a grouping.
func MarshalBrokerageGrouping(g BrokerageGrouping) graphql.Marshaler {
	return graphql.MarshalString(string(g))
}

// UnmarshalBrokerageGrouping reads a grouping.
func UnmarshalBrokerageGrouping(v any) (BrokerageGrouping, error) {
	return unmarshalEnum(v, "BrokerageGrouping", brokerageGroupings)
}

// MarshalSide writes a side.
func MarshalSide(s domain.Side) graphql.Marshaler { return graphql.MarshalString(string(s)) }

// UnmarshalSide reads a side.
func UnmarshalSide(v any) (domain.Side, error) { return unmarshalEnum(v, "Side", domain.Sides) }
