package ingest

import (
	"context"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// NewFromStore builds an engine over every node the store holds now, read
// page by page; it is what an ingestDocument resolver calls (or keeps per
// data version, since an engine is read-only and safe to share).
func NewFromStore(ctx context.Context, s domain.Store, v Variants) (*Engine, error) {
	var nodes []*domain.Node
	filter := domain.NodeFilter{First: domain.MaxPageSize}
	for {
		page, err := s.FindNodes(ctx, filter)
		if err != nil {
			return nil, err
		}
		nodes = append(nodes, page.Nodes...)
		if !page.HasNextPage || len(page.Nodes) == 0 {
			break
		}
		filter.After = page.Nodes[len(page.Nodes)-1].ID
	}
	return New(nodes, v), nil
}
