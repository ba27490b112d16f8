package dataset_test

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
)

// statementFiles are baseFiles with a person who speaks at the round table.
func statementFiles(statements string) fstest.MapFS {
	files := baseFiles()
	files["people.yaml"] = &fstest.MapFile{Data: []byte("nodes:\n  - id: person:ana\n    name: Ana\n")}
	files["statements.yaml"] = &fstest.MapFile{Data: []byte(statements)}
	return files
}

func TestLoadStatements(t *testing.T) {
	d, err := dataset.LoadDataset(statementFiles(`statements:
  - speaker: person:ana
    onBehalfOf: country:ecuador
    about: [programme:eurofront]
    stance: SUPPORTS
    date: "2023-09"
    event: event:round-table
    confidence: HIGH
    source: source:art
    quote: "round table on “security”"
`), ".")
	if err != nil {
		t.Fatalf("Load: got error\n%v\nwant nil", err)
	}
	want := &domain.Statement{ID: domain.StatementID("person:ana", "round table on “security”"), Speaker: "person:ana",
		OnBehalfOf: "country:ecuador", About: []string{"programme:eurofront"}, Stance: domain.StanceSupports, Date: "2023-09",
		Event: "event:round-table", Confidence: domain.ConfidenceHigh,
		Evidence: domain.Evidence{SourceID: "source:art", Quote: "round table on “security”"}}
	if len(d.Graph.Statements) != 1 || !domain.SameStatement(d.Graph.Statements[0], want) {
		t.Fatalf("statements: got %+v, want %+v", d.Graph.Statements, want)
	}
}

func TestLoadStatementErrors(t *testing.T) {
	const head = "statements:\n  - id: statement:ana-1\n    speaker: person:ana\n"
	const rest = "    stance: SUPPORTS\n    confidence: HIGH\n    source: source:art\n    quote: Ecuador attended\n"
	cases := []struct {
		name  string
		data  string
		wants []string
	}{
		{"quote not verbatim", head + "    about: [programme:eurofront]\n    stance: SUPPORTS\n    confidence: HIGH\n    source: source:art\n    quote: Ecuador left\n",
			[]string{"statements.yaml:8: statement statement:ana-1: quote: not found verbatim in source:art"}},
		{"unknown concept and event", head + "    about: [topic:ports]\n    event: event:summit\n" + rest,
			[]string{"statements.yaml:4: statement statement:ana-1: about[0]: topic:ports is not defined",
				"statements.yaml:5: statement statement:ana-1: event: event:summit is not defined"}},
		{"about a country, stance unknown", head + "    about: [country:ecuador]\n    stance: AGREES\n    confidence: HIGH\n    source: source:art\n    quote: Ecuador attended\n",
			[]string{"statements.yaml:4: statement statement:ana-1: about[0]: must be topic, programme or agreement, got country:ecuador",
				`statements.yaml:5: statement statement:ana-1: stance: "AGREES" is not SUPPORTS, OPPOSES or NEUTRAL`}},
		{"unknown field", head + "    about: [programme:eurofront]\n    mood: happy\n" + rest,
			[]string{"statements.yaml:5: statement statement:ana-1: mood: unknown field; known fields: id, speaker,"}},
		{"duplicate id", head + "    about: [programme:eurofront]\n" + rest + "  - id: statement:ana-1\n    speaker: person:ana\n    about: [programme:eurofront]\n" + rest,
			[]string{"statements.yaml:9: statement statement:ana-1: id: duplicate statement id, first defined at statements.yaml:2"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			msg := loadErr(t, statementFiles(tc.data))
			lines := strings.Split(msg, "\n")
			for _, want := range tc.wants {
				if !slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, want) }) {
					t.Errorf("message: got\n%s\nwant a line starting %q", msg, want)
				}
			}
			if got, want := len(lines), len(tc.wants); got != want {
				t.Errorf("problems: got %d lines\n%s\nwant %d", got, msg, want)
			}
		})
	}
}

// TestShippedStatements holds the seed article's statements to its text and
// to the coding the dataset documents.
func TestShippedStatements(t *testing.T) {
	d := shipped(t)
	text, _ := d.SourceText(article)
	type coded struct {
		id, speaker string
		about       string
		stance      domain.Stance
	}
	var got []coded
	for _, s := range d.Graph.Statements {
		if !domain.ContainsQuote(text, s.Evidence.Quote) {
			t.Errorf("%s: quote %q is not in the article", s.ID, s.Evidence.Quote)
		}
		got = append(got, coded{s.ID, s.Speaker, strings.Join(s.About, " "), s.Stance})
	}
	want := []coded{
		{"statement:albornoz-eu-cooperation-2023", "person:isabel-albornoz", "agreement:eu-ecuador-security-cooperation-2023", domain.StanceSupports},
		{"statement:albornoz-shared-responsibility-2023", "person:isabel-albornoz", "topic:organised-crime", domain.StanceSupports},
		{"statement:geurts-limits-of-prohibition-2023", "person:charles-michel-geurts", "topic:organised-crime", domain.StanceSupports},
		{"statement:geurts-new-bilateral-projects-2023", "person:charles-michel-geurts", "programme:eu-ecuador-bilateral-projects-2023", domain.StanceSupports},
	}
	if !slices.Equal(got, want) {
		t.Errorf("shipped statements:\ngot  %v\nwant %v", got, want)
	}
	// Written back out and loaded again, they are the same.
	dir := t.TempDir() + "/out"
	if err := dataset.WriteDir(d, dir, "test"); err != nil {
		t.Fatal(err)
	}
	back, err := dataset.LoadFilesDataset(dir)
	if err != nil {
		t.Fatalf("reloading the written dataset: %v", err)
	}
	if !slices.EqualFunc(back.Graph.Statements, d.Graph.Statements, domain.SameStatement) {
		t.Errorf("statements after WriteDir and load: got %v, want %v", back.Graph.Statements, d.Graph.Statements)
	}
}
