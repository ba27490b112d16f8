package graph

import (
	"reflect"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/stakegraph/stakegraph/graph/model"
	"github.com/stakegraph/stakegraph/internal/domain"
)

// Query cost. Scalars and enums cost 0 (see NewHandler), so the cost of a
// query is roughly the number of objects it can return: every object field
// costs 1 plus its selection, and a list field multiplies that by how many
// items it may hold. The root fields take the size from their arguments,
// clamped to the bounds domain validation allows, so an out-of-range
// argument gets its EINVALID message rather than a complexity error.
const (
	costRelations     = 25 // Stakeholder.relations: every relation of a node
	costTypedRelation = 10 // Country.programmes, Event.attendees …
	costSmallList     = 3  // Evidence lists, Cooperation.topics
	costCooperation   = 20 // rows of cooperation(…)
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
		def := schema.Types[root.Type().Field(i).Name]
		if def == nil || def.Name == "Query" {
			continue
		}
		funcs := root.Field(i)
		for j := range funcs.NumField() {
			field := fieldByGoName(def, funcs.Type().Field(j).Name)
			if field == nil {
				continue
			}
			if size := listCost(field); size > 0 {
				f := funcs.Field(j)
				f.Set(reflect.MakeFunc(f.Type(), func(args []reflect.Value) []reflect.Value {
					return []reflect.Value{reflect.ValueOf(size * (1 + int(args[0].Int())))}
				}))
			}
		}
	}

	c.Query.Search = func(child int, _ string, _ []domain.Kind, first *int) int {
		return bounded(first, 10, domain.MaxPageSize) * (1 + child)
	}
	c.Query.Stakeholders = func(child int, _ *model.StakeholderFilter, first *int, _ *string) int {
		return bounded(first, domain.DefaultPageSize, domain.MaxPageSize) * (1 + child)
	}
	c.Query.Neighborhood = func(child int, _ string, depth *int, _ []domain.RelationType, _ []domain.Kind) int {
		return costNeighborhood[bounded(depth, 1, domain.MaxNeighborhoodDepth)] * (1 + child)
	}
	c.Query.Paths = func(child int, _, _ string, maxHops *int, _ []domain.RelationType, limit *int) int {
		hops := bounded(maxHops, 4, domain.MaxPathHops)
		return bounded(limit, 5, domain.MaxPageSize) * (1 + child) * (hops + 1) / 2
	}
	c.Query.Cooperation = func(child int, _ string, _, _ *string) int {
		return costCooperation * (1 + child)
	}
}

// listCost is how many items a list field is priced at; 0 leaves the
// default (1 + selection): scalar lists, and lists whose size the root
// field already counted (Subgraph.nodes, Path.edges, connection edges).
func listCost(field *ast.FieldDefinition) int {
	if field.Type.Elem == nil {
		return 0
	}
	switch field.Type.Name() {
	case "Relation":
		if field.Name == "relations" {
			return costRelations
		}
		return costTypedRelation
	case "Evidence", "Topic":
		return costSmallList
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
