package memstore

import (
	"context"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// Statements returns one page of the statements q selects, by ID.
func (s *Store) Statements(ctx context.Context, q domain.StatementQuery) ([]*domain.Statement, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := s.mustExist(q.NamedIDs()...); err != nil {
		return nil, err
	}
	return domain.SelectStatements(s.statements, q), nil
}

// AllStatements returns every statement, by ID; the slice is the store's
// own and must not be modified.
func (s *Store) AllStatements() []*domain.Statement { return s.statements }
