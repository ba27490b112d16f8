package neo4j

import (
	"fmt"
	"strings"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// Property names. Empty fields are not stored, so absent and empty read back
// the same way.
const (
	pID          = "id"
	pKind        = "kind"
	pName        = "name"
	pAliases     = "aliases"
	pDescription = "description"
	pOrgType     = "orgType"
	pISOCode     = "isoCode"
	pTitle       = "title"
	pScope       = "scope"
	pBudget      = "budget"
	pLocation    = "location"
	pStatus      = "status"
	pStart       = "start"
	pEnd         = "end"
	pURL         = "url"
	pPublisher   = "publisher"
	pLanguage    = "language"
	// pSearchText holds domain.Tokens of the name and aliases joined by
	// spaces: the one property the full-text index covers.
	pSearchText = "searchText"

	pRole            = "role"
	pConfidence      = "confidence"
	pNote            = "note"
	pEvidenceSources = "evidenceSources"
	pEvidenceQuotes  = "evidenceQuotes"

	// Derived at seed time so scope filters are plain property predicates
	// that agree with domain.Scope.Allows by construction (see scopeWhere):
	// pTopics is the relation's domain.ConcernedTopics entry, pStartKey its
	// start's earliest day and pEndKey its end's latest day (YYYY-MM-DD,
	// which orders as text).
	pTopics   = "topics"
	pStartKey = "startKey"
	pEndKey   = "endKey"
)

// nodePropKeys and relPropKeys are every key nodeProps and relProps may
// set, so a statement can name each property: setting a whole map makes
// the planner assume any property may change and buffer all rows first.
var (
	nodePropKeys = []string{pID, pKind, pName, pAliases, pDescription, pOrgType, pISOCode, pTitle, pScope,
		pBudget, pLocation, pStatus, pStart, pEnd, pURL, pPublisher, pSearchText}
	relPropKeys = []string{pID, pRole, pStatus, pStart, pEnd, pConfidence, pNote, pEvidenceSources,
		pEvidenceQuotes, pTopics, pStartKey, pEndKey}
)

// propsLiteral is a Cypher map literal taking each of keys from the map
// expression from, then the extra entries as given; absent keys are null,
// which CREATE does not store.
func propsLiteral(keys []string, from string, extra ...string) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + from + "." + k
	}
	return "{" + strings.Join(append(parts, extra...), ", ") + "}"
}

// nodeMap projects node variable v into the map decodeNode reads, without
// the searchText helper property.
func nodeMap(v string) string { return v + `{.*, searchText: null}` }

// relMap projects relationship variable v into the map decodeRelation reads:
// its properties plus its type and the IDs of its ends, without the derived
// scope properties.
func relMap(v string) string {
	return fmt.Sprintf(`%[1]s{.*, topics: null, startKey: null, endKey: null,
		type: type(%[1]s), from: startNode(%[1]s).id, to: endNode(%[1]s).id}`, v)
}

// nodeProps returns the properties stored for n.
func nodeProps(n *domain.Node) map[string]any {
	p := map[string]any{pID: n.ID, pKind: string(n.Kind), pName: n.Name}
	set := func(key, v string) {
		if v != "" {
			p[key] = v
		}
	}
	if len(n.Aliases) > 0 {
		p[pAliases] = append([]string(nil), n.Aliases...)
	}
	set(pDescription, n.Description)
	set(pOrgType, string(n.OrgType))
	set(pISOCode, n.ISOCode)
	set(pTitle, n.Title)
	set(pScope, n.Scope)
	set(pBudget, n.Budget)
	set(pLocation, n.Location)
	set(pStatus, n.Status)
	set(pStart, string(n.Start))
	set(pEnd, string(n.End))
	set(pURL, n.URL)
	set(pPublisher, n.Publisher)
	set(pLanguage, n.Language)
	set(pSearchText, strings.Join(domain.Tokens(domain.SearchText(n)), " "))
	return p
}

