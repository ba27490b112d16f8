package graph

import (
	"context"
	"strings"

	"github.com/stakegraph/stakegraph/graph/model"
	"github.com/stakegraph/stakegraph/internal/auth"
	"github.com/stakegraph/stakegraph/internal/domain"
)

// This file holds what the mutations share: who may write (checked here
// first, and again by domain.Plan), turning inputs into a domain.Write, and
// applying it with the store's Writer.

// howToConfigureTokens ends the message of a write refused because the
// server has no tokens.
const howToConfigureTokens = "create one with `stakegraph token --name NAME --role editor`, add the line it prints to a tokens file and start serve with --tokens FILE (or STAKEGRAPH_TOKENS_FILE)"

// actor returns who may perform action on this request, or EUNAUTHORIZED
// (no tokens configured, no token, an unknown token) or EFORBIDDEN (a role
// too low).
func (r *Resolver) actor(ctx context.Context, action domain.Action) (domain.Actor, error) {
	if r.tokens.Len() == 0 {
		return domain.Actor{}, domain.Errorf(domain.EUNAUTHORIZED,
			"writes are off on this server: it has no tokens configured; %s", howToConfigureTokens)
	}
	id := auth.FromContext(ctx)
	switch id.Presence {
	case auth.None:
		return domain.Actor{}, domain.Errorf(domain.EUNAUTHORIZED,
			"%s needs a token: send the header `Authorization: Bearer <token>` with a token of role %s or higher",
			mutationName(action), action.RequiredRole())
	case auth.Invalid:
		return domain.Actor{}, domain.Errorf(domain.EUNAUTHORIZED, "%s", id.Problem)
	}
	if need := action.RequiredRole(); !id.Actor.Role.Allows(need) {
		return domain.Actor{}, domain.Errorf(domain.EFORBIDDEN, "%s needs the %s role; token %q has the %s role",
			mutationName(action), need, id.Actor.Name, id.Actor.Role)
	}
	if r.writer == nil {
		return domain.Actor{}, domain.Errorf(domain.EUNAVAILABLE, "this store does not take writes")
	}
	return id.Actor, nil
}

// mutationName is the GraphQL mutation that performs action.
func mutationName(a domain.Action) string {
	if a == domain.ActionDecideProposal {
		return "acceptProposal or rejectProposal"
	}
	words := strings.Split(strings.ToLower(string(a)), "_")
	for i := 1; i < len(words); i++ {
		words[i] = strings.ToUpper(words[i][:1]) + words[i][1:]
	}
	return strings.Join(words, "")
}

// apply checks who writes, then has the store plan and apply w; the
// response reports the data version the change made.
func (r *Resolver) apply(ctx context.Context, w *domain.Write) (*domain.Change, error) {
	actor, err := r.actor(ctx, w.Action)
	if err != nil {
		return nil, err
	}
	w.Actor = actor
	c, err := r.writer.Apply(ctx, w)
	if err != nil {
		return nil, err
	}
	readStateOf(ctx).wrote(c.Seq)
	return c, nil
}

// afterNode is the node a change leaves for target, nil when retired.
func afterNode(c *domain.Change, target string) *domain.Node {
	for _, s := range c.Steps {
		if s.Target == target && s.After != nil {
			return s.After.Node
		}
	}
	return nil
}

// afterRelation is the relation a change leaves for target, nil when retired.
func afterRelation(c *domain.Change, target string) *model.Edge {
	for _, s := range c.Steps {
		if s.Target == target && s.After != nil && s.After.Relation != nil {
			return model.NewEdge(s.After.Relation)
		}
	}
	return nil
}

func stakeholderPayload(c *domain.Change) (*model.StakeholderPayload, error) {
	p := &model.StakeholderPayload{Change: model.NewChange(c)}
	if n := afterNode(c, c.Target); n != nil {
		s, err := stakeholder(n)
		if err != nil {
			return nil, err
		}
		p.Stakeholder = s
	}
	return p, nil
}

