// Package graph serves the stakeholder graph over GraphQL: the schema
// (schema.graphqls at the repository root) is compiled by gqlgen into
// generated.go; the resolvers translate GraphQL arguments into domain
// queries on a domain.Store; NewHandler wires the HTTP endpoint with its
// limits and error handling.
//
// Regenerate after changing the schema or gqlgen.yml with
//
//	go tool gqlgen generate
//
// from the repository root, and commit the result.
package graph

import (
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/network"
)

// Resolver is the root resolver. Resolvers only translate GraphQL arguments
// into domain queries, call the store and wrap the results in graph/model
// views; bounds and input checks live in the domain Validate methods.
type Resolver struct {
	store    domain.Store
	analyzer *network.Analyzer // centrality and brokerage, cached per data version
}
