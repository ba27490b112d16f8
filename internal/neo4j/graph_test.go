package neo4j_test

import "github.com/stakegraph/stakegraph/internal/domain"

// testGraph is a small graph with every kind, every relation shape the
// cooperation and path queries look at, parallel relations between the same
// two nodes, a relation in each direction between two countries, evidence
// lists longer than one and names that exercise search folding. Empty
// slices are nil, as the store returns them.
func testGraph() *domain.Graph {
	node := func(id, name string, aliases ...string) *domain.Node {
		kind, _, err := domain.ParseID(id)
		if err != nil {
			panic(err)
		}
		return &domain.Node{ID: id, Kind: kind, Name: name, Aliases: aliases}
	}
	org := func(id, name string, t domain.OrgType, aliases ...string) *domain.Node {
		n := node(id, name, aliases...)
		n.OrgType = t
		return n
	}
	ecuador := node("country:ecuador", "Ecuador")
	ecuador.ISOCode = "EC"
	ecuador.Description = "Republic of Ecuador"
	spain := node("country:spain", "Spain", "España")
	spain.ISOCode = "ES"
	hungary := node("country:hungary", "Hungary", "Hungría", "Magyarország")
	hungary.ISOCode = "HU"
	ivory := node("country:cote-d-ivoire", "Côte d'Ivoire")
	person := node("person:ylva-johansson", "Ylva Johansson")
	person.Title = "European Commissioner for Home Affairs"
	paccto := node("programme:el-paccto", "EL PAcCTO",
		"Europe Latin America Programme of Assistance against Transnational Organised Crime", "EL PAcCTO 2.0")
	paccto.Scope = "regional"
	paccto.Budget = "EUR 15M"
	paccto.Start = "2017"
	paccto.End = "2027-12"
	glacy := node("programme:glacy-plus", "GLACY+", "Global Action on Cybercrime Extended")
	glacy.Scope = "global"
	seacop := node("programme:seacop", "SEACOP", "Seaport Cooperation Project")
	cyber4dev := node("programme:cyber4dev", "Cyber4Dev")
	event := node("event:iii-round-table-2023", "III Round Table on Security", "Tercera Mesa Redonda")
	event.Location = "Quito"
	event.Start = "2023-09-26"
	event.End = "2023-09-26"
	agreement := node("agreement:ecuador-europol", "Strategic agreement", "Europol–Ecuador")
	agreement.Status = "signed"
	agreement.Start = "2022-05"
	source := node("source:round-table-minutes", "Minutes of the III Round Table")
	source.URL = "https://example.org/minutes.pdf"
	source.Publisher = "EU Delegation to Ecuador"

	nodes := []*domain.Node{
		ecuador, spain, hungary, ivory, person, paccto, glacy, seacop, cyber4dev, event, agreement, source,
		org("organization:ministry-foreign-affairs-ecuador", "Ministerio de Relaciones Exteriores y Movilidad Humana",
			domain.OrgMinistry, "Cancillería", "MREMH"),
		org("organization:europol", "Europol", domain.OrgEUAgency, "European Union Agency for Law Enforcement Cooperation"),
		org("organization:fiiapp", "FIIAPP", domain.OrgImplementingAgency),
		org("organization:eu", "European Union", domain.OrgEUInstitution, "EU"),
		org("organization:policia-nacional", "Policía Nacional del Ecuador", domain.OrgPoliceMilitary),
		node("topic:maritime-security", "Maritime security"),
		node("topic:cyber-security", "Cyber security", "cybersecurity"),
		node("topic:organised-crime", "Organised crime"),
	}

	ev := []domain.Evidence{{SourceID: "source:round-table-minutes", Quote: "as stated in the minutes"}}
	rel := func(from string, t domain.RelationType, to string) *domain.Relation {
		return &domain.Relation{ID: domain.RelationID(from, t, to), Type: t, From: from, To: to,
			Confidence: domain.ConfidenceHigh, Evidence: ev}
	}
	twoSources := rel("country:spain", domain.RelFunds, "programme:el-paccto")
	twoSources.Evidence = []domain.Evidence{
		{SourceID: "source:round-table-minutes", Quote: "Spain funds"},
		{SourceID: "source:round-table-minutes", Quote: "through FIIAPP"},
	}
	twoSources.Role = "co-funder"
	twoSources.Note = "with the EU"
	visit := rel("person:ylva-johansson", domain.RelVisited, "country:ecuador")
	visit.Start = "2023-03"
	visit.Confidence = domain.ConfidenceMedium
	holds := rel("person:ylva-johansson", domain.RelHoldsPosition, "organization:eu")
	holds.Role = "Commissioner for Home Affairs"
	holds.Start = "2019-12"
	holds.End = "2024-11"
	party := rel("country:ecuador", domain.RelPartyTo, "agreement:ecuador-europol")
	party.Status = "signed"
	low := rel("country:cote-d-ivoire", domain.RelParticipatesIn, "programme:glacy-plus")
	low.Confidence = domain.ConfidenceLow
	backwards := rel("country:spain", domain.RelCooperatesWith, "country:ecuador")
	backwards.ID = "spain-ecuador-police-cooperation"

	relations := []*domain.Relation{
		rel("country:ecuador", domain.RelParticipatesIn, "programme:el-paccto"),
		twoSources,
		rel("organization:fiiapp", domain.RelImplements, "programme:el-paccto"),
		rel("organization:eu", domain.RelFunds, "programme:el-paccto"),
		rel("country:hungary", domain.RelAttended, "event:iii-round-table-2023"),
		rel("country:spain", domain.RelAttended, "event:iii-round-table-2023"),
		rel("country:ecuador", domain.RelAttended, "event:iii-round-table-2023"),
		rel("country:ecuador", domain.RelChaired, "event:iii-round-table-2023"),
		rel("organization:eu", domain.RelChaired, "event:iii-round-table-2023"),
		rel("organization:policia-nacional", domain.RelAttended, "event:iii-round-table-2023"),
		rel("event:iii-round-table-2023", domain.RelReviewed, "programme:el-paccto"),
		rel("event:iii-round-table-2023", domain.RelAddresses, "topic:maritime-security"),
		rel("event:iii-round-table-2023", domain.RelAddresses, "topic:organised-crime"),
		rel("programme:el-paccto", domain.RelAddresses, "topic:organised-crime"),
		rel("programme:seacop", domain.RelAddresses, "topic:maritime-security"),
		rel("country:spain", domain.RelSupports, "programme:seacop"),
		rel("country:ecuador", domain.RelParticipatesIn, "programme:seacop"),
		rel("organization:ministry-foreign-affairs-ecuador", domain.RelPartOf, "country:ecuador"),
		rel("organization:ministry-foreign-affairs-ecuador", domain.RelRepresents, "country:ecuador"),
		rel("organization:policia-nacional", domain.RelPartOf, "country:ecuador"),
		holds, visit, party,
		rel("country:ecuador", domain.RelCooperatesWith, "country:spain"),
		backwards,
		rel("organization:europol", domain.RelPartyTo, "agreement:ecuador-europol"),
		rel("agreement:ecuador-europol", domain.RelAddresses, "topic:organised-crime"),
		rel("country:hungary", domain.RelMemberOf, "organization:eu"),
		rel("country:spain", domain.RelMemberOf, "organization:eu"),
		rel("programme:glacy-plus", domain.RelAddresses, "topic:cyber-security"),
		rel("programme:cyber4dev", domain.RelAddresses, "topic:cyber-security"),
		rel("programme:cyber4dev", domain.RelSucceededBy, "programme:glacy-plus"),
		rel("country:ecuador", domain.RelParticipatesIn, "programme:glacy-plus"),
		rel("country:ecuador", domain.RelParticipatesIn, "programme:cyber4dev"),
		rel("organization:europol", domain.RelSupports, "programme:glacy-plus"),
		low,
		rel("organization:ministry-foreign-affairs-ecuador", domain.RelParticipatesIn, "programme:el-paccto"),
	}
	return &domain.Graph{Nodes: nodes, Relations: relations}
}