func relationPayload(c *domain.Change) *model.RelationPayload {
	return &model.RelationPayload{Change: model.NewChange(c), Relation: afterRelation(c, c.Target)}
}

// sourceNode turns an addSource input into a Source node.
func sourceNode(in model.SourceInput) *domain.Node {
	return &domain.Node{ID: deref(in.ID), Kind: domain.KindSource, Name: strings.TrimSpace(in.Title),
		Aliases: in.Aliases, Description: deref(in.Description), URL: deref(in.URL),
		Publisher: deref(in.Publisher), Start: derefDate(in.Published), Language: deref(in.Language)}
}

// stakeholderNode turns an upsertStakeholder input into a node.
func stakeholderNode(in model.StakeholderInput) *domain.Node {
	n := &domain.Node{ID: deref(in.ID), Kind: in.Kind, Name: strings.TrimSpace(in.Name), Aliases: in.Aliases,
		Description: deref(in.Description), ISOCode: deref(in.IsoCode), Title: deref(in.Title),
		Scope: deref(in.Scope), Budget: deref(in.Budget), Location: deref(in.Location),
		Status: deref(in.Status), Start: derefDate(in.Start), End: derefDate(in.End)}
	if in.OrgType != nil {
		n.OrgType = *in.OrgType
	}
	return n
}

// relationValue turns an addRelation input into a relation.
func relationValue(in model.RelationInput) *domain.Relation {
	return &domain.Relation{ID: deref(in.ID), Type: in.Type, From: in.From, To: in.To,
		Role: strings.TrimSpace(deref(in.Role)), Status: strings.TrimSpace(deref(in.Status)),
		Start: derefDate(in.Start), End: derefDate(in.End), Confidence: in.Confidence,
		Note: strings.TrimSpace(deref(in.Note)), Evidence: evidenceValues(in.Evidence)}
}

func evidenceValues(in []*model.EvidenceInput) []domain.Evidence {
	out := make([]domain.Evidence, len(in))
	for i, e := range in {
		out[i] = domain.Evidence{SourceID: e.Source, Quote: e.Quote}
	}
	return out
}

func relationPatch(in model.RelationPatchInput) *domain.RelationPatch {
	return &domain.RelationPatch{Role: in.Role, Status: in.Status, Start: in.Start, End: in.End,
		Confidence: in.Confidence, Note: in.Note}
}

// expectedRevision turns an expectedVersion argument into
// Write.ExpectedRevision.
func expectedRevision(v *int) (*int64, error) {
	if v == nil {
		return nil, nil
	}
	if *v < 0 {
		return nil, domain.Errorf(domain.EINVALID, "expectedVersion %d is negative: give the version field you last read", *v)
	}
	n := int64(*v)
	return &n, nil
}

// change returns the change with the given seq.
func (r *Resolver) change(ctx context.Context, seq int64) (*domain.Change, error) {
	page, err := r.writer.Changes(ctx, domain.ChangeQuery{Since: seq - 1, First: 1})
	if err != nil {
		return nil, err
	}
	if len(page.Changes) == 0 || page.Changes[0].Seq != seq {
		return nil, domain.Errorf(domain.EINTERNAL, "change %d is not in the history", seq)
	}
	return page.Changes[0], nil
}

// viewer says who the request's token is: nil without one, EUNAUTHORIZED
// for a token the server does not know.
func (r *Resolver) viewer(ctx context.Context) (*model.Viewer, error) {
	id := auth.FromContext(ctx)
	switch id.Presence {
	case auth.None:
		return nil, nil
	case auth.Invalid:
		return nil, domain.Errorf(domain.EUNAUTHORIZED, "%s", id.Problem)
	}
	return &model.Viewer{Name: id.Actor.Name, Role: id.Actor.Role, WritesEnabled: r.writer != nil && r.tokens.Len() > 0}, nil
}
