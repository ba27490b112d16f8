package neo4j

// Placeholders for the Store methods being built; each returns EINTERNAL
// until implemented. Delete this file when the store implements them all.

import (
	"context"

	"github.com/stakegraph/stakegraph/internal/domain"
)

func notYet(name string) error { return domain.Errorf(domain.EINTERNAL, "%s is not implemented yet", name) }

func (s *Store) CommonConnections(context.Context, domain.CommonConnectionsQuery) ([]*domain.CommonConnection, error) {
	return nil, notYet("CommonConnections")
}

func (s *Store) CoParticipation(context.Context, domain.CoParticipationQuery) ([]*domain.CoParticipation, error) {
	return nil, notYet("CoParticipation")
}

func (s *Store) Timeline(context.Context, domain.TimelineQuery) ([]*domain.TimelineEntry, error) {
	return nil, notYet("Timeline")
}
