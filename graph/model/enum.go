package model

import (
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// The GraphQL enums are bound straight to the domain string types through
// these functions (see gqlgen.yml). Unmarshalling checks the value exactly:
// GraphQL validation of variables compares enum names case-insensitively,
// so without this "out" or "COUNTRY" would reach the domain unchecked.

// directions lists the Direction values in schema order.
var directions = []domain.Direction{domain.DirectionOut, domain.DirectionIn, domain.DirectionBoth}

var confidences = []domain.Confidence{domain.ConfidenceHigh, domain.ConfidenceMedium, domain.ConfidenceLow}

// MarshalKind writes a kind.
func MarshalKind(k domain.Kind) graphql.Marshaler { return graphql.MarshalString(string(k)) }

// UnmarshalKind reads a kind.
func UnmarshalKind(v any) (domain.Kind, error) { return unmarshalEnum(v, "Kind", domain.Kinds) }

// MarshalRelationType writes a relation type.
func MarshalRelationType(t domain.RelationType) graphql.Marshaler {
	return graphql.MarshalString(string(t))
}

// UnmarshalRelationType reads a relation type.
func UnmarshalRelationType(v any) (domain.RelationType, error) {
	return unmarshalEnum(v, "RelationType", domain.RelationTypes)
}

// MarshalOrganizationType writes an organization type.
func MarshalOrganizationType(t domain.OrgType) graphql.Marshaler {
	return graphql.MarshalString(string(t))
}

// UnmarshalOrganizationType reads an organization type.
func UnmarshalOrganizationType(v any) (domain.OrgType, error) {
	return unmarshalEnum(v, "OrganizationType", domain.OrgTypes)
}

// MarshalConfidence writes a confidence level.
func MarshalConfidence(c domain.Confidence) graphql.Marshaler {
	return graphql.MarshalString(string(c))
}

// UnmarshalConfidence reads a confidence level.
func UnmarshalConfidence(v any) (domain.Confidence, error) {
	return unmarshalEnum(v, "Confidence", confidences)
}

// MarshalDirection writes a direction.
func MarshalDirection(d domain.Direction) graphql.Marshaler { return graphql.MarshalString(string(d)) }

// UnmarshalDirection reads a direction.
func UnmarshalDirection(v any) (domain.Direction, error) {
	return unmarshalEnum(v, "Direction", directions)
}

func unmarshalEnum[T ~string](v any, enum string, values []T) (T, error) {
	s, ok := v.(string)
	if ok {
		for _, value := range values {
			if string(value) == s {
				return value, nil
			}
		}
	}
	names := make([]string, len(values))
	for i, value := range values {
		names[i] = string(value)
	}
	return "", domain.Errorf(domain.EINVALID, "%s is not a %s; use one of %s (case matters)",
		quote(v), enum, strings.Join(names, ", "))
}

func quote(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return describe(v)
}

var pathModes = []domain.PathMode{domain.PathShortest, domain.PathKShortest, domain.PathAllSimple}

var timelineKinds = []domain.TimelineKind{domain.TimelineStarted, domain.TimelineEnded, domain.TimelineEvent}

// MarshalPathMode writes a path mode.
func MarshalPathMode(m domain.PathMode) graphql.Marshaler { return graphql.MarshalString(string(m)) }

// UnmarshalPathMode reads a path mode.
func UnmarshalPathMode(v any) (domain.PathMode, error) {
	return unmarshalEnum(v, "PathMode", pathModes)
}

// MarshalTimelineKind writes a timeline entry kind.
func MarshalTimelineKind(k domain.TimelineKind) graphql.Marshaler {
	return graphql.MarshalString(string(k))
}

// UnmarshalTimelineKind reads a timeline entry kind.
func UnmarshalTimelineKind(v any) (domain.TimelineKind, error) {
	return unmarshalEnum(v, "TimelineKind", timelineKinds)
}
