package dataset_test

import (
	"bytes"
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/export"
	"github.com/stakegraph/stakegraph/internal/memstore"
)

// exportFtM exports the selection sel of g with the FtM export.
func exportFtM(tb testing.TB, g *domain.Graph, sel export.Selection) (dataset.FtMFile, *export.Data) {
	tb.Helper()
	store, err := memstore.New(g)
	if err != nil {
		tb.Fatal(err)
	}
	d, err := export.Select(context.Background(), store, sel)
	if err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	if err := export.WriteFtM(&buf, d); err != nil {
		tb.Fatal(err)
	}
	return dataset.FtMFile{Name: "graph.ftm.json", Data: buf.Bytes()}, d
}

// TestFtMRoundTrip exports the shipped graph, and parts of it, to
// FollowTheMoney, imports it, writes it as a dataset directory and loads
// that: every step gives back the same nodes, relations, evidence and
// statements, with the same source texts. A part brings the sources its
// evidence cites and the events and actors its statements name, so it
// imports on its own; its statements come back about the selected concepts.
func TestFtMRoundTrip(t *testing.T) {
	shippedData := shipped(t)
	cases := []struct {
		name string
		sel  export.Selection
		// mentioned: the statements name nodes the selection leaves out.
		statements, mentioned bool
	}{
		{"whole graph", export.Selection{Depth: 1}, true, false},
		{"neighbourhood", export.Selection{Root: "country:ecuador", Depth: 1}, true, false},
		// Statements about topics only, said at an event and on behalf of
		// a country the selection leaves out.
		{"actors and topics", export.Selection{Depth: 1, Kinds: []domain.Kind{domain.KindPerson, domain.KindOrganization, domain.KindTopic}}, true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			file, d := exportFtM(t, shippedData.Graph, c.sel)
			want := &dataset.Dataset{Graph: &domain.Graph{Relations: d.Relations}, SourceTexts: map[string]string{}}
			nodes := map[string]*domain.Node{}
			for _, n := range d.Nodes {
				nodes[n.ID] = n
			}
			maps.Copy(nodes, d.Sources)
			maps.Copy(nodes, d.Mentioned)
			for _, st := range d.Statements {
				st = domain.CloneStatement(st)
				st.About = slices.DeleteFunc(st.About, func(id string) bool {
					return !slices.ContainsFunc(d.Nodes, func(n *domain.Node) bool { return n.ID == id })
				})
				want.Graph.Statements = append(want.Graph.Statements, st)
			}
			for _, id := range slices.Sorted(maps.Keys(nodes)) {
				want.Graph.Nodes = append(want.Graph.Nodes, nodes[id])
				if text, ok := shippedData.SourceTexts[id]; ok {
					want.SourceTexts[id] = text
				}
			}
			if (len(d.Statements) > 0) != c.statements || (len(d.Mentioned) > 0) != c.mentioned {
				t.Fatalf("the selection holds %d statements naming %d nodes outside it; the test wants statements: %v, nodes outside: %v", len(d.Statements), len(d.Mentioned), c.statements, c.mentioned)
			}
			if len(want.Graph.Relations) < 10 || len(want.SourceTexts) == 0 {
				t.Fatalf("the selection holds %d relations and %d sources; the test needs more", len(want.Graph.Relations), len(want.SourceTexts))
			}

			got, err := dataset.ImportFtM(file, "")
			if err != nil {
				t.Fatalf("ImportFtM: got error\n%v\nwant nil", err)
			}
			sameDataset(t, "imported", got, want)

			dir := filepath.Join(t.TempDir(), "imported")
			if err := dataset.WriteDir(got, dir, "written by a test"); err != nil {
				t.Fatalf("WriteDir: %v", err)
			}
			loaded, err := dataset.LoadDataset(os.DirFS(dir), ".")
			if err != nil {
				t.Fatalf("loading the written directory: got error\n%v\nwant nil", err)
			}
			sameDataset(t, "written and loaded", loaded, want)
		})
	}
}

