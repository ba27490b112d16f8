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
	FtMNote               = "Note"
	FtMArticle            = "Article"
	FtMMembership         = "Membership"
	FtMDirectorship       = "Directorship"
	FtMEmployment         = "Employment"
	FtMProjectParticipant = "ProjectParticipant"
	FtMUnknownLink        = "UnknownLink"
)

// FtMLinkEnds are, per link schema the export writes, the properties naming
// a relation's source and target end.
var FtMLinkEnds = map[string][2]string{
	FtMMembership: {"member", "organization"}, FtMDirectorship: {"director", "organization"},
	FtMEmployment: {"employee", "employer"}, FtMProjectParticipant: {"participant", "project"},
	FtMUnknownLink: {"subject", "object"},
}

// publicOrgTypes are the organization types FtM calls a public body: state
// and EU bodies. Implementing agencies, international organisations,
// industry, research and groups stay Organization.
var publicOrgTypes = []domain.OrgType{domain.OrgMinistry, domain.OrgGovernmentAgency, domain.OrgPoliceMilitary,
	domain.OrgEUInstitution, domain.OrgEUAgency, domain.OrgEUDelegation}

// FtMNodeSchema is the FtM schema a node becomes.
//
//	Country                                  → PublicBody (a state)
//	Organization, public orgType             → PublicBody (ministries, agencies, police, EU bodies)
//	Organization, any other orgType          → Organization
//	Person                                   → Person
//	Programme, Agreement                     → Project (an agreement is a joint undertaking
//	                                           with parties, not a procurement Contract)
//	Event                                    → Event
//	Topic                                    → Note (FtM has no subject-matter entity; a
//	                                           note is free text that links can point at)
//	Source                                   → Article (a piece of media reporting about a
//	                                           subject; links cite it as their proof)
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
	case domain.KindTopic:
		return FtMNote
	case domain.KindSource:
		return FtMArticle
	}
	return ""
}

