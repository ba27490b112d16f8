package graph

import (
	"context"

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

// optionalID is the list holding id, or none when id is empty.
func optionalID(id string) []string {
	if id == "" {
		return nil
	}
	return []string{id}
}

// mustExist fails with ENOTFOUND naming the first of ids the store does
// not hold, in one store call: a typo in a topic or actor would otherwise
// read as an empty answer.
func (r *Resolver) mustExist(ctx context.Context, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	nodes, err := r.store.Nodes(ctx, ids)
	if err != nil {
		return err
	}
	for i, n := range nodes {
		if n == nil {
			return notFound(domain.Errorf(domain.ENOTFOUND, "no node with id %q", ids[i]), ids[i])
		}
	}
	return nil
}
