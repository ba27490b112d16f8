package ingest_test

import (
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/ingest"
)

// shippedEngine builds an engine over the shipped graph's nodes.
func shippedEngine(tb testing.TB) *ingest.Engine {
	tb.Helper()
	g, err := dataset.Shipped()
	if err != nil {
		tb.Fatal(err)
	}
	v, err := ingest.ShippedVariants()
	if err != nil {
		tb.Fatal(err)
	}
	return ingest.New(g.Nodes, v)
}

func ingestText(tb testing.TB, e *ingest.Engine, text string) *ingest.Result {
	tb.Helper()
	res, err := e.Ingest(ingest.Document{SourceID: "source:test", Text: text})
	if err != nil {
		tb.Fatalf("Ingest: %v", err)
	}
	return res
}

func TestMentions(t *testing.T) {
	e := shippedEngine(t)
	type found struct{ text, id string }
	tests := []struct {
		name string
		text string
		want []found
	}{
		{"accents and case folded", "La Cancilleria y el MINISTERIO DE RELACIONES EXTERIORES hablaron.",
			[]found{{"Cancilleria", "organization:ministry-foreign-affairs-ecuador"}, {"MINISTERIO DE RELACIONES EXTERIORES", "organization:ministry-foreign-affairs-ecuador"}}},
		{"acronyms in Spanish and English", "La EUDA/OEDT y la UE.",
			[]found{{"EUDA", "organization:emcdda"}, {"OEDT", "organization:emcdda"}, {"UE", "organization:european-union"}}},
		{"an acronym only in capitals", "the eu and a ue are not names; the EU is.",
			[]found{{"EU", "organization:european-union"}}},
		{"no match inside a longer word", "Europolitan Ecuadorians met at Europol.",
			[]found{{"Europol", "organization:europol"}}},
		{"the longest name wins", "EL PAcCTO 2.0 follows EL PAcCTO.",
			[]found{{"EL PAcCTO 2.0", "programme:el-paccto-2"}, {"EL PAcCTO", "programme:el-paccto"}}},
		{"a name holding other names is one mention", "The Delegation of the European Union to Ecuador said so.",
			[]found{{"Delegation of the European Union to Ecuador", "organization:eu-delegation-ecuador"}}},
		{"a curated variant", "El Ministerio de Relaciones Exteriores firmó.",
			[]found{{"Ministerio de Relaciones Exteriores", "organization:ministry-foreign-affairs-ecuador"}}},
		{"a plus sign belongs to the name", "GLACY+ and Glacy+ are one programme.",
			[]found{{"GLACY+", "programme:glacy-plus"}, {"Glacy+", "programme:glacy-plus"}}},
		{"a general word alias is ignored", "Trafficking and prevention matter.", nil},
		{"a name before a known acronym in parentheses names the same node",
			"It is led by the International Ibero-American Foundation for Public Policies and Administrations (FIIAPP).",
			[]found{{"International Ibero-American Foundation for Public Policies and Administrations", "organization:fiiapp"}, {"FIIAPP", "organization:fiiapp"}}},
		{"one capitalised word before a known acronym is not enough", "The Agency (EUDA) and Europe (EU).",
			[]found{{"EUDA", "organization:emcdda"}, {"EU", "organization:european-union"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ingestText(t, e, tt.text)
			var got []found
			for _, m := range res.Mentions {
				if tt.text[m.Start:m.End] != m.Text {
					t.Errorf("mention %q: text[%d:%d] = %q", m.Text, m.Start, m.End, tt.text[m.Start:m.End])
				}
				got = append(got, found{m.Text, m.NodeID})
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCandidates(t *testing.T) {
	e := shippedEngine(t)
	text := "La Agencia Nacional de Tránsito (ANT) firmó un convenio. Luego el ministro Carlos Espinosa habló con la " +
		"Fiscalía General del Estado. The Global Gateway Initiative was presented at the Lima Security Summit, " +
		"and the Quito Declaration was adopted by Ecuador, Peru and Bolivia."
	res := ingestText(t, e, text)
	want := map[string]domain.Kind{
		"Agencia Nacional de Tránsito": domain.KindOrganization,
		"Carlos Espinosa":              domain.KindPerson,
		"Fiscalía General del Estado":  domain.KindOrganization,
		"Global Gateway Initiative":    domain.KindProgramme,
		"Lima Security Summit":         domain.KindEvent,
		"Quito Declaration":            domain.KindAgreement,
		"Peru":                         domain.KindCountry,
		"Bolivia":                      domain.KindCountry,
	}
	got := map[string]ingest.Candidate{}
	for _, c := range res.Candidates {
		got[c.Name] = c
		if text[c.Start:c.End] != c.Name {
			t.Errorf("candidate %q: text[%d:%d] = %q", c.Name, c.Start, c.End, text[c.Start:c.End])
		}
	}
	for name, kind := range want {
		c, ok := got[name]
		if !ok {
			t.Errorf("candidate %q not found; got %v", name, res.Candidates)
			continue
		}
		if c.Kind != kind || c.Reason == "" {
			t.Errorf("candidate %q: kind %s (reason %q), want %s with a reason", name, c.Kind, c.Reason, kind)
		}
	}
	if c := got["Agencia Nacional de Tránsito"]; !slices.Equal(c.Aliases, []string{"ANT"}) {
		t.Errorf("aliases of the agency: got %v, want [ANT]", c.Aliases)
	}
	if _, ok := got["Ecuador"]; ok {
		t.Error("a known node (Ecuador) was proposed as a candidate")
	}
}

// The candidate finder's rules, each on a short text: what is proposed
// (name, kind and aliases) is exactly the want list.
func TestCandidateRules(t *testing.T) {
	e := shippedEngine(t)
	type cand struct {
		name    string
		kind    domain.Kind
		aliases []string
	}
	tests := []struct {
		name string
		text string
		want []cand
	}{
		{"a sentence adverb before a list of countries is no country", "Thus, Ecuador and Peru strengthen their cooperation.",
			[]cand{{"Peru", domain.KindCountry, nil}}},
		{"capitalised words that only start sentences are no names",
			"Polls tell us that security matters. Leaders agreed. Expected results include training. Nuevas políticas fueron presentadas.", nil},
		{"months, weekdays and function words", "Today, Monday 27 February, the ministers met. En marzo, el lunes, según Ecuador, nada cambió.", nil},
		{"titles alone are no names, the name after one is a person's",
			"She met President Guillermo Lasso, Foreign Minister Juan Carlos Holguín and Defense Minister Luis Lara Jaramillo.",
			[]cand{{"Guillermo Lasso", domain.KindPerson, nil}, {"Luis Lara Jaramillo", domain.KindPerson, nil}}},
		{"an honorific abbreviation and a title after a comma",
			"Lo anunció el Sr. Fernández. Carlos Pérez, asesor del Ministerio del Interior, participó.",
			[]cand{{"Fernández", domain.KindPerson, nil}, {"Carlos Pérez", domain.KindPerson, nil}}},
		{"an ambassador, a Sra. and a policía", "La Sra. María López y el embajador Pierre Martin visitaron la Policía Judicial.",
			[]cand{{"María López", domain.KindPerson, nil}, {"Pierre Martin", domain.KindPerson, nil}, {"Policía Judicial", domain.KindOrganization, nil}}},
		{"a title of office before an institution goes, the institution stays",
			"The Director of the Servicio Nacional de Atención Integral, Colonel Pedro Ruiz, spoke. Later Colonel Ruiz left.",
			[]cand{{"Servicio Nacional de Atención Integral", domain.KindOrganization, nil}, {"Pedro Ruiz", domain.KindPerson, nil}}},
		{"an article inside a Spanish name, a verb starting the sentence outside it",
			"Anunció la Oficina de las Naciones Unidas contra la Droga y el Delito (ONUDD) un plan.",
			[]cand{{"Oficina de las Naciones Unidas contra la Droga y el Delito", domain.KindOrganization, []string{"ONUDD"}}}},
		{"known names joined by a hyphen before a name", "The EU-Ecuador Security Dialogue meets in October.",
			[]cand{{"EU-Ecuador Security Dialogue", domain.KindEvent, nil}}},
		{"a title does not reach past another name", "According to Minister Arana, the Global Gateway helps.",
			[]cand{{"Arana", domain.KindPerson, nil}}},
		{"a title-case headline proposes nothing but countries and acronyms",
			"EU And Peru Sign New Security Agreement To Fight Crime\nThe Federal Police will train officers.",
			[]cand{{"Peru", domain.KindCountry, nil}, {"Federal Police", domain.KindOrganization, nil}}},
		{"a title's description before a known person is no name",
			"The Belgian Minister of Interior, Institutional Reforms and Democratic Renewal Annelies Verlinden signed.", nil},
		{"a Spanish institution of several words is one organization", "La Fiscalía General del Estado abrió una investigación.",
			[]cand{{"Fiscalía General del Estado", domain.KindOrganization, nil}}},
		{"an institution named with connectors and known names inside",
			"Participaron el Servicio Nacional de Atención Integral y la Delegación de la UE en Colombia.",
			[]cand{{"Servicio Nacional de Atención Integral", domain.KindOrganization, nil}, {"Delegación de la UE en Colombia", domain.KindOrganization, nil}}},
		{"an acronym in parentheses is the alias of the name before it, also when used alone later",
			"El Servicio Europeo de Acción Exterior (SEAE) apoyó el evento. Luego el SEAE publicó un informe.",
			[]cand{{"Servicio Europeo de Acción Exterior", domain.KindOrganization, []string{"SEAE"}}}},
		{"the expansion of a known acronym names the known node", "El Servicio Nacional de Atención Integral (SNAI) y la Drug Demand Reduction (DDR).", nil},
		{"countries by their CLDR names in English and Spanish", "Delegations from El Salvador, the Dominican Republic, Lituania y Polonia.",
			[]cand{{"El Salvador", domain.KindCountry, nil}, {"Dominican Republic", domain.KindCountry, nil}, {"Lituania", domain.KindCountry, nil}, {"Polonia", domain.KindCountry, nil}}},
		{"a known name joined by a hyphen starts the name", "Leaders met at the EU-CELAC Summit in July.",
			[]cand{{"EU-CELAC Summit", domain.KindEvent, nil}}},
		{"another phase of a known programme", "COPOLAD II ran from 2016 to 2020.",
			[]cand{{"COPOLAD II", domain.KindProgramme, nil}}},
		{"regions, cities, currencies and demonyms are no stakeholders",
			"Latin America and the Caribbean (LAC) met in Brussels for EUR 15 million; her Ecuadorian counterpart came.", nil},
		{"a head word with an adjective of scope is a name, a head word with office words is not",
			"The Federal Police signed a Memorandum of Understanding with the Member States.",
			[]cand{{"Federal Police", domain.KindOrganization, nil}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ingestText(t, e, tt.text)
			var got []cand
			for _, c := range res.Candidates {
				if tt.text[c.Start:c.End] != c.Name {
					t.Errorf("candidate %q: text[%d:%d] = %q", c.Name, c.Start, c.End, tt.text[c.Start:c.End])
				}
				if c.Reason == "" {
					t.Errorf("candidate %q: no reason", c.Name)
				}
				got = append(got, cand{c.Name, c.Kind, c.Aliases})
			}
			if !slices.EqualFunc(got, tt.want, func(a, b cand) bool {
				return a.name == b.name && a.kind == b.kind && slices.Equal(a.aliases, b.aliases)
			}) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestStatements(t *testing.T) {
	e := shippedEngine(t)
	tests := []struct {
		name, text          string
		speaker, onBehalfOf string
		topics              []string
		stance              ingest.Stance
	}{
		{"Spanish verb after the quotation", "«Debemos reforzar la lucha contra el narcotráfico», afirmó Isabel Albornoz.",
			"person:isabel-albornoz", "", []string{"topic:drug-trafficking"}, ingest.StanceSupports},
		{"opposing cue wins", "Charles-Michel Geurts said that a strategy against drug trafficking based only on prohibition shows its limits.",
			"person:charles-michel-geurts", "", []string{"topic:drug-trafficking"}, ingest.StanceOpposes},
		{"pronoun takes the last person named", "Ylva Johansson arrived in Quito. She stated that cybercrime was discussed.",
			"person:ylva-johansson", "", []string{"topic:cybercrime"}, ingest.StanceNeutral},
		{"speaker on behalf of the organization of the title",
			"“The programme works,” said the Ambassador of the European Union to Ecuador, Charles-Michel Geurts, about EURESP.",
			"person:charles-michel-geurts", "organization:european-union", []string{"programme:euresp"}, ingest.StanceNeutral},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ingestText(t, e, tt.text)
			if len(res.Statements) == 0 {
				t.Fatalf("no statement in %q", tt.text)
			}
			st := res.Statements[len(res.Statements)-1]
			if st.Speaker != tt.speaker || st.OnBehalfOf != tt.onBehalfOf || !slices.Equal(st.Topics, tt.topics) || st.Stance != tt.stance {
				t.Errorf("got %s (for %q) on %v, %s; want %s (for %q) on %v, %s", st.Speaker, st.OnBehalfOf, st.Topics, st.Stance,
					tt.speaker, tt.onBehalfOf, tt.topics, tt.stance)
			}
			if tt.text[st.Start:st.End] != st.Quote || !domain.ContainsQuote(tt.text, st.Quote) || st.Reason == "" {
				t.Errorf("quote %q is not the sentence text[%d:%d] or has no reason", st.Quote, st.Start, st.End)
			}
		})
	}
}

// Every proposal the corpus gives passes the domain's rules, quotes its
// sentence verbatim and names its cue; statements name a speaker that is a
// person or organization and topics of the kinds a statement is about.
func TestProposalsPassTheRules(t *testing.T) {
	e := shippedEngine(t)
	g, err := dataset.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]domain.Kind{}
	for _, n := range g.Nodes {
		kinds[n.ID] = n.Kind
	}
	corpus := loadCorpus(t)
	for _, c := range corpus {
		res := ingestText(t, e, c.Text)
		for _, p := range res.Relations {
			r := p.Relation("source:test")
			if ps := r.Problems(); len(ps) > 0 {
				t.Errorf("%s: proposal %s breaks the rules: %v", c.Name, p.Key(), ps)
			}
			if ps := r.EndProblems(func(id string) bool { _, ok := kinds[id]; return ok }); len(ps) > 0 {
				t.Errorf("%s: proposal %s names unknown nodes: %v", c.Name, p.Key(), ps)
			}
			if c.Text[p.Start:p.End] != p.Quote || !domain.ContainsQuote(c.Text, p.Quote) {
				t.Errorf("%s: proposal %s: quote is not text[%d:%d]", c.Name, p.Key(), p.Start, p.End)
			}
			if p.Reason == "" || p.Confidence <= 0 || p.Confidence > 1 {
				t.Errorf("%s: proposal %s: reason %q, confidence %v", c.Name, p.Key(), p.Reason, p.Confidence)
			}
		}
		for _, s := range res.Statements {
			if k := kinds[s.Speaker]; k != domain.KindPerson && k != domain.KindOrganization {
				t.Errorf("%s: statement speaker %s is a %s", c.Name, s.Speaker, k)
			}
			for _, topic := range s.Topics {
				if k := kinds[topic]; k != domain.KindTopic && k != domain.KindProgramme && k != domain.KindAgreement {
					t.Errorf("%s: statement topic %s is a %s", c.Name, topic, k)
				}
			}
			if c.Text[s.Start:s.End] != s.Quote {
				t.Errorf("%s: statement quote is not text[%d:%d]", c.Name, s.Start, s.End)
			}
		}
	}
}

func TestIngestRefusesUnreadableText(t *testing.T) {
	e := shippedEngine(t)
	tests := []struct{ name, text, want string }{
		{"empty", "  \n ", "empty"},
		{"not UTF-8", "Ecuador \xff\xfe", "UTF-8"},
		{"too long", strings.Repeat("a", ingest.MaxTextBytes+1), "over the limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.Ingest(ingest.Document{Text: tt.text})
			if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(domain.ErrorMessage(err), tt.want) {
				t.Errorf("got %v (code %s), want EINVALID saying %q", err, domain.ErrorCode(err), tt.want)
			}
		})
	}
}

// One engine serves many ingestions at once (run with -race).
func TestIngestConcurrently(t *testing.T) {
	e := shippedEngine(t)
	text, err := os.ReadFile("testdata/corpus/roundtable-2023.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := ingestText(t, e, string(text))
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := e.Ingest(ingest.Document{Text: string(text)})
			if err != nil || len(got.Relations) != len(want.Relations) || len(got.Mentions) != len(want.Mentions) {
				errs <- "a concurrent ingestion gave a different result"
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// A decision is keyed so that the same relation, statement or candidate
// from another (overlapping) document is recognised as already decided.
func TestDecisionKeys(t *testing.T) {
	e := shippedEngine(t)
	one := ingestText(t, e, "Belgium and Ecuador strengthen police cooperation. «Debemos reforzar la lucha contra el narcotráfico», afirmó Isabel Albornoz. La Fiscalía General del Estado firmó.")
	two := ingestText(t, e, "Preámbulo nuevo. Ecuador and Belgium strengthen their cooperation. «Debemos reforzar la lucha contra el narcotráfico»,   afirmó Isabel Albornoz. La FISCALIA GENERAL DEL ESTADO habló.")
	keys := func(r *ingest.Result) map[string]bool {
		k := map[string]bool{}
		for _, p := range r.Relations {
			k[p.DecisionKey()] = true
		}
		for _, s := range r.Statements {
			k[s.DecisionKey()] = true
		}
		for _, c := range r.Candidates {
			k[c.DecisionKey()] = true
		}
		return k
	}
	k1, k2 := keys(one), keys(two)
	for _, want := range []string{"relation:country:belgium|COOPERATES_WITH|country:ecuador", "candidate:fiscalia general del estado"} {
		if !k1[want] || !k2[want] {
			t.Errorf("decision key %q: in first %v, in second %v", want, k1[want], k2[want])
		}
	}
	if len(one.Statements) != 1 || len(two.Statements) != 1 || one.Statements[0].DecisionKey() != two.Statements[0].DecisionKey() {
		t.Errorf("the same statement in two documents gives different keys: %v, %v", one.Statements, two.Statements)
	}
}
