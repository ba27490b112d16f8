package graph

import (
	"reflect"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/stakegraph/stakegraph/graph/model"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/network"
)

// Query cost. Scalars and enums cost 0 (see NewHandler), so the cost of a
// query is roughly the number of objects it can return: every object field
// costs 1 plus its selection, and a list field multiplies that by how many
// items it may hold. The root fields take the size from their arguments,
// clamped to the bounds domain validation allows, so an out-of-range
// argument gets its EINVALID message rather than a complexity error.
//
// Root fields also pay for the store work they start, whatever they
// return, so that aliases cannot multiply store queries past the limit:
// costStoreQuery for one indexed query, more for those that enumerate paths
// or read the whole graph. The figures follow the store's measured times
// (README, "Speed"): one unit is roughly 0.25 ms of Neo4j time. node and
// stakeholder cost only their object: one request's lookups are batched
// into one store call (see loaders.go).
const (
	costRelations     = 25 // Stakeholder.relations: every relation of a node
	costTypedRelation = 10 // Country.programmes, Event.attendees …
	costSmallList     = 3  // Evidence lists, Cooperation.topics, CoParticipation.shared
	costConnects      = 5  // CommonConnection.connects and .edges: the given nodes one connector joins
	costCooperation   = 20 // rows of cooperation(…)
	// costStoreQuery is one indexed store query (search, a page of
	// stakeholders, shortest paths, cooperation …): a few ms on Neo4j.
	costStoreQuery = 10
	// costEnumerate multiplies paths in K_SHORTEST and ALL_SIMPLE mode,
	// which enumerate simple paths of every length instead of stopping at
	// the shortest; costEnumerateQuery is the fixed part of that search,
	// whose time grows with the paths it has to walk, not the few it keeps.
	costEnumerate      = 2
	costEnumerateQuery = 250
	// costScan is the fixed part of a query that reads the whole graph
	// whatever it returns (coParticipation); costAnalysis that of the
	// network analyses (centrality, brokerage), which read the whole graph
	// and compute in full for every selection (measure, kinds, topic, asOf)
	// not yet cached.
	costScan     = 50
	costAnalysis = 250
	// costWrite is a mutation: a transaction made durable (an fsync on the
	// embedded store) plus the checks Plan reads.
	costWrite = 20
	// costRevision is a node's or relation's version: one small store read.
	costRevision = 1
	// costText is a source's full text, up to 2 MiB.
	costText = 10
	// costSteps is a change's steps: one for most writes, one per relation
	// for a retired stakeholder.
	costSteps = 10
)

// costNeighborhood is the expected subgraph size for depth 1, 2 and 3.
var costNeighborhood = [domain.MaxNeighborhoodDepth + 1]int{0, 10, 40, 100}

