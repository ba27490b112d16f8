// Package domain holds stakegraph's vocabulary: the kinds of stakeholder, the
// typed relations between them, the evidence every relation carries, the
// error type with its codes and the Store interface that every backend
// (embedded memory store, Neo4j) implements.
//
// Nothing here depends on a database or on GraphQL; the graph package
// translates GraphQL to calls on Store, and each store lives in its own
// package named after what it depends on.
package domain

import (
	"slices"
	"strings"
)

// Kind is the kind of a node. Its lower-case form is the prefix of every ID.
type Kind string

// The node kinds.
const (
	KindCountry      Kind = "Country"
	KindOrganization Kind = "Organization"
	KindPerson       Kind = "Person"
	KindProgramme    Kind = "Programme"
	KindTopic        Kind = "Topic"
	KindEvent        Kind = "Event"
	KindAgreement    Kind = "Agreement"
	KindSource       Kind = "Source"
)

// Kinds lists every kind in a fixed order.
var Kinds = []Kind{KindCountry, KindOrganization, KindPerson, KindProgramme, KindTopic, KindEvent, KindAgreement, KindSource}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// Prefix is the ID prefix of the kind, e.g. "country".
func (k Kind) Prefix() string { return strings.ToLower(string(k)) }

// IsActor reports whether nodes of this kind can act: cooperate, attend, fund.
func (k Kind) IsActor() bool {
	return k == KindCountry || k == KindOrganization || k == KindPerson
}

// IsVenue reports whether nodes of this kind are a setting actors cooperate
// through: a programme, an event or an agreement.
func (k Kind) IsVenue() bool {
	return k == KindProgramme || k == KindEvent || k == KindAgreement
}

// KindFromPrefix returns the kind whose Prefix is p.
func KindFromPrefix(p string) (Kind, bool) {
	k, ok := kindsByPrefix[p]
	return k, ok
}

// kindsByPrefix makes KindFromPrefix a lookup: every ID is parsed on load.
var kindsByPrefix = func() map[string]Kind {
	m := make(map[string]Kind, len(Kinds))
	for _, k := range Kinds {
		m[k.Prefix()] = k
	}
	return m
}()

// OrgType classifies an Organization.
type OrgType string

// The organization types.
const (
	OrgMinistry           OrgType = "MINISTRY"
	OrgGovernmentAgency   OrgType = "GOVERNMENT_AGENCY"
	OrgPoliceMilitary     OrgType = "POLICE_MILITARY"
	OrgEUInstitution      OrgType = "EU_INSTITUTION"
	OrgEUAgency           OrgType = "EU_AGENCY"
	OrgEUDelegation       OrgType = "EU_DELEGATION"
	OrgImplementingAgency OrgType = "IMPLEMENTING_AGENCY"
	OrgInternational      OrgType = "INTERNATIONAL_ORGANISATION"
	OrgIndustry           OrgType = "INDUSTRY"
	OrgHumanRights        OrgType = "HUMAN_RIGHTS_INSTITUTION"
	OrgResearchEducation  OrgType = "RESEARCH_EDUCATION"
	OrgGroup              OrgType = "GROUP"
)

// OrgTypes lists every organization type.
var OrgTypes = []OrgType{OrgMinistry, OrgGovernmentAgency, OrgPoliceMilitary, OrgEUInstitution, OrgEUAgency,
	OrgEUDelegation, OrgImplementingAgency, OrgInternational, OrgIndustry, OrgHumanRights, OrgResearchEducation, OrgGroup}

// Valid reports whether t is a known organization type.
func (t OrgType) Valid() bool { return slices.Contains(OrgTypes, t) }

// RelationType is the type of a directed relation.
type RelationType string

// The relation types. Each reads "from TYPE to".
const (
	RelMemberOf       RelationType = "MEMBER_OF"       // country → union, organization → network
	RelPartOf         RelationType = "PART_OF"         // body → state/parent body, component → programme
	RelHoldsPosition  RelationType = "HOLDS_POSITION"  // person → organization (role = title)
	RelRepresents     RelationType = "REPRESENTS"      // person/organization → country/organization it speaks for
	RelParticipatesIn RelationType = "PARTICIPATES_IN" // actor → programme
	RelAttended       RelationType = "ATTENDED"        // actor → event
	RelChaired        RelationType = "CHAIRED"         // actor → event
	RelFunds          RelationType = "FUNDS"           // actor → programme/agreement
	RelImplements     RelationType = "IMPLEMENTS"      // organization → programme
	RelSupports       RelationType = "SUPPORTS"        // actor → programme, as partner without implementing
	RelAddresses      RelationType = "ADDRESSES"       // programme/event/agreement → topic
	RelPartyTo        RelationType = "PARTY_TO"        // actor → agreement (status: negotiating, signed …)
	RelCooperatesWith RelationType = "COOPERATES_WITH" // actor → actor
	RelReviewed       RelationType = "REVIEWED"        // event → programme/agreement it assessed
	RelVisited        RelationType = "VISITED"         // person → country
	RelSucceededBy    RelationType = "SUCCEEDED_BY"    // predecessor → successor
)