// everyFieldGraph has every field the domain allows set on some node and
// relation, dates on every kind, a relation without role and one whose
// note looks like evidence but for its source.
func everyFieldGraph() (*domain.Graph, map[string]string) {
	g := &domain.Graph{
		Nodes: []*domain.Node{
			{ID: "country:peru", Kind: domain.KindCountry, Name: "Peru", Aliases: []string{"República del Perú", "PE"},
				Description: "A state.", ISOCode: "PE", Start: "1821"},
			{ID: "organization:port-authority", Kind: domain.KindOrganization, Name: "Port authority", OrgType: domain.OrgGovernmentAgency, Start: "2001-03", End: "2030"},
			{ID: "organization:ngo", Kind: domain.KindOrganization, Name: "An NGO", OrgType: domain.OrgGroup},
			{ID: "person:ana", Kind: domain.KindPerson, Name: "Ana", Title: "Head of ports", Start: "1970", End: "2070"},
			{ID: "programme:ports", Kind: domain.KindProgramme, Name: "Ports", Scope: "regional: Andes; and coast", Budget: "EUR 2M", Start: "2020", End: "2024-06"},
			{ID: "agreement:ports", Kind: domain.KindAgreement, Name: "Port deal", Status: "signed", Start: "2021-01-02"},
			{ID: "event:summit", Kind: domain.KindEvent, Name: "Lima summit", Location: "Lima, Peru", Start: "2024-05-14", End: "2024-05-15"},
			{ID: "topic:ports", Kind: domain.KindTopic, Name: "Port security", Aliases: []string{"seguridad portuaria"}, Start: "2000", End: "2099"},
			{ID: "source:note", Kind: domain.KindSource, Name: "Field note: Lima", URL: "https://example.org/note", Publisher: "Example", Start: "2024-05", End: "2024-06"},
		},
		Relations: []*domain.Relation{
			{ID: "person:ana|HOLDS_POSITION|organization:port-authority", Type: domain.RelHoldsPosition, From: "person:ana", To: "organization:port-authority",
				Role: "Head of ports", Start: "2019", Confidence: domain.ConfidenceHigh,
				Evidence: []domain.Evidence{{SourceID: "source:note", Quote: "Ana heads the port authority"}}},
			{ID: "funding-2020", Type: domain.RelFunds, From: "organization:port-authority", To: "programme:ports",
				Status: "paid", Start: "2020", End: "2021", Confidence: domain.ConfidenceMedium, Note: `country:peru: "not evidence"`,
				Evidence: []domain.Evidence{{SourceID: "source:note", Quote: "funds the \"Ports\" programme"}, {SourceID: "source:note", Quote: "Ana heads"}}},
			{ID: "event:summit|ADDRESSES|topic:ports", Type: domain.RelAddresses, From: "event:summit", To: "topic:ports", Confidence: domain.ConfidenceLow,
				Evidence: []domain.Evidence{{SourceID: "source:note", Quote: "port security"}}},
			{ID: "organization:ngo|PARTY_TO|agreement:ports", Type: domain.RelPartyTo, From: "organization:ngo", To: "agreement:ports", Role: "observer", Confidence: domain.ConfidenceLow,
				Evidence: []domain.Evidence{{SourceID: "source:note", Quote: "port security"}}},
			{ID: "country:peru|MEMBER_OF|organization:ngo", Type: domain.RelMemberOf, From: "country:peru", To: "organization:ngo", Confidence: domain.ConfidenceLow,
				Evidence: []domain.Evidence{{SourceID: "source:note", Quote: "port security"}}},
		},
	}
	texts := map[string]string{"note.txt": "Ana heads the port authority, which funds the \"Ports\" programme on port security."}
	return g, texts
}