// setComplexity fills c: the root fields from their arguments, and every
// other list field from the type it lists (listCost), found by reflection
// so fields added to the schema are priced without touching this file.
func setComplexity(c *ComplexityRoot) {
	schema := NewExecutableSchema(Config{}).Schema()
	root := reflect.ValueOf(c).Elem()
	for i := range root.NumField() {
		typeName := root.Type().Field(i).Name
		def := schema.Types[typeName]
		if def == nil || def.Name == "Query" {
			continue
		}
		funcs := root.Field(i)
		for j := range funcs.NumField() {
			field := fieldByGoName(def, funcs.Type().Field(j).Name)
			if field == nil {
				continue
			}
			if cost := fieldCost(typeName, field); cost != nil {
				f := funcs.Field(j)
				f.Set(reflect.MakeFunc(f.Type(), func(args []reflect.Value) []reflect.Value {
					return []reflect.Value{reflect.ValueOf(cost(args))}
				}))
				continue
			}
			if size := listCost(typeName, field); size > 0 {
				f := funcs.Field(j)
				f.Set(reflect.MakeFunc(f.Type(), func(args []reflect.Value) []reflect.Value {
					return []reflect.Value{reflect.ValueOf(size * (1 + int(args[0].Int())))}
				}))
			}
		}
	}

	c.Query.Search = func(child int, _ string, _ []domain.Kind, first *int) int {
		return costStoreQuery + bounded(first, 10, domain.MaxPageSize)*(1+child)
	}
	c.Query.Stakeholders = func(child int, _ *model.StakeholderFilter, first *int, _ *string) int {
		return costStoreQuery + bounded(first, domain.DefaultPageSize, domain.MaxPageSize)*(1+child)
	}
	c.Query.Neighborhood = func(child int, _ string, depth *int, _ []domain.RelationType, _ []domain.Kind, _ *string, _ *domain.PartialDate) int {
		return costStoreQuery + costNeighborhood[bounded(depth, 1, domain.MaxNeighborhoodDepth)]*(1+child)
	}
	// The whole graph is priced as the widest neighbourhood, which can reach
	// all of it too.
	c.Query.Graph = func(child int, _ []domain.Kind, _ []domain.RelationType, _ *string, _ *domain.PartialDate) int {
		return costScan + costNeighborhood[domain.MaxNeighborhoodDepth]*(1+child)
	}
	c.Query.Paths = func(child int, _, _ string, maxHops *int, _ []domain.RelationType, _, _ []string, _ *domain.PartialDate, mode *domain.PathMode, limit *int) int {
		highest, factor, fixed := domain.MaxPathHops, 1, costStoreQuery
		if mode != nil && *mode != domain.PathShortest {
			highest, factor, fixed = domain.MaxSimplePathHops, costEnumerate, costEnumerateQuery
		}
		hops := bounded(maxHops, 4, highest)
		return fixed + factor*bounded(limit, 5, domain.MaxPageSize)*(1+child)*(hops+1)/2
	}
	c.Query.Cooperation = func(child int, _ string, _, _ *string, _ *domain.PartialDate, _ *bool) int {
		return costStoreQuery + costCooperation*(1+child)
	}
	c.Query.CommonConnections = func(child int, _ []string, _ []domain.Kind, _ []domain.RelationType, _ *domain.PartialDate, first *int, _ *bool) int {
		return costStoreQuery + bounded(first, domain.DefaultPageSize, domain.MaxPageSize)*(1+child)
	}
	c.Query.CoParticipation = func(child int, _ []domain.Kind, _ *string, _ *domain.PartialDate, first *int) int {
		return costScan + bounded(first, domain.DefaultPageSize, domain.MaxPageSize)*(1+child)
	}
	// A ranking is one object whose scores list holds first entries: price
	// the entries here, where first is known.
	c.Query.Centrality = func(child int, _ network.Measure, _ []domain.Kind, _ *string, _ *domain.PartialDate, first *int) int {
		return costAnalysis + bounded(first, domain.DefaultPageSize, domain.MaxPageSize)*(1+child)
	}
	c.Query.Brokerage = func(child int, _ *network.Grouping, _ *domain.PartialDate, first *int) int {
		return costAnalysis + bounded(first, domain.DefaultPageSize, domain.MaxPageSize)*(1+child)
	}
	c.Query.Changes = func(child int, _ *int, first *int, _ *string) int {
		return costStoreQuery + bounded(first, domain.DefaultPageSize, domain.MaxPageSize)*(1+child)
	}
	// The review queue reads the whole history.
	c.Query.Proposals = func(child int, _ *domain.ProposalStatus, _ *int, first *int) int {
		return costScan + bounded(first, 100, domain.MaxPageSize)*(1+child)
	}
	c.Query.Statements = func(child int, _, _, _ *string, _ *domain.Stance, _ *domain.PartialDate, _ *string, first *int) int {
		return costStoreQuery + bounded(first, domain.DefaultPageSize, domain.MaxPageSize)*(1+child)
	}
	// The discourse network reads every statement in scope, then the
	// actors: priced as the whole graph.
	c.Query.DiscourseNetwork = func(child int, _ *string, _ *domain.PartialDate, _ domain.DiscourseKind) int {
		return costScan + costNeighborhood[domain.MaxNeighborhoodDepth]*(1+child)
	}
	c.Query.Timeline = func(child int, _ *string, _, _ *domain.PartialDate, first *int) int {
		return costStoreQuery + bounded(first, domain.MaxPageSize, domain.MaxPageSize)*(1+child)
	}
}

// fieldCost prices the fields that start store work of their own, on any
// type: every mutation, a stakeholder's history (a page of changes, like
// the changes root field) and version, a source's text. args are the
// complexity function's: the child complexity, then the field's arguments.
func fieldCost(typeName string, field *ast.FieldDefinition) func(args []reflect.Value) int {
	child := func(args []reflect.Value) int { return int(args[0].Int()) }
	switch {
	case typeName == "Mutation":
		return func(args []reflect.Value) int { return costWrite + child(args) }
	case field.Name == "history":
		// history(since, first)
		return func(args []reflect.Value) int {
			first, _ := args[2].Interface().(*int)
			return costStoreQuery + bounded(first, domain.DefaultPageSize, domain.MaxPageSize)*(1+child(args))
		}
	case field.Name == "version" && len(field.Arguments) == 0:
		return func([]reflect.Value) int { return costRevision }
	case typeName == "Source" && field.Name == "text":
		return func([]reflect.Value) int { return costText }
	case typeName == "Change" && field.Name == "steps":
		return func(args []reflect.Value) int { return costSteps * (1 + child(args)) }
	}
	return nil
}

// listCost is how many items a list field of typeName is priced at; 0
// leaves the default (1 + selection): scalar lists, and lists whose size the
// root field already counted (Subgraph.nodes, Path.edges, Path.hops,
// CentralityRanking.scores, connection edges).
func listCost(typeName string, field *ast.FieldDefinition) int {
	if field.Type.Elem == nil {
		return 0
	}
	if typeName == "CommonConnection" {
		return costConnects
	}
	switch field.Type.Name() {
	case "Relation":
		if field.Name == "relations" {
			return costRelations
		}
		return costTypedRelation
	case "Evidence", "Topic":
		return costSmallList
	case "Stakeholder":
		if typeName == "CoParticipation" || typeName == "Statement" {
			return costSmallList
		}
	}
	return 0
}

func fieldByGoName(def *ast.Definition, goName string) *ast.FieldDefinition {
	for _, f := range def.Fields {
		if strings.EqualFold(f.Name, goName) {
			return f
		}
	}
	return nil
}

// bounded resolves an optional size argument for pricing: null means def,
// and values are clamped to 1..highest.
func bounded(v *int, def, highest int) int {
	n := def
	if v != nil {
		n = *v
	}
	return max(1, min(n, highest))
}