// RelationTypes lists every relation type in a fixed order.
var RelationTypes = []RelationType{RelMemberOf, RelPartOf, RelHoldsPosition, RelRepresents, RelParticipatesIn,
	RelAttended, RelChaired, RelFunds, RelImplements, RelSupports, RelAddresses, RelPartyTo, RelCooperatesWith,
	RelReviewed, RelVisited, RelSucceededBy}

// Valid reports whether t is a known relation type.
func (t RelationType) Valid() bool { return slices.Contains(RelationTypes, t) }

// IsEngagement reports whether a relation of this type ties an actor to a
// venue (programme, event, agreement) it takes part in; cooperation is
// derived from two actors engaged in the same venue.
func (t RelationType) IsEngagement() bool {
	switch t {
	case RelParticipatesIn, RelAttended, RelChaired, RelFunds, RelImplements, RelSupports, RelPartyTo:
		return true
	}
	return false
}

// Confidence says how sure the dataset is of a relation.
type Confidence string

// The confidence levels.
const (
	ConfidenceHigh   Confidence = "HIGH"   // stated in the primary source
	ConfidenceMedium Confidence = "MEDIUM" // stated in a researched source
	ConfidenceLow    Confidence = "LOW"    // marked unverified or inferred
)

// Valid reports whether c is a known level.
func (c Confidence) Valid() bool {
	return c == ConfidenceHigh || c == ConfidenceMedium || c == ConfidenceLow
}

// validSlug reports whether slug is runs of lower-case ASCII letters and
// digits joined by single hyphens (^[a-z0-9]+(-[a-z0-9]+)*$), checked by
// hand because every ID is checked on load.
func validSlug(slug string) bool {
	if slug == "" || slug[0] == '-' || slug[len(slug)-1] == '-' {
		return false
	}
	for i := 0; i < len(slug); i++ {
		switch c := slug[i]; {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-' && slug[i-1] != '-':
		default:
			return false
		}
	}
	return true
}

// ParseID splits an ID of the form "kind:slug" and checks both parts.
func ParseID(id string) (Kind, string, error) {
	prefix, slug, ok := strings.Cut(id, ":")
	if !ok {
		return "", "", Errorf(EINVALID, "id %q is not of the form kind:slug (e.g. country:hungary)", id)
	}
	kind, ok := KindFromPrefix(prefix)
	if !ok {
		return "", "", Errorf(EINVALID, "id %q has unknown kind %q; known kinds: %s", id, prefix, kindPrefixes())
	}
	if !validSlug(slug) {
		return "", "", Errorf(EINVALID, "id %q: slug must be lower-case letters, digits and single hyphens", id)
	}
	return kind, slug, nil
}

func kindPrefixes() string {
	parts := make([]string, len(Kinds))
	for i, k := range Kinds {
		parts[i] = k.Prefix()
	}
	return strings.Join(parts, ", ")
}

// Node is one stakeholder, programme, topic, event, agreement or source.
// Fields that do not apply to a kind stay empty.
type Node struct {
	ID          string
	Kind        Kind
	Name        string
	Aliases     []string
	Description string

	OrgType   OrgType // Organization
	ISOCode   string  // Country: ISO 3166-1 alpha-2
	Title     string  // Person: current or best-known title
	Scope     string  // Programme: bilateral, regional or global reach
	Budget    string  // Programme: as stated, e.g. "EUR 15M"
	Location  string  // Event
	Status    string  // Agreement: latest known status
	Start     PartialDate
	End       PartialDate
	URL       string // Source
	Publisher string // Source
	Language  string // Source: BCP 47 tag of its text, e.g. "es" or "en"
}

// Label is the display name of the node.
func (n *Node) Label() string { return n.Name }

// Validate checks the node on its own (not its references): the first of
// its Problems, as an EINVALID error.
func (n *Node) Validate() error { return problemsError("node "+n.ID, n.Problems()) }

// Evidence ties a relation to the text that states it.
type Evidence struct {
	SourceID string // ID of a Source node
	Quote    string // verbatim excerpt of the source's shipped text
}

// Relation is a directed, typed edge between two nodes.
type Relation struct {
	ID         string
	Type       RelationType
	From       string
	To         string
	Role       string // role or title held in the relation
	Status     string // e.g. negotiating, signed, in force, ended
	Start      PartialDate
	End        PartialDate
	Confidence Confidence
	Note       string // the dataset's own words on the relation
	Evidence   []Evidence
}

