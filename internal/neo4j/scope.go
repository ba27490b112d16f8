package neo4j

import (
	"fmt"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// scopeWhere is the Cypher predicate of domain.Scope.Allows on relationship
// variable r, over the derived properties Seed stores and the parameters
// scopeParams sets: $types, $topics and $day (asOf's earliest day, empty for
// any time). Relation.ActiveAt compares the same padded days as text.
func scopeWhere(r string) string {
	return fmt.Sprintf(`((size($types) = 0 OR type(%[1]s) IN $types)
		AND (size($topics) = 0 OR any(t IN coalesce(%[1]s.topics, []) WHERE t IN $topics))
		AND ($day = '' OR ((%[1]s.startKey IS NULL OR %[1]s.startKey <= $day)
		                   AND (%[1]s.endKey IS NULL OR %[1]s.endKey > $day))))`, r)
}

// scopeParams adds the parameters of scopeWhere for sc to params and
// returns params (a new map when nil).
func scopeParams(sc domain.Scope, params map[string]any) map[string]any {
	if params == nil {
		params = map[string]any{}
	}
	topics := sc.Topics
	if topics == nil {
		topics = []string{}
	}
	params["types"] = typeNames(sc.RelationTypes)
	params["topics"] = topics
	params["day"] = sc.AsOf.Earliest()
	return params
}
