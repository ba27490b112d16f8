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
	"time"

	"github.com/stakegraph/stakegraph/internal/auth"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/network"
)

// Resolver is the root resolver. Resolvers only translate GraphQL arguments
// into domain queries, call the store and wrap the results in graph/model
// views; bounds and input checks live in the domain Validate methods.
type Resolver struct {
	store    domain.Store
	analyzer *network.Analyzer // centrality and brokerage, cached per data version
	// writer applies mutations and keeps history; nil for a read-only store.
	writer domain.Writer
	// tokens are who may write; none means writes are refused.
	tokens *auth.Tokens
	// engines keeps the ingest engine of the current data version.
	engines engineCache
	// atVersion rebuilds an earlier version for @asKnown.
	atVersion  AtVersion
	loaderWait time.Duration
	types      *objectTypes // the served schema's object types, which the loaders count fields with
}