// RelationID is the default ID of a relation: from, type and to joined, so
// the same fact always gets the same ID.
func RelationID(from string, t RelationType, to string) string {
	return from + "|" + string(t) + "|" + to
}

// Validate checks the relation on its own (not whether its ends exist):
// the first of its Problems, as an EINVALID error.
func (r *Relation) Validate() error {
	name := r.ID
	if name == "" {
		name = RelationID(r.From, r.Type, r.To)
	}
	return problemsError("relation "+name, r.Problems())
}

// Graph is a whole dataset: the unit a store is loaded or seeded with.
type Graph struct {
	Nodes      []*Node
	Relations  []*Relation
	Statements []*Statement
}

// Validate checks every node and relation on its own, that IDs are unique
// (ECONFLICT otherwise) and that every relation's ends and evidence sources
// are nodes of g. Quotes are not checked: a graph holds no source texts.
func (g *Graph) Validate() error {
	if err := g.ValidateEntries(); err != nil {
		return err
	}
	exists := g.hasNode()
	for _, r := range g.Relations {
		if err := problemsError("relation "+r.ID, r.EndProblems(exists)); err != nil {
			return err
		}
	}
	for _, s := range g.Statements {
		if err := problemsError("statement "+s.ID, s.ReferenceProblems(exists)); err != nil {
			return err
		}
	}
	return nil
}

// ValidateReferences is Validate without each entry's own rules, for a
// graph whose entries were each checked when they came in (e.g. a store's
// graph changed only by Plan's changes): IDs are unique and every
// relation's ends and evidence sources are nodes of g.
func (g *Graph) ValidateReferences() error {
	if g == nil {
		return Errorf(EINVALID, "no graph given")
	}
	ids := make(map[string]bool, len(g.Nodes))
	for i, n := range g.Nodes {
		if n == nil {
			return Errorf(EINVALID, "node %d is missing", i)
		}
		if ids[n.ID] {
			return Errorf(ECONFLICT, "duplicate node id %s", n.ID)
		}
		ids[n.ID] = true
	}
	exists := func(id string) bool { return ids[id] }
	relationIDs := make(map[string]bool, len(g.Relations))
	for i, r := range g.Relations {
		if r == nil {
			return Errorf(EINVALID, "relation %d is missing", i)
		}
		if relationIDs[r.ID] {
			return Errorf(ECONFLICT, "duplicate relation id %s", r.ID)
		}
		relationIDs[r.ID] = true
		if err := problemsError("relation "+r.ID, r.ReferenceProblems(exists)); err != nil {
			return err
		}
	}
	return nil
}

// hasNode returns a lookup of g's node IDs.
func (g *Graph) hasNode() func(id string) bool {
	ids := make(map[string]bool, len(g.Nodes))
	for _, n := range g.Nodes {
		ids[n.ID] = true
	}
	return func(id string) bool { return ids[id] }
}

// ValidateEntries is Validate without the check that relation ends exist,
// for stores that find dangling ends themselves (inside a transaction).
// Evidence sources must still be nodes of g.
func (g *Graph) ValidateEntries() error {
	if err := g.validateEntries(); err != nil {
		return err
	}
	exists := g.hasNode()
	for _, r := range g.Relations {
		if err := problemsError("relation "+r.ID, r.SourceProblems(exists)); err != nil {
			return err
		}
	}
	for _, s := range g.Statements {
		if err := problemsError("statement "+s.ID, s.ReferenceProblems(exists)); err != nil {
			return err
		}
	}
	return nil
}

func (g *Graph) validateEntries() error {
	if g == nil {
		return Errorf(EINVALID, "no graph given")
	}
	nodeIDs := make(map[string]bool, len(g.Nodes))
	for i, n := range g.Nodes {
		if n == nil {
			return Errorf(EINVALID, "node %d is missing", i)
		}
		if err := n.Validate(); err != nil {
			return err
		}
		if nodeIDs[n.ID] {
			return Errorf(ECONFLICT, "duplicate node id %s", n.ID)
		}
		nodeIDs[n.ID] = true
	}
	relationIDs := make(map[string]bool, len(g.Relations))
	for i, r := range g.Relations {
		if r == nil {
			return Errorf(EINVALID, "relation %d is missing", i)
		}
		if err := r.Validate(); err != nil {
			return err
		}
		if relationIDs[r.ID] {
			return Errorf(ECONFLICT, "duplicate relation id %s", r.ID)
		}
		relationIDs[r.ID] = true
	}
	statementIDs := make(map[string]bool, len(g.Statements))
	for i, s := range g.Statements {
		if s == nil {
			return Errorf(EINVALID, "statement %d is missing", i)
		}
		if err := s.Validate(); err != nil {
			return err
		}
		if statementIDs[s.ID] {
			return Errorf(ECONFLICT, "duplicate statement id %s", s.ID)
		}
		statementIDs[s.ID] = true
	}
	return nil
}
