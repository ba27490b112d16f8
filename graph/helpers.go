package graph

import (
	"github.com/stakegraph/stakegraph/graph/model"
	"github.com/stakegraph/stakegraph/internal/domain"
)

// stakeholder wraps n in the GraphQL type of its kind.
func stakeholder(n *domain.Node) (model.Stakeholder, error) {
	s := model.Wrap(n)
	if s == nil {
		return nil, domain.Errorf(domain.EINTERNAL, "node %s has kind %q, which the schema does not know", n.ID, n.Kind)
	}
	return s, nil
}

// notFound rewrites a store's ENOTFOUND so the message names the ID and says
// how to find a right one; other errors pass through.
func notFound(err error, id string) error {
	if domain.ErrorCode(err) != domain.ENOTFOUND {
		return err
	}
	return domain.WrapError(domain.ENOTFOUND, err,
		"no stakeholder with id %q; find IDs with search(query: \"…\") or stakeholders(filter: …)", id)
}

// pageSize resolves a page-size argument: null means def. Zero and negative
// sizes are refused here because domain validation reads 0 as "default".
func pageSize(first *int, def int) (int, error) {
	if first == nil {
		return def, nil
	}
	if *first < 1 {
		return 0, domain.Errorf(domain.EINVALID, "first %d is out of range: use 1 to %d", *first, domain.MaxPageSize)
	}
	return *first, nil
}

// orDefault resolves an optional Int argument passed as explicit null.
func orDefault(v *int, def int) int {
	if v == nil {
		return def
	}
	return *v
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// connection builds a Relay page from one FindNodes result.
func connection(page *domain.NodePage) (*model.StakeholderConnection, error) {
	conn := &model.StakeholderConnection{
		Edges:      make([]*model.StakeholderEdge, len(page.Nodes)),
		PageInfo:   &model.PageInfo{HasNextPage: page.HasNextPage},
		TotalCount: page.Total,
	}
	for i, n := range page.Nodes {
		s, err := stakeholder(n)
		if err != nil {
			return nil, err
		}
		conn.Edges[i] = &model.StakeholderEdge{Cursor: n.ID, Node: s}
	}
	if len(page.Nodes) > 0 {
		last := page.Nodes[len(page.Nodes)-1].ID
		conn.PageInfo.EndCursor = &last
	}
	return conn, nil
}

func derefDate(d *domain.PartialDate) domain.PartialDate {
	if d == nil {
		return ""
	}
	return *d
}
