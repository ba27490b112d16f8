package export

import (
	"encoding/json"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// FtMEntity is one FollowTheMoney entity: every property value is a list
// of strings, as the FtM entity format has it.
type FtMEntity struct {
	ID         string              `json:"id"`
	Schema     string              `json:"schema"`
	Properties map[string][]string `json:"properties"`
}

// The FollowTheMoney schemata the export uses.
const (
	FtMPublicBody         = "PublicBody"
	FtMOrganization       = "Organization"
	FtMPerson             = "Person"
	FtMProject            = "Project"
	FtMEvent              = "Event"
	FtMMembership         = "Membership"
	FtMDirectorship       = "Directorship"
	FtMEmployment         = "Employment"
	FtMProjectParticipant = "ProjectParticipant"
	FtMUnknownLink        = "UnknownLink"
)

// publicOrgTypes are the organization types FtM calls a public body: state
// and EU bodies. Implementing agencies, international organisations,
// industry, research and groups stay Organization.
var publicOrgTypes = []domain.OrgType{domain.OrgMinistry, domain.OrgGovernmentAgency, domain.OrgPoliceMilitary,
	domain.OrgEUInstitution, domain.OrgEUAgency, domain.OrgEUDelegation}

// FtMNodeSchema is the FtM schema a node becomes, "" for kinds FtM has no
// entity for (Topic, Source; see WriteFtM).
//
//	Country                                  → PublicBody (a state)
//	Organization, public orgType             → PublicBody (ministries, agencies, police, EU bodies)
//	Organization, any other orgType          → Organization
//	Person                                   → Person
//	Programme, Agreement                     → Project (an agreement is a joint undertaking
//	                                           with parties, not a procurement Contract)
//	Event                                    → Event
func FtMNodeSchema(n *domain.Node) string {
	switch n.Kind {
	case domain.KindCountry:
		return FtMPublicBody
	case domain.KindOrganization:
		if slices.Contains(publicOrgTypes, n.OrgType) {
			return FtMPublicBody
		}
		return FtMOrganization
	case domain.KindPerson:
		return FtMPerson
	case domain.KindProgramme, domain.KindAgreement:
		return FtMProject
	case domain.KindEvent:
		return FtMEvent
	}
	return ""
}

// leadingRole matches a HOLDS_POSITION role that heads or sits on the top of
// the organization (a minister heads a ministry, a commissioner sits in the
// College): FtM's Directorship. Other positions are Employment.
var leadingRole = regexp.MustCompile(`(?i)\b(minister|ambassador|commissioner|director|head|president|chair|chief|commander|secretary[- ]general)\b`)

// legalEntitySchemata can be a Membership's member, a Directorship's director
// or a ProjectParticipant's participant (FtM range LegalEntity);
// organizationSchemata can be a Membership's or Directorship's organization
// and an Employment's employer (range Organization).
var (
	legalEntitySchemata  = []string{FtMPublicBody, FtMOrganization, FtMPerson}
	organizationSchemata = []string{FtMPublicBody, FtMOrganization}
)

// FtMRelationSchema is the FtM schema a relation becomes given the schemata
// of its ends, with the properties naming its source and target end:
//
//	MEMBER_OF                                     → Membership (member → organization)
//	HOLDS_POSITION, leading role                  → Directorship (director → organization)
//	HOLDS_POSITION, other role                    → Employment (employee → employer)
//	PARTICIPATES_IN, IMPLEMENTS, FUNDS, SUPPORTS,
//	PARTY_TO (to a programme or agreement)        → ProjectParticipant (participant → project)
//	anything else, or ends of the wrong schema    → UnknownLink (subject → object)
func FtMRelationSchema(r *domain.Relation, fromSchema, toSchema string) (schema, fromProp, toProp string) {
	switch r.Type {
	case domain.RelMemberOf:
		if slices.Contains(legalEntitySchemata, fromSchema) && slices.Contains(organizationSchemata, toSchema) {
			return FtMMembership, "member", "organization"
		}
	case domain.RelHoldsPosition:
		if leadingRole.MatchString(r.Role) && slices.Contains(legalEntitySchemata, fromSchema) && slices.Contains(organizationSchemata, toSchema) {
			return FtMDirectorship, "director", "organization"
		}
		if fromSchema == FtMPerson && slices.Contains(organizationSchemata, toSchema) {
			return FtMEmployment, "employee", "employer"
		}
	case domain.RelParticipatesIn, domain.RelImplements, domain.RelFunds, domain.RelSupports, domain.RelPartyTo:
		if slices.Contains(legalEntitySchemata, fromSchema) && toSchema == FtMProject {
			return FtMProjectParticipant, "participant", "project"
		}
	}
	return FtMUnknownLink, "subject", "object"
}

// WriteFtM writes d as FollowTheMoney entities, one JSON object per line:
// first the nodes, then the relations, each in ID order. Entity IDs are the
// token IDs of stakegraph's node and relation IDs (NodeTokenID,
// RelationTokenID: country:hungary → country.hungary), since FtM allows
// only letters, digits, dots and hyphens; the stakegraph ID itself stays in
// a property FtM keeps: a node's keywords, a relation's recordId.
//
// Node entities carry name, alias, description, keywords (the stakegraph
// kind, the stakegraph ID, then the names of the topics the node ADDRESSES
// in the selection), classification (Country or the orgType), country and
// jurisdiction (a country's ISO code, lower-case), position (a person's title),
// startDate/endDate and location (events), and a summary with a
// programme's scope and budget or an agreement's status.
//
// FtM has no entity for a topic or a source: Topic and Source nodes are not
// written, nor are the relations that touch them (ADDRESSES); a topic lives
// on as a keyword of what addresses it, a source as the sourceUrl and
// publisher of the relations it supports.
//
// Relation entities carry their two ends (as the ends' entity IDs), role
// (the relation's role, or its type in words, e.g. "implements"), status,
// startDate/endDate, recordId (the stakegraph relation ID), summary
// ("TYPE; confidence HIGH", plus "; undated"), description (the note, then
// one `source: "quote"` line per piece of evidence), sourceUrl and publisher
// of the cited sources.
func WriteFtM(w io.Writer, d *Data) error {
	schemata := make(map[string]string, len(d.Nodes))
	labels := make(map[string]string, len(d.Nodes))
	for _, n := range d.Nodes {
		schemata[n.ID] = FtMNodeSchema(n)
		labels[n.ID] = n.Label()
	}
	addresses := map[string][]string{}
	for _, r := range d.Relations {
		if r.Type == domain.RelAddresses && labels[r.To] != "" {
			addresses[r.From] = append(addresses[r.From], labels[r.To])
		}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, n := range d.Nodes {
		if schemata[n.ID] == "" {
			continue
		}
		if err := enc.Encode(ftmNode(n, schemata[n.ID], addresses[n.ID])); err != nil {
			return err
		}
	}
	for _, r := range d.Relations {
		from, to := schemata[r.From], schemata[r.To]
		if from == "" || to == "" {
			continue
		}
		if err := enc.Encode(d.ftmRelation(r, from, to)); err != nil {
			return err
		}
	}
	return nil
}

// props collects FtM properties, skipping empty values.
type props map[string][]string

func (p props) add(name string, values ...string) {
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(p[name], v) {
			p[name] = append(p[name], v)
		}
	}
}

func ftmNode(n *domain.Node, schema string, topics []string) FtMEntity {
	p := props{}
	p.add("name", n.Name)
	p.add("alias", n.Aliases...)
	p.add("description", n.Description)
	p.add("keywords", string(n.Kind), n.ID)
	p.add("keywords", topics...)
	switch n.Kind {
	case domain.KindCountry:
		p.add("classification", string(n.Kind))
		p.add("country", strings.ToLower(n.ISOCode))
		p.add("jurisdiction", strings.ToLower(n.ISOCode))
	case domain.KindOrganization:
		p.add("classification", string(n.OrgType))
	case domain.KindPerson:
		p.add("position", n.Title)
	case domain.KindProgramme:
		p.add("startDate", string(n.Start))
		p.add("endDate", string(n.End))
		p.add("summary", joinNonEmpty("; ", labelled("scope", n.Scope), labelled("budget", n.Budget)))
	case domain.KindAgreement:
		p.add("startDate", string(n.Start))
		p.add("endDate", string(n.End))
		p.add("summary", joinNonEmpty("; ", "Agreement", labelled("status", n.Status)))
	case domain.KindEvent:
		p.add("startDate", string(n.Start))
		p.add("endDate", string(n.End))
		p.add("location", n.Location)
	}
	return FtMEntity{ID: NodeTokenID(n.ID), Schema: schema, Properties: p}
}

func (d *Data) ftmRelation(r *domain.Relation, fromSchema, toSchema string) FtMEntity {
	schema, fromProp, toProp := FtMRelationSchema(r, fromSchema, toSchema)
	p := props{}
	p.add(fromProp, NodeTokenID(r.From))
	p.add(toProp, NodeTokenID(r.To))
	role := r.Role
	if role == "" {
		role = strings.ToLower(strings.ReplaceAll(string(r.Type), "_", " "))
	}
	p.add("role", role)
	p.add("status", r.Status)
	p.add("startDate", string(r.Start))
	p.add("endDate", string(r.End))
	p.add("recordId", r.ID)
	summary := string(r.Type) + "; confidence " + string(r.Confidence)
	if r.Undated() {
		summary += "; undated"
	}
	p.add("summary", summary)
	p.add("description", r.Note)
	for _, e := range r.Evidence {
		p.add("description", EvidenceText([]domain.Evidence{e}))
	}
	p.add("sourceUrl", d.evidenceURLs(r)...)
	for _, id := range evidenceSources(r) {
		if s := d.Sources[id]; s != nil {
			p.add("publisher", s.Publisher)
		}
	}
	return FtMEntity{ID: RelationTokenID(r.ID), Schema: schema, Properties: p}
}

func labelled(label, value string) string {
	if value == "" {
		return ""
	}
	return label + " " + value
}

func joinNonEmpty(sep string, parts ...string) string {
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), sep)
}
