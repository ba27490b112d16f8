package dataset_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// The audit of the shipped dataset found classes of error; each test here
// keeps one class from coming back.

// articleHeadlines are passages of the article's page that are headlines of
// other articles linked from it, not reporting on the round table.
var articleHeadlines = []string{
	"With the European Union, mechanisms are sought to strengthen the banana value chain: “Safety must be dealt with co-responsibility, separating the product from the transnational problem that affects everyone”",
	"The banana cluster requires security in export and not to damage the image of the industry",
}

// euMemberStates are the ISO 3166-1 codes of the 27 EU member states.
var euMemberStates = []string{"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
	"IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}

const eu = "organization:european-union"

// TestShippedOneHolderPerOffice: an office (organization and role) has at
// most one holder on any day, and every position is dated.
func TestShippedOneHolderPerOffice(t *testing.T) {
	g := shipped(t).Graph
	offices := map[[2]string][]*domain.Relation{}
	for _, r := range g.Relations {
		if r.Type != domain.RelHoldsPosition {
			continue
		}
		if r.Start == "" {
			t.Errorf("position %s: got no start, want every position dated from a source", r.ID)
		}
		if r.Role == "" {
			t.Errorf("position %s: got no role, want the office named", r.ID)
		}
		key := [2]string{r.To, r.Role}
		offices[key] = append(offices[key], r)
	}
	if len(offices) < 5 {
		t.Fatalf("offices: got %d, want the dataset's positions (at least 5)", len(offices))
	}
	for office, holders := range offices {
		for i, a := range holders {
			for _, b := range holders[i+1:] {
				if a.From != b.From && a.OverlapsInTime(b) {
					t.Errorf("office %s at %s: got %s (%s–%s) and %s (%s–%s) in office on the same day, want one holder at a time",
						office[1], office[0], a.From, a.Start, a.End, b.From, b.Start, b.End)
				}
			}
		}
	}
}

// TestShippedNoRelationBeforeItsNodes: no relation starts before an
// organization at either end exists (an office headed before its ministry
// existed). Programmes and agreements are dated from their launch or
// signing, which negotiations and signatures precede, so they are not held
// to this.
func TestShippedNoRelationBeforeItsNodes(t *testing.T) {
	ix := newIndex(t, shipped(t).Graph)
	for _, r := range ix.all {
		if r.Start == "" {
			continue
		}
		for _, id := range []string{r.From, r.To} {
			n := ix.node(t, id)
			if n.Kind == domain.KindOrganization && n.Start != "" && r.Start.Before(n.Start) {
				t.Errorf("relation %s: got start %s before %s starts (%s), want it no earlier", r.ID, r.Start, id, n.Start)
			}
		}
	}
}

// TestShippedNoHighFromHeadlines: the article's headlines of other articles
// are not reporting on the round table, so no HIGH relation rests on them.
func TestShippedNoHighFromHeadlines(t *testing.T) {
	d := shipped(t)
	text, _ := d.SourceText(article)
	for _, h := range articleHeadlines {
		if !domain.ContainsQuote(text, h) {
			t.Fatalf("headline %q: got none in the article, want this list to match its text", h)
		}
	}
	for _, r := range d.Graph.Relations {
		if r.Confidence != domain.ConfidenceHigh {
			continue
		}
		for _, e := range r.Evidence {
			if e.SourceID != article {
				continue
			}
			for _, h := range articleHeadlines {
				if strings.Contains(h, e.Quote) || strings.Contains(e.Quote, h) {
					t.Errorf("relation %s: got HIGH citing the headline %q, want LOW with a note, or no relation", r.ID, e.Quote)
				}
			}
		}
	}
}

// isSlug reports whether quote is a piece of its source's URL (a headline as
// it appears in the address) rather than a statement.
func isSlug(quote, url string) bool {
	return url != "" && !strings.ContainsAny(quote, " \t") && strings.Contains(url, quote)
}

// TestShippedConfidenceRules: an inferred relation, or one whose only
// evidence is URL slugs, is LOW; a LOW relation says why in its note.
func TestShippedConfidenceRules(t *testing.T) {
	ix := newIndex(t, shipped(t).Graph)
	for _, r := range ix.all {
		inferred := strings.HasPrefix(r.Note, "Inferred")
		slugsOnly := !slices.ContainsFunc(r.Evidence, func(e domain.Evidence) bool {
			return !isSlug(e.Quote, ix.node(t, e.SourceID).URL)
		})
		switch {
		case inferred && r.Confidence != domain.ConfidenceLow:
			t.Errorf("relation %s: got %s with an inferred note, want LOW", r.ID, r.Confidence)
		case slugsOnly && r.Confidence != domain.ConfidenceLow:
			t.Errorf("relation %s: got %s on URL slugs alone, want LOW", r.ID, r.Confidence)
		case r.Confidence == domain.ConfidenceLow && strings.TrimSpace(r.Note) == "":
			t.Errorf("relation %s: got LOW without a note, want the reason", r.ID)
		}
	}
}

// TestShippedEUMembership: every EU member state in the graph is MEMBER_OF
// the EU, and no other country is.
func TestShippedEUMembership(t *testing.T) {
	ix := newIndex(t, shipped(t).Graph)
	members := 0
	for _, n := range ix.nodes {
		if n.Kind != domain.KindCountry {
			continue
		}
		_, member := ix.rels[domain.RelationID(n.ID, domain.RelMemberOf, eu)]
		want := slices.Contains(euMemberStates, n.ISOCode)
		if member != want {
			t.Errorf("%s (%s) MEMBER_OF %s: got %v, want %v", n.ID, n.ISOCode, eu, member, want)
		}
		if member {
			members++
		}
	}
	if members < 12 {
		t.Errorf("member states: got %d, want at least the 12 the dataset names", members)
	}
}

// TestShippedOneSourcePerDocument: no two sources are the same document
// (same address), and the article has its address.
func TestShippedOneSourcePerDocument(t *testing.T) {
	ix := newIndex(t, shipped(t).Graph)
	byURL := map[string]string{}
	for _, n := range ix.nodes {
		if n.Kind != domain.KindSource || n.URL == "" {
			continue
		}
		if other, ok := byURL[n.URL]; ok {
			t.Errorf("sources %s and %s: got the same URL %s, want one source per document", other, n.ID, n.URL)
		}
		byURL[n.URL] = n.ID
	}
	if ix.node(t, article).URL == "" {
		t.Errorf("%s url: got none, want the address the article is published at", article)
	}
}

// TestShippedReviewedWhileCurrent: a programme or agreement an event
// reviewed as current does not end before the event.
func TestShippedReviewedWhileCurrent(t *testing.T) {
	ix := newIndex(t, shipped(t).Graph)
	for _, r := range ix.all {
		if r.Type != domain.RelReviewed {
			continue
		}
		ev, venue := ix.node(t, r.From), ix.node(t, r.To)
		if venue.End != "" && ev.Start != "" && venue.End.Latest() < ev.Start.Earliest() {
			t.Errorf("%s: got %s ending %s before %s reviewed it (%s), want dates that agree", r.ID, venue.ID, venue.End, ev.ID, ev.Start)
		}
	}
}

// TestShippedSucceededStatusesEnd: when an agreement is succeeded by
// another, its parties' statuses end once the successor's begin, so no
// status of the old one runs on forever beside the new one.
func TestShippedSucceededStatusesEnd(t *testing.T) {
	ix := newIndex(t, shipped(t).Graph)
	starts := map[string]domain.PartialDate{} // agreement → earliest dated PARTY_TO start
	for _, r := range ix.all {
		if r.Type == domain.RelPartyTo && r.Start != "" && (starts[r.To] == "" || r.Start.Before(starts[r.To])) {
			starts[r.To] = r.Start
		}
	}
	checked := 0
	for _, s := range ix.all {
		if s.Type != domain.RelSucceededBy || ix.node(t, s.From).Kind != domain.KindAgreement {
			continue
		}
		next := starts[s.To]
		if next == "" {
			t.Errorf("%s: got a successor with no dated party, want its start known", s.ID)
			continue
		}
		for _, r := range ix.all {
			if r.Type != domain.RelPartyTo || r.To != s.From {
				continue
			}
			checked++
			if r.End == "" || next.Before(r.End) {
				t.Errorf("%s: got end %q, want it to end by %s, when its successor %s begins", r.ID, r.End, next, s.To)
			}
		}
	}
	if checked == 0 {
		t.Errorf("succeeded agreements: got no parties checked, want the EMCDDA memorandum's")
	}
}

// TestShippedAttendanceQuotes: an attendance taken from the article quotes
// the words that say so, not only the list of names before them.
func TestShippedAttendanceQuotes(t *testing.T) {
	said := []string{"participated in the technical table", "was present for"}
	for _, r := range shipped(t).Graph.Relations {
		if r.Type != domain.RelAttended || r.To != "event:iii-round-table-2023" || r.Confidence != domain.ConfidenceHigh {
			continue
		}
		if !slices.ContainsFunc(r.Evidence, func(e domain.Evidence) bool {
			return e.SourceID == article && slices.ContainsFunc(said, func(s string) bool { return strings.Contains(e.Quote, s) })
		}) {
			t.Errorf("relation %s: got quotes %v, want one that says it attended (%q)", r.ID, r.Evidence, said)
		}
	}
}