// relProps returns the properties stored on r, including the derived scope
// properties; concerns is r's domain.ConcernedTopics entry. Type and ends
// are the relationship's own.
func relProps(r *domain.Relation, concerns []string) map[string]any {
	p := map[string]any{pID: r.ID}
	set := func(key, v string) {
		if v != "" {
			p[key] = v
		}
	}
	set(pRole, r.Role)
	set(pStatus, r.Status)
	set(pStart, string(r.Start))
	set(pEnd, string(r.End))
	set(pConfidence, string(r.Confidence))
	set(pNote, r.Note)
	if len(r.Evidence) > 0 {
		// Neo4j properties cannot hold maps, so evidence is two parallel
		// lists in the same order.
		sources := make([]string, len(r.Evidence))
		quotes := make([]string, len(r.Evidence))
		for i, e := range r.Evidence {
			sources[i], quotes[i] = e.SourceID, e.Quote
		}
		p[pEvidenceSources] = sources
		p[pEvidenceQuotes] = quotes
	}
	if len(concerns) > 0 {
		p[pTopics] = append([]string(nil), concerns...)
	}
	set(pStartKey, r.Start.Earliest())
	set(pEndKey, r.End.Latest())
	return p
}

// decodeNode reads a node projected by nodeMap; nil stays nil.
func decodeNode(v any) (*domain.Node, error) {
	if v == nil {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("node value is %T, not a map", v)
	}
	str := func(k string) string { s, _ := m[k].(string); return s }
	n := &domain.Node{
		ID:          str(pID),
		Kind:        domain.Kind(str(pKind)),
		Name:        str(pName),
		Aliases:     stringList(m[pAliases]),
		Description: str(pDescription),
		OrgType:     domain.OrgType(str(pOrgType)),
		ISOCode:     str(pISOCode),
		Title:       str(pTitle),
		Scope:       str(pScope),
		Budget:      str(pBudget),
		Location:    str(pLocation),
		Status:      str(pStatus),
		Start:       domain.PartialDate(str(pStart)),
		End:         domain.PartialDate(str(pEnd)),
		URL:         str(pURL),
		Publisher:   str(pPublisher),
		Language:    str(pLanguage),
	}
	if n.ID == "" {
		return nil, fmt.Errorf("node without id: %v", m)
	}
	return n, nil
}

// decodeRelation reads a relation projected by relMap.
func decodeRelation(v any) (*domain.Relation, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("relation value is %T, not a map", v)
	}
	str := func(k string) string { s, _ := m[k].(string); return s }
	r := &domain.Relation{
		ID:         str(pID),
		Type:       domain.RelationType(str("type")),
		From:       str("from"),
		To:         str("to"),
		Role:       str(pRole),
		Status:     str(pStatus),
		Start:      domain.PartialDate(str(pStart)),
		End:        domain.PartialDate(str(pEnd)),
		Confidence: domain.Confidence(str(pConfidence)),
		Note:       str(pNote),
	}
	sources, quotes := stringList(m[pEvidenceSources]), stringList(m[pEvidenceQuotes])
	if len(sources) != len(quotes) {
		return nil, fmt.Errorf("relation %s: %d evidence sources but %d quotes", r.ID, len(sources), len(quotes))
	}
	for i := range sources {
		r.Evidence = append(r.Evidence, domain.Evidence{SourceID: sources[i], Quote: quotes[i]})
	}
	if r.ID == "" {
		return nil, fmt.Errorf("relation without id: %v", m)
	}
	return r, nil
}

// stringList reads a list of strings; an empty or absent list is nil.
func stringList(v any) []string {
	list, _ := v.([]any)
	if len(list) == 0 {
		return nil
	}
	out := make([]string, 0, len(list))
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

// decodeNodes reads a list of projected nodes.
func decodeNodes(v any) ([]*domain.Node, error) {
	list, _ := v.([]any)
	var out []*domain.Node
	for _, x := range list {
		n, err := decodeNode(x)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// decodeRelations reads a list of projected relations.
func decodeRelations(v any) ([]*domain.Relation, error) {
	list, _ := v.([]any)
	var out []*domain.Relation
	for _, x := range list {
		r, err := decodeRelation(x)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// typeNames turns relation types into Cypher parameter values.
func typeNames(types []domain.RelationType) []string {
	out := make([]string, len(types))
	for i, t := range types {
		out[i] = string(t)
	}
	return out
}

// kindNames turns kinds into Cypher parameter values.
func kindNames(kinds []domain.Kind) []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = string(k)
	}
	return out
}
