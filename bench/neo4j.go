package main

import (
	"cmp"
	"context"
	"io"
	"log/slog"
	"os"

	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/neo4j"
)

// neo4jBackend seeds one Neo4j database with each graph through the store's
// own Seed; "build" is the seeding time. The server's memory is not measured.
type neo4jBackend struct {
	store *neo4j.Store
}

func newNeo4jBackend(ctx context.Context) (*neo4jBackend, error) {
	cfg := neo4j.Config{
		URI:      os.Getenv("NEO4J_URI"),
		User:     cmp.Or(os.Getenv("NEO4J_USER"), "neo4j"),
		Password: os.Getenv("NEO4J_PASSWORD"),
		Database: cmp.Or(os.Getenv("NEO4J_DATABASE"), "neo4j"),
	}
	if cfg.URI == "" {
		return nil, domain.Errorf(domain.EINVALID, "-neo4j needs NEO4J_URI (e.g. from scripts/neo4j/start.sh)")
	}
	s, err := neo4j.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return nil, err
	}
	return &neo4jBackend{store: s}, nil
}

func (*neo4jBackend) name() string { return "neo4j" }

func (*neo4jBackend) inProcess() bool { return false }

func (b *neo4jBackend) build(ctx context.Context, g *domain.Graph) (domain.Store, error) {
	if err := b.store.Seed(ctx, g); err != nil {
		return nil, err
	}
	return keepOpen{b.store}, nil
}

func (b *neo4jBackend) close(ctx context.Context) { _ = b.store.Close(ctx) }

// keepOpen is the shared store with Close doing nothing: the next size is
// seeded into the same database.
type keepOpen struct{ *neo4j.Store }

func (keepOpen) Close(context.Context) error { return nil }