// FtMDateProperties names, per kind, the FtM properties that hold a node's
// start and end; "" where the schema has none, and the date is written in
// the summary instead (see WriteFtM).
var FtMDateProperties = map[domain.Kind][2]string{
	domain.KindProgramme:    {"startDate", "endDate"},
	domain.KindAgreement:    {"startDate", "endDate"},
	domain.KindEvent:        {"startDate", "endDate"},
	domain.KindOrganization: {"incorporationDate", "dissolutionDate"},
	domain.KindSource:       {"publishedAt", ""},
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
// first the nodes, then the relations, each in ID order. The sources the
// relations cite are written too, selected or not, so every file holds
// what its evidence refers to. Entity IDs are the token IDs of stakegraph's
// node and relation IDs (NodeTokenID, RelationTokenID: country:hungary →
// country.hungary), since FtM allows only letters, digits, dots and
// hyphens; the stakegraph ID itself stays in a property FtM keeps: a node's
// keywords, a relation's recordId.
//
// Everything a node or relation holds is written in a property FtM keeps,
// so that dataset.ImportFtM gives back the same graph:
//
// Node entities carry name, alias, description, keywords (the stakegraph
// kind, the stakegraph ID, then, derived, the names of the topics the node
// ADDRESSES in the selection), classification (Country or the orgType),
// country and jurisdiction (a country's ISO code, lower-case), position (a
// person's title), status (an agreement's), location (an event's), title,
// sourceUrl and publisher (a source's), the dates in FtMDateProperties, and
// one summary value "field: value" for each field FtM has no property for:
// a programme's scope and budget, and start or end where the kind has no
// date property.
//
// Relation entities carry their two ends (as the ends' entity IDs), role
// (the relation's role, or its type in words, e.g. "implements", read back
// as no role), status, startDate/endDate, recordId (the stakegraph relation
// ID), summary ("TYPE; confidence HIGH", plus "; undated"), description
// (the note, then one `source:id: "quote"` line per piece of evidence) and,
// derived from the evidence, proof (the cited sources' entities) and
// sourceUrl and publisher of the cited sources.
//
// Statements follow the relations, one UnknownLink per node of the
// selection a statement is about (see ftmStatement), entity ID
// StatementTokenID. FtM has no schema for an utterance: a Note annotates
// one entity and already stands for topics, an Event links only legal
// entities (not the topic, programme or agreement said about), and
// Documentation ties a document to an entity without a stance. An
// UnknownLink joins any two things with a role, a date and proof, which is
// what a statement is: speaker → concept, captioned by its stance, proven
// by its source. The events and actors the statements name outside the
// selection (Data.Mentioned) are written as nodes, like the cited sources.
func WriteFtM(w io.Writer, d *Data) error {
	nodes := slices.Clone(d.Nodes)
	for _, extra := range []map[string]*domain.Node{d.Sources, d.Mentioned} {
		for _, s := range extra {
			if !slices.ContainsFunc(nodes, func(n *domain.Node) bool { return n.ID == s.ID }) {
				nodes = append(nodes, s)
			}
		}
	}
	slices.SortFunc(nodes, func(a, b *domain.Node) int { return strings.Compare(a.ID, b.ID) })
	schemata := make(map[string]string, len(nodes))
	labels := make(map[string]string, len(nodes))
	for _, n := range nodes {
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
	for _, n := range nodes {
		if err := enc.Encode(ftmNode(n, schemata[n.ID], addresses[n.ID])); err != nil {
			return err
		}
	}
	for _, r := range d.Relations {
		if err := enc.Encode(d.ftmRelation(r, schemata[r.From], schemata[r.To])); err != nil {
			return err
		}
	}
	for _, se := range d.StatementEdges() {
		if err := enc.Encode(d.ftmStatement(se)); err != nil {
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

// FtMField is a node's summary value for a field FtM has no property for,
// e.g. "budget: EUR 15M"; "" when value is.
func FtMField(field, value string) string {
	if value == "" {
		return ""
	}
	return field + ": " + value
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
		p.add("summary", FtMField("scope", n.Scope), FtMField("budget", n.Budget))
	case domain.KindAgreement:
		p.add("status", n.Status)
	case domain.KindEvent:
		p.add("location", n.Location)
	case domain.KindSource:
		p.add("title", n.Name)
		p.add("sourceUrl", n.URL)
		p.add("publisher", n.Publisher)
	}
	dates := FtMDateProperties[n.Kind]
	for i, d := range [2]struct{ field, value string }{{"start", string(n.Start)}, {"end", string(n.End)}} {
		if dates[i] != "" {
			p.add(dates[i], d.value)
		} else {
			p.add("summary", FtMField(d.field, d.value))
		}
	}
	return FtMEntity{ID: NodeTokenID(n.ID), Schema: schema, Properties: p}
}

// FtMRoleInWords is the role a relation without one is given: its type in
// words, e.g. "implements", so that FtM tools caption the link.
func FtMRoleInWords(t domain.RelationType) string {
	return strings.ToLower(strings.ReplaceAll(string(t), "_", " "))
}

// FtMSummary is a relation's summary: its type and confidence, and whether
// it is undated.
func FtMSummary(r *domain.Relation) string {
	s := string(r.Type) + "; confidence " + string(r.Confidence)
	if r.Undated() {
		s += "; undated"
	}
	return s
}

func (d *Data) ftmRelation(r *domain.Relation, fromSchema, toSchema string) FtMEntity {
	schema, fromProp, toProp := FtMRelationSchema(r, fromSchema, toSchema)
	p := props{}
	p.add(fromProp, NodeTokenID(r.From))
	p.add(toProp, NodeTokenID(r.To))
	role := r.Role
	if role == "" {
		role = FtMRoleInWords(r.Type)
	}
	p.add("role", role)
	p.add("status", r.Status)
	p.add("startDate", string(r.Start))
	p.add("endDate", string(r.End))
	p.add("recordId", r.ID)
	p.add("summary", FtMSummary(r))
	p.add("description", r.Note)
	for _, e := range r.Evidence {
		p.add("description", EvidenceText([]domain.Evidence{e}))
	}
	d.addProof(p, r.Evidence)
	return FtMEntity{ID: RelationTokenID(r.ID), Schema: schema, Properties: p}
}

// addProof adds what a link's evidence cites: the sources' entities as
// proof, their URLs and publishers.
func (d *Data) addProof(p props, ev []domain.Evidence) {
	for _, id := range sourcesOf(ev) {
		p.add("proof", NodeTokenID(id))
	}
	p.add("sourceUrl", d.evidenceURLs(ev)...)
	for _, id := range sourcesOf(ev) {
		if s := d.Sources[id]; s != nil {
			p.add("publisher", s.Publisher)
		}
	}
}

// FtMStatementSummary is the first summary value of a statement's link:
// what marks it as a statement, its stance and confidence. The import
// tells statement links from relation links by its leading word, which is
// no relation type.
func FtMStatementSummary(st *domain.Statement) string {
	return StatementEdgeType + "; stance " + string(st.Stance) + "; confidence " + string(st.Confidence)
}

// ftmStatement is the link of statement st to the node target it is
// about: an UnknownLink from the speaker, captioned by the stance in words
// (role "supports"), dated by date, with the statement's ID as recordId,
// summary FtMStatementSummary plus "event: ID" and "onBehalfOf: ID", and
// note and quote as a relation's are.
func (d *Data) ftmStatement(se StatementEdge) FtMEntity {
	st := se.Statement
	p := props{}
	p.add("subject", NodeTokenID(st.Speaker))
	p.add("object", NodeTokenID(se.Target))
	p.add("role", strings.ToLower(string(st.Stance)))
	p.add("date", string(st.Date))
	p.add("recordId", st.ID)
	p.add("summary", FtMStatementSummary(st), FtMField("event", st.Event), FtMField("onBehalfOf", st.OnBehalfOf))
	p.add("description", st.Note)
	p.add("description", EvidenceText([]domain.Evidence{st.Evidence}))
	d.addProof(p, []domain.Evidence{st.Evidence})
	return FtMEntity{ID: StatementTokenID(st.ID, se.Target), Schema: FtMUnknownLink, Properties: p}
}
