package graph

import (
	"context"
	"slices"
	"strings"

	"github.com/stakegraph/stakegraph/graph/model"
	"github.com/stakegraph/stakegraph/internal/domain"
)

// relSpec says which relations a typed relation field (Country.programmes,
// Event.attendees …) shows.
type relSpec struct {
	dir   domain.Direction
	types []domain.RelationType
	kinds []domain.Kind // keep only relations whose other end is of these kinds; all when empty
}

func spec(dir domain.Direction, types ...domain.RelationType) relSpec {
	return relSpec{dir: dir, types: types}
}

func (s relSpec) to(kinds ...domain.Kind) relSpec {
	s.kinds = kinds
	return s
}

// engagementTypes are the ways an actor takes part in a programme.
var engagementTypes = []domain.RelationType{
	domain.RelParticipatesIn, domain.RelFunds, domain.RelImplements, domain.RelSupports,
}

// The typed relation fields, one spec each, named after the GraphQL field.
var (
	specMemberOf       = spec(domain.DirectionOut, domain.RelMemberOf)
	specMembers        = spec(domain.DirectionIn, domain.RelMemberOf)
	specPartOf         = spec(domain.DirectionOut, domain.RelPartOf)
	specParts          = spec(domain.DirectionIn, domain.RelPartOf)
	specBodies         = specParts
	specComponents     = specParts
	specPositions      = spec(domain.DirectionOut, domain.RelHoldsPosition)
	specPeople         = spec(domain.DirectionIn, domain.RelHoldsPosition)
	specRepresents     = spec(domain.DirectionOut, domain.RelRepresents)
	specRepresentedBy  = spec(domain.DirectionIn, domain.RelRepresents)
	specProgrammes     = spec(domain.DirectionOut, engagementTypes...).to(domain.KindProgramme)
	specParticipatesIn = spec(domain.DirectionOut, domain.RelParticipatesIn)
	specImplements     = spec(domain.DirectionOut, domain.RelImplements)
	specFunds          = spec(domain.DirectionOut, domain.RelFunds)
	specAttended       = spec(domain.DirectionOut, domain.RelAttended, domain.RelChaired)
	specAgreements     = spec(domain.DirectionOut, domain.RelPartyTo)
	specCooperatesWith = spec(domain.DirectionBoth, domain.RelCooperatesWith)
	specVisited        = spec(domain.DirectionOut, domain.RelVisited)
	specVisitedBy      = spec(domain.DirectionIn, domain.RelVisited)
	specParticipants   = spec(domain.DirectionIn, domain.RelParticipatesIn)
	specImplementers   = spec(domain.DirectionIn, domain.RelImplements)
	specFunders        = spec(domain.DirectionIn, domain.RelFunds)
	specSupporters     = spec(domain.DirectionIn, domain.RelSupports)
	specTopics         = spec(domain.DirectionOut, domain.RelAddresses)
	specAddressedBy    = spec(domain.DirectionIn, domain.RelAddresses)
	specReviewed       = spec(domain.DirectionOut, domain.RelReviewed)
	specReviewedAt     = spec(domain.DirectionIn, domain.RelReviewed)
	specAttendees      = spec(domain.DirectionIn, domain.RelAttended)
	specChairs         = spec(domain.DirectionIn, domain.RelChaired)
	specParties        = spec(domain.DirectionIn, domain.RelPartyTo)
	specSucceededBy    = spec(domain.DirectionOut, domain.RelSucceededBy)
	specSucceeds       = spec(domain.DirectionIn, domain.RelSucceededBy)
)

// allRelations is the spec of the generic Stakeholder.relations field.
func allRelations(direction *domain.Direction, types []domain.RelationType) relSpec {
	dir := domain.DirectionBoth
	if direction != nil {
		dir = *direction
	}
	return relSpec{dir: dir, types: types}
}

// relations loads the relations of one stakeholder matching s, with the
// node at the other end of each. Every typed relation field goes through
// the request's relations loader, so a list of stakeholders costs one store
// call per distinct field rather than one per stakeholder and field.
func (r *Resolver) relations(ctx context.Context, self model.Stakeholder, s relSpec) ([]*model.Relation, error) {
	id := self.DomainNode().ID
	ends, err := r.loaders(ctx).relations.Load(ctx, relKey{node: id, dir: s.dir, types: typesKey(s.types)})
	if err != nil {
		return nil, err
	}
	out := make([]*model.Relation, 0, len(ends))
	for _, e := range ends {
		if len(s.kinds) > 0 && !slices.Contains(s.kinds, e.other.Kind) {
			continue
		}
		out = append(out, model.NewRelation(e.rel, id, e.other))
	}
	return out, nil
}

// source loads the source node an evidence cites, batched per request.
func (r *Resolver) source(ctx context.Context, e *domain.Evidence) (*model.Source, error) {
	n, err := r.loaders(ctx).nodes.Load(ctx, e.SourceID)
	if err != nil {
		return nil, err
	}
	if n == nil {
		return nil, domain.Errorf(domain.EINTERNAL, "evidence cites source %s, which does not exist", e.SourceID)
	}
	src, ok := model.Wrap(n).(*model.Source)
	if !ok {
		return nil, domain.Errorf(domain.EINTERNAL, "evidence cites %s, which is a %s, not a source", n.ID, n.Kind)
	}
	return src, nil
}

// agreementStatus is the status an agreement's PARTY_TO relations give on
// asOf: the distinct statuses of those active then, sorted and joined by
// ", "; nil when none is active or none has a status.
func (r *Resolver) agreementStatus(ctx context.Context, a *model.Agreement, asOf domain.PartialDate) (*string, error) {
	parties, err := r.relations(ctx, a, specParties)
	if err != nil {
		return nil, err
	}
	var statuses []string
	for _, p := range parties {
		rel := p.DomainRelation()
		if rel.Status != "" && rel.ActiveAt(asOf) {
			statuses = append(statuses, rel.Status)
		}
	}
	if len(statuses) == 0 {
		return nil, nil
	}
	slices.Sort(statuses)
	joined := strings.Join(slices.Compact(statuses), ", ")
	return &joined, nil
}