// TestFtMRoundTripEveryField: a graph with every field the domain allows
// comes back exactly, its source text read from the sources directory.
func TestFtMRoundTripEveryField(t *testing.T) {
	g, texts := everyFieldGraph()
	dir := writeFiles(t, t.TempDir(), texts)
	file, _ := exportFtM(t, g, export.Selection{Depth: 1})
	got, err := dataset.ImportFtM(file, dir)
	if err != nil {
		t.Fatalf("ImportFtM: got error\n%v\nwant nil\nfile:\n%s", err, file.Data)
	}
	slices.SortFunc(g.Nodes, func(a, b *domain.Node) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(g.Relations, func(a, b *domain.Relation) int { return strings.Compare(a.ID, b.ID) })
	sameDataset(t, "imported", got, &dataset.Dataset{Graph: g, SourceTexts: map[string]string{"source:note": texts["note.txt"]}})
}

// ftmImportErr imports content and returns the error message, failing if
// there is no EINVALID error.
func ftmImportErr(tb testing.TB, content, sourcesDir string) string {
	tb.Helper()
	_, err := dataset.ImportFtM(dataset.FtMFile{Name: "in.ftm.json", Data: []byte(content)}, sourcesDir)
	if domain.ErrorCode(err) != domain.EINVALID {
		tb.Fatalf("ImportFtM: got %v, want EINVALID", err)
	}
	return domain.ErrorMessage(err)
}

func TestImportFtMErrors(t *testing.T) {
	texts := writeFiles(t, t.TempDir(), map[string]string{"note.txt": "Peru attended the\nLima summit."})
	const (
		peru   = `{"id":"country.peru","schema":"PublicBody","properties":{"name":["Peru"],"keywords":["Country","country:peru"],"jurisdiction":["pe"]}}`
		summit = `{"id":"event.summit","schema":"Event","properties":{"name":["Lima summit"],"startDate":["2024-05-14"]}}`
		note   = `{"id":"source.note","schema":"Article","properties":{"name":["Field note"],"sourceUrl":["https://example.org/note"]}}`
		link   = `{"id":"rel.1","schema":"UnknownLink","properties":{"subject":["country.peru"],"object":["event.summit"],"summary":["ATTENDED; confidence HIGH"],"startDate":["2024-05-14"],"description":["source:note: \"Peru attended the Lima summit\""]}}`
		good   = peru + "\n" + summit + "\n" + note + "\n" + link + "\n"
		rel    = "relation country:peru|ATTENDED|event:summit"
	)
	// Windows line ends and a byte-order mark, as an editor may save it.
	for _, content := range []string{good, "\ufeff" + strings.ReplaceAll(good, "\n", "\r\n")} {
		d, err := dataset.ImportFtM(dataset.FtMFile{Name: "in.ftm.json", Data: []byte(content)}, texts)
		if err != nil {
			t.Fatalf("ImportFtM(good): got error\n%v\nwant nil", err)
		}
		if got := len(d.Graph.Nodes) + len(d.Graph.Relations); got != 4 {
			t.Errorf("ImportFtM(good): got %d nodes and relations, want 4", got)
		}
	}
	cases := []struct {
		name    string
		content string
		wants   []string // the whole message, one problem a line
	}{
		{
			name: "node problems at their lines",
			content: good + "\n" +
				`{"id":"country.chile","schema":"PublicBody","properties":{"name":["Chile"],"keywords":["Country"],"jurisdiction":["chl"],"capital":["Santiago"]}}` + "\n" +
				`{"id":"x1","schema":"PublicBody","properties":{"name":["Ministry"]}}` + "\n" +
				`{"id":"org.x","schema":"Organization","properties":{"name":["X"],"keywords":["organization:x"]}}` + "\n" +
				`{"id":"p","schema":"Person","properties":{"name":["Ana","Ann"],"keywords":["Person","country:ana"]}}` + "\n" +
				`{"id":"topic.t","schema":"Note","properties":{"name":["T"],"summary":["budget: 3"]}}` + "\n" +
				`{"id":"person.bo","schema":"Person","properties":{"name":["Bo"],"title":["Dr"],"position":["Head"]}}` + "\n" +
				`{"id":"source.roundtable-article-2023","schema":"Article","properties":{"title":["S"],"name":["T"]}}` + "\n",
			wants: []string{
				`in.ftm.json:6: node country:chile: jurisdiction: "CHL" is not an ISO 3166-1 alpha-2 code (two capital letters)`,
				`in.ftm.json:6: node country:chile: capital: not a property the import reads for a Country; it would be lost`,
				"in.ftm.json:7: entity x1: keywords: name the stakegraph kind: Country or Organization for a PublicBody",
				"in.ftm.json:8: node organization:x: classification: required for organizations; one of " + strings.Join(orgTypeNames(), ", "),
				`in.ftm.json:9: node country:ana: name: holds 2 values, want one: ["Ana" "Ann"]`,
				`in.ftm.json:9: node country:ana: keywords: Person, but the id says Country`,
				`in.ftm.json:10: node topic:t: summary: "budget: 3": want "field: value" with field one of end, start`,
				"in.ftm.json:11: node person:bo: title: not a property the import reads for a Person; it would be lost",
				`in.ftm.json:12: node source:roundtable-article-2023: title: "S" differs from the name "T"; a source has one`,
			},
		},
		{
			name: "link problems at their lines",
			content: good +
				`{"id":"rel.2","schema":"UnknownLink","properties":{"subject":["country.peru"],"object":["topic.ports"],"summary":["ATTENDED; confidence SURE; undated"],"description":["source:note: \"Peru skipped\"","source:note no quote"]}}` + "\n" +
				`{"id":"rel.3","schema":"Membership","properties":{"member":["x9"],"organization":["event.summit"],"summary":["MEMBER_OF; confidence LOW"],"endDate":["2024-13"]}}` + "\n" +
				`{"id":"rel.4","schema":"UnknownLink","properties":{"subject":["country.peru"],"object":["event.summit"],"description":["source:note: \"Lima summit\""]}}` + "\n",
			wants: []string{
				`in.ftm.json:5: relation country:peru|ATTENDED|topic:ports: description: evidence[1]: want source:id: "quote", got "source:note no quote"`,
				"in.ftm.json:5: relation country:peru|ATTENDED|topic:ports: object: ATTENDED goes to an event, got topic:ports",
				`in.ftm.json:5: relation country:peru|ATTENDED|topic:ports: summary: "SURE" is not HIGH, MEDIUM or LOW`,
				"in.ftm.json:5: relation country:peru|ATTENDED|topic:ports: object: topic:ports is not defined",
				"in.ftm.json:5: relation country:peru|ATTENDED|topic:ports: evidence[0].quote: not found verbatim in source:note",
				// Without its member the relation has no ID, so the entity names it.
				"in.ftm.json:6: entity rel.3: member: x9 is no node entity of this file",
				`in.ftm.json:6: entity rel.3: endDate: date "2024-13" has month 13 outside 01–12`,
				"in.ftm.json:6: entity rel.3: evidence: required: at least one {source, quote}",
				`in.ftm.json:7: entity rel.4: summary: required: the relation type and confidence, e.g. "FUNDS; confidence HIGH"`,
			},
		},
		{
			name:    "duplicate relation",
			content: good + strings.Replace(link, `"rel.1"`, `"rel.2"`, 1) + "\n",
			wants:   []string{"in.ftm.json:5: " + rel + ": from/type/to: duplicate relation id, first defined at in.ftm.json:4; give one of them an explicit id"},
		},
		{
			name:    "not entities",
			content: good + "{\"id\":\"a\",\n" + `{"id":"b","schema":"Vessel","properties":{}}` + "\n" + `{"id":"country.peru","schema":"Person","properties":{}}` + "\n" + `{"schema":"Person"}` + "\n" + `{"id":"c","schema":"Person","properties":{"name":"Ana"}}` + "\n",
			wants: []string{
				"in.ftm.json:5: not a FollowTheMoney entity (a JSON object with id, schema and properties, each property a list of strings): unexpected end of JSON input",
				`in.ftm.json:6: entity b: schema "Vessel": not one the import reads; nodes: Article, Event, Note, Organization, Person, Project, PublicBody; links: Directorship, Employment, Membership, ProjectParticipant, UnknownLink`,
				"in.ftm.json:7: entity country.peru: id: repeated, first at line 1",
				"in.ftm.json:8: entity: id: required",
				"in.ftm.json:9: not a FollowTheMoney entity (a JSON object with id, schema and properties, each property a list of strings): json: cannot unmarshal string into Go struct field FtMEntity.properties of type []string",
			},
		},
		{
			name:    "source without a text",
			content: good + `{"id":"source.gone","schema":"Article","properties":{"name":["Gone"]}}` + "\n",
			wants: []string{"in.ftm.json:5: node source:gone: fileName: no text to check quotes against: the sources directory " + texts +
				" holds no gone.txt or gone.md, and the shipped dataset has no source:gone"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := ftmImportErr(t, tc.content, texts)
			if want := strings.Join(tc.wants, "\n"); got != want {
				t.Errorf("message:\n got\n%s\nwant\n%s", got, want)
			}
		})
	}
}

// TestImportFtMStatements: the links of one statement, one per concept,
// import as one statement about all of them; a link that breaks the
// statement format is reported at its line.
func TestImportFtMStatements(t *testing.T) {
	texts := writeFiles(t, t.TempDir(), map[string]string{"note.txt": "Peru attended the Lima summit. Ana said ports need checks."})
	const (
		nodes = `{"id":"country.peru","schema":"PublicBody","properties":{"name":["Peru"],"keywords":["Country","country:peru"],"jurisdiction":["pe"]}}` + "\n" +
			`{"id":"event.summit","schema":"Event","properties":{"name":["Lima summit"],"startDate":["2024-05-14"]}}` + "\n" +
			`{"id":"source.note","schema":"Article","properties":{"name":["Field note"],"sourceUrl":["https://example.org/note"]}}` + "\n" +
			`{"id":"person.ana","schema":"Person","properties":{"name":["Ana"]}}` + "\n" +
			`{"id":"topic.ports","schema":"Note","properties":{"name":["Ports"]}}` + "\n" +
			`{"id":"topic.checks","schema":"Note","properties":{"name":["Checks"]}}` + "\n"
		ports  = `{"id":"statement.ana-1.topic.ports","schema":"UnknownLink","properties":{"subject":["person.ana"],"object":["topic.ports"],"role":["supports"],"date":["2024-05-14"],"recordId":["statement:ana-1"],"summary":["STATEMENT; stance SUPPORTS; confidence HIGH","event: event:summit","onBehalfOf: country:peru"],"description":["Ana backs checks.","source:note: \"ports need checks\""],"proof":["source.note"],"sourceUrl":["https://example.org/note"]}}`
		checks = `{"id":"statement.ana-1.topic.checks","schema":"UnknownLink","properties":{"subject":["person.ana"],"object":["topic.checks"],"role":["supports"],"date":["2024-05-14"],"recordId":["statement:ana-1"],"summary":["STATEMENT; stance SUPPORTS; confidence HIGH","event: event:summit","onBehalfOf: country:peru"],"description":["Ana backs checks.","source:note: \"ports need checks\""],"proof":["source.note"],"sourceUrl":["https://example.org/note"]}}`
	)
	d, err := dataset.ImportFtM(dataset.FtMFile{Name: "in.ftm.json", Data: []byte(nodes + ports + "\n" + checks + "\n")}, texts)
	if err != nil {
		t.Fatalf("ImportFtM: got error\n%v\nwant nil", err)
	}
	want := &domain.Statement{ID: "statement:ana-1", Speaker: "person:ana", OnBehalfOf: "country:peru", About: []string{"topic:checks", "topic:ports"},
		Stance: domain.StanceSupports, Date: "2024-05-14", Event: "event:summit", Confidence: domain.ConfidenceHigh, Note: "Ana backs checks.",
		Evidence: domain.Evidence{SourceID: "source:note", Quote: "ports need checks"}}
	if len(d.Graph.Statements) != 1 || !domain.SameStatement(d.Graph.Statements[0], want) {
		t.Errorf("statements: got %+v, want [%+v]", d.Graph.Statements, want)
	}

	cases := []struct {
		name  string
		links []string
		wants []string
	}{
		{
			name:  "links of one statement disagree",
			links: []string{ports, strings.Replace(checks, "confidence HIGH", "confidence LOW", 1)},
			wants: []string{"in.ftm.json:8: statement statement:ana-1: differs from the link of the same statement at line 7 in more than its object; the links of one statement agree on all else"},
		},
		{
			name: "malformed statement link",
			links: []string{strings.NewReplacer(`"role":["supports"]`, `"role":["opposes"]`, `"recordId":["statement:ana-1"],`, ``).Replace(ports),
				strings.NewReplacer(`"event: event:summit"`, `"venue: Lima"`, `"Ana backs checks.",`, `"source:note: \"Peru attended\"",`, `stance SUPPORTS`, `stance MAYBE`).Replace(checks)},
			wants: []string{
				"in.ftm.json:7: entity statement.ana-1.topic.ports: recordId: required: the statement's ID (statement:slug)",
				`in.ftm.json:8: statement statement:ana-1: summary: "venue: Lima": want "event: ID" or "onBehalfOf: ID" beside the statement's stance and confidence`,
				`in.ftm.json:8: statement statement:ana-1: role: "supports" differs from the stance MAYBE; a statement link's role is its stance in words`,
				`in.ftm.json:8: statement statement:ana-1: description: 2 evidence values (source:id: "quote"), want one: a statement has one quote`,
				`in.ftm.json:8: statement statement:ana-1: summary: "MAYBE" is not SUPPORTS, OPPOSES or NEUTRAL`,
			},
		},
		{
			name:  "references and quote checked",
			links: []string{strings.NewReplacer(`"event: event:summit"`, `"event: event:gone"`, `ports need checks`, `ports need nothing`).Replace(ports)},
			wants: []string{
				"in.ftm.json:7: statement statement:ana-1: summary event: event:gone is not defined",
				"in.ftm.json:7: statement statement:ana-1: description: not found verbatim in source:note",
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := ftmImportErr(t, nodes+strings.Join(tc.links, "\n")+"\n", texts)
			if want := strings.Join(tc.wants, "\n"); got != want {
				t.Errorf("message:\n got\n%s\nwant\n%s", got, want)
			}
		})
	}
}
