package ingest

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// Candidate is a proper name or acronym the graph does not know, with the
// kind the engine suggests for it and the cue that suggested it.
type Candidate struct {
	Name    string      `json:"name"`
	Aliases []string    `json:"aliases,omitempty"` // an acronym given with it: "Servicio Europeo de Acción Exterior (EEAS)"
	Kind    domain.Kind `json:"kind"`
	Reason  string      `json:"reason"`
	Start   int         `json:"start"` // the first occurrence
	End     int         `json:"end"`
	Count   int         `json:"count"`
}

// DecisionKey identifies the candidate for the review queue: its name
// folded (case and accents), so "Fiscalía General" and "FISCALIA GENERAL"
// are one decision.
func (c Candidate) DecisionKey() string {
	return "candidate:" + strings.Join(domain.Tokens(c.Name), " ")
}

//go:embed candidates.yaml
var candidateWordsYAML []byte

// wordSet is a set of folded words and phrases ("sin embargo" is two
// tokens joined by a space).
type wordSet map[string]bool

// phraseAt returns how many tokens from i spell a phrase of the set (the
// longest, up to four), or 0.
func (s wordSet) phraseAt(toks []token, i int) int {
	key := ""
	best := 0
	for n := 1; n <= 4 && i+n <= len(toks); n++ {
		if n > 1 {
			key += " "
		}
		key += toks[i+n-1].fold
		if s[key] {
			best = n
		}
	}
	return best
}

// candidateWords are the word lists of candidates.yaml, folded, and the
// country names of CLDR.
type candidateWords struct {
	notNames, honorifics, titles, generic, notAcronyms, places, demonyms, connectors, stateHeads wordSet
	scope                                                                                        wordSet // adjectives of scope among the generic words
	heads                                                                                        map[string]domain.Kind
	countries                                                                                    wordSet
}

// words is read once from the embedded candidates.yaml; its test proves it
// parses, so a failure here is a build mistake.
var words = mustCandidateWords()

func mustCandidateWords() *candidateWords {
	w, err := loadCandidateWords(candidateWordsYAML)
	if err != nil {
		panic(err)
	}
	return w
}

func loadCandidateWords(b []byte) (*candidateWords, error) {
	var raw struct {
		FunctionWords map[string][]string                  `yaml:"functionWords"`
		Months        map[string][]string                  `yaml:"months"`
		Weekdays      map[string][]string                  `yaml:"weekdays"`
		Honorifics    []string                             `yaml:"honorifics"`
		Titles        []string                             `yaml:"titles"`
		GenericWords  struct{ Nouns, Adjectives []string } `yaml:"genericWords"`
		NotAcronyms   []string                             `yaml:"notAcronyms"`
		PlaceWords    []string                             `yaml:"placeWords"`
		Demonyms      []string                             `yaml:"demonyms"`
		Connectors    []string                             `yaml:"connectors"`
		Heads         map[domain.Kind][]string             `yaml:"heads"`
		StateHeads    []string                             `yaml:"stateHeads"`
	}
	if err := yaml.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("candidates.yaml: %w", err)
	}
	if len(raw.FunctionWords["en"]) == 0 || len(raw.FunctionWords["es"]) == 0 || len(raw.Heads) == 0 {
		return nil, fmt.Errorf("candidates.yaml: function words of English and Spanish and head words required")
	}
	var notNames []string
	for _, lists := range []map[string][]string{raw.FunctionWords, raw.Months, raw.Weekdays} {
		for _, l := range lists {
			notNames = append(notNames, l...)
		}
	}
	set := func(l ...[]string) wordSet {
		var all []string
		for _, x := range l {
			all = append(all, x...)
		}
		return wordSet(foldedSet(all))
	}
	w := &candidateWords{
		notNames:    set(notNames),
		honorifics:  set(raw.Honorifics),
		titles:      set(raw.Titles, positionTitles, representativeTitles),
		generic:     set(raw.GenericWords.Nouns, raw.GenericWords.Adjectives),
		scope:       set(raw.GenericWords.Adjectives),
		notAcronyms: set(raw.NotAcronyms),
		places:      set(raw.PlaceWords),
		demonyms:    set(raw.Demonyms),
		connectors:  set(raw.Connectors),
		stateHeads:  set(raw.StateHeads),
		heads:       map[string]domain.Kind{},
		countries:   countryNames(),
	}
	for kind, l := range raw.Heads {
		if !kind.Valid() {
			return nil, fmt.Errorf("candidates.yaml: heads: unknown kind %q", kind)
		}
		for h := range foldedSet(l) {
			w.heads[h] = kind
		}
	}
	return w, nil
}

// countryNames are the English and Spanish names of every country CLDR
// knows (golang.org/x/text/language/display), folded: "Dominican
// Republic", "República Dominicana", "Perú", "Lituania".
func countryNames() wordSet {
	en, es := display.English.Regions(), display.Spanish.Regions()
	out := wordSet{}
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			r, err := language.ParseRegion(string([]rune{a, b}))
			if err != nil || !r.IsCountry() {
				continue
			}
			for _, name := range []string{en.Name(r), es.Name(r)} {
				if i := strings.IndexAny(name, "(,"); i > 0 {
					name = name[:i] // "Myanmar (Burma)", "Korea, North"
				}
				if f := strings.Join(domain.Tokens(name), " "); f != "" {
					out[f] = true
				}
			}
		}
	}
	return out
}

func (w *candidateWords) isHead(t token) bool { _, ok := w.heads[t.fold]; return ok }

// nameLike reports whether a token may be a word of a person's name: not a
// function word, title, office word, head word, place or demonym.
func (w *candidateWords) nameLike(t token) bool {
	f := t.fold
	return t.capital && !w.notNames[f] && !w.titles[f] && !w.honorifics[f] && !w.generic[f] && !w.isHead(t) &&
		!w.places[f] && !w.demonyms[f] && !isNumberLike(t)
}

// nameGap reports whether the characters between two words may sit inside
// a proper name: spaces, a hyphen or an apostrophe.
func nameGap(gap string) bool {
	return strings.Trim(gap, " -'’") == "" && !strings.Contains(gap, "\n")
}

// candidateScan is the state of one pass over a document's tokens.
type candidateScan struct {
	d         *docState
	w         *candidateWords
	covered   []bool
	mentionAt map[int]Mention // mentions by their first token
	coverOf   []int           // for a covered token, the first token of its mention
	sentStart map[int]bool
	sentOf    []int        // each token's sentence's first token
	headline  map[int]bool // sentences (by first token) in title case
	midCaps   map[string]int
	byName    map[string]*Candidate
	order     []string
}

func (s *candidateScan) gap(a, b int) string { return s.d.text[s.d.toks[a].end:s.d.toks[b].start] }

// candidates finds unknown proper names: runs of capitalised words (with
// connectors such as "de", "of" inside) and acronyms that no mention
// covers, less function words, months, titles and places
// (candidates.yaml). Each is kept only when a cue suggests its kind: a
// country's name (CLDR), a head word ("Ministerio", "Agency", "Programme",
// "Summit", "Agreement"), a title or honorific before it or after a comma
// ("President Guillermo Lasso", "Carlos Espinosa, asesor"), two to four
// capitalised words inside a sentence (a person), or a single word or
// acronym used as a name. An acronym in parentheses after a name is that
// name's alias; one after a known name is the known node's and no
// candidate.
func (e *Engine) candidates(d *docState) []Candidate {
	s := &candidateScan{d: d, w: words, covered: make([]bool, len(d.toks)), mentionAt: map[int]Mention{},
		coverOf: make([]int, len(d.toks)), sentStart: map[int]bool{}, sentOf: make([]int, len(d.toks)),
		midCaps: map[string]int{}, byName: map[string]*Candidate{}, headline: map[int]bool{}}
	for _, m := range d.mentions {
		s.mentionAt[m.first] = m
		for t := m.first; t < m.last; t++ {
			s.covered[t], s.coverOf[t] = true, m.first
		}
	}
	for _, r := range d.sentTok {
		s.sentStart[r[0]] = true
		words, caps, capitalFunction := 0, 0, false
		for t := r[0]; t < r[1] && t < len(d.toks); t++ {
			s.sentOf[t] = r[0]
			if tok := d.toks[t]; !isNumberLike(tok) && !tok.upper {
				words++
				if tok.capital {
					caps++
					capitalFunction = capitalFunction || t > r[0] && words > 1 && s.w.notNames[tok.fold] && !s.covered[t]
				}
			}
		}
		// "EU And Ecuador Sign New Security Agreement To Fight …": in a
		// title-case headline capitals say nothing about names.
		s.headline[r[0]] = words >= 4 && 4*caps >= 3*words && capitalFunction
	}
	// "Drug Demand Reduction (DDR)": the acronym of a known name is no
	// candidate, unless the known name ends a longer one ("Centro … de
	// España (CESEDEN)").
	for _, m := range d.mentions {
		if m.first > 0 && d.toks[m.first-1].fold != "" && s.w.connectors[d.toks[m.first-1].fold] && nameGap(s.gap(m.first-1, m.first)) {
			continue
		}
		if a, ok := s.acronymAfter(m.last); ok {
			s.covered[a], s.coverOf[a] = true, m.first
		}
	}
	// Words capitalised on their own inside a sentence, not as part of a
	// longer name ("Eurojust has …", not "Drug" of "Drug Demand Reduction").
	joined := func(a, b int) bool {
		return a >= 0 && b < len(d.toks) && nameGap(s.gap(a, b)) && (s.covered[a] || d.toks[a].capital) && (s.covered[b] || d.toks[b].capital)
	}
	for t, tok := range d.toks {
		if tok.capital && !s.covered[t] && !s.sentStart[t] && !joined(t-1, t) && !joined(t, t+1) {
			s.midCaps[tok.fold]++
		}
	}
	s.phases()
	for t := 0; t < len(d.toks); {
		t = s.scan(t)
	}
	return s.result()
}

// acronymAfter returns the token of an acronym in parentheses right after
// token end-1: "… (EEAS)".
func (s *candidateScan) acronymAfter(end int) (int, bool) {
	toks := s.d.toks
	if end <= 0 || end >= len(toks) || s.covered[end] || !toks[end].upper || len([]rune(toks[end].fold)) < 2 {
		return 0, false
	}
	if strings.TrimSpace(s.gap(end-1, end)) != "(" {
		return 0, false
	}
	if end+1 < len(toks) && !strings.HasPrefix(strings.TrimSpace(s.gap(end, end+1)), ")") {
		return 0, false
	}
	return end, true
}

// phases proposes an earlier or later phase of a known programme, named by
// the programme and a Roman numeral the graph does not spell: "COPOLAD I".
func (s *candidateScan) phases() {
	toks := s.d.toks
	for _, m := range s.d.mentions {
		n := m.last
		if m.Kind != domain.KindProgramme || n >= len(toks) || s.covered[n] || !toks[n].upper ||
			strings.Trim(toks[n].fold, "ivx") != "" || s.gap(n-1, n) != " " {
			continue
		}
		s.covered[n] = true
		s.add(Candidate{Name: s.d.text[toks[m.first].start:toks[n].end], Kind: domain.KindProgramme,
			Reason: "another phase of a known programme", Start: toks[m.first].start, End: toks[n].end})
	}
}

// scan reads the name (if any) that starts at token t and returns where
// to go on.
func (s *candidateScan) scan(t int) int {
	d, w, toks := s.d, s.w, s.d.toks
	tok := toks[t]
	if s.covered[t] || !tok.capital || isNumberLike(tok) {
		return t + 1
	}
	end := s.extend(t)
	if n := w.countries.phraseAt(toks, t); n > 0 && t+n <= end && (!s.hasHead(t+n, end) || s.headline[s.sentOf[t]]) {
		// "El Salvador", "Dominican Republic", "Lituania y Polonia".
		s.add(s.candidate(t, t+n, domain.KindCountry, "a country's name"))
		return t + n
	}
	if w.notNames[tok.fold] || w.notNames.phraseAt(toks, t) > 1 {
		return t + 1
	}
	if s.headline[s.sentOf[t]] && !(end == t+1 && tok.upper) {
		return end
	}
	// "Participaron el Servicio …", "Anunció la Fiscalía …": a word that
	// starts a sentence and is followed by an article is not part of the name.
	if s.sentStart[t] && !w.isHead(tok) && t+1 < end && articles[toks[t+1].fold] {
		return t + 1
	}
	// "Interior Minister Juan Zapata", "Institutional Reforms and Democratic
	// Renewal Annelies Verlinden": words right before a known person's name
	// describe the person.
	if end < len(toks) && s.covered[end] && s.mentionAt[s.coverOf[end]].Kind == domain.KindPerson && s.gap(end-1, end) == " " {
		return end
	}
	// "International Ibero-American Foundation … (FIIAPP)": the expansion
	// of a known acronym names the known node.
	if end < len(toks) && s.covered[end] && strings.TrimSpace(s.gap(end-1, end)) == "(" && toks[end].upper {
		return end
	}
	end = s.splitConjunction(t, end)
	if k := s.officeOf(t, end); k > t {
		return k // "Director of the Servicio Nacional …": the title goes, the body is read on its own
	}
	start := t
	kind, reason := domain.Kind(""), ""
	if !s.hasHead(t, end) {
		// "President Guillermo Lasso", "Spanish Secretary of State for
		// International Cooperation Pilar Cancela": the title goes.
		k, title := t, ""
		for ; k < end && (w.demonyms[toks[k].fold] || w.titles[toks[k].fold] || w.honorifics[toks[k].fold] ||
			w.generic[toks[k].fold] || w.connectors[toks[k].fold]); k++ {
			if w.titles[toks[k].fold] || w.honorifics[toks[k].fold] {
				title = d.text[toks[k].start:toks[k].end]
			}
		}
		if title == "" && k > t {
			title = s.titleBefore(t)
		}
		if title != "" && k > t {
			if k == end {
				return end // a title alone: "Foreign Minister"
			}
			start = k
			kind, reason = domain.KindPerson, "title \""+title+"\" before it"
		}
	}
	if kind == domain.KindPerson {
		if !s.personName(start, end, 2) {
			return start // what follows the title is read on its own: "Minister of Justice of Peru"
		}
		s.add(s.candidate(start, end, kind, reason))
		return end
	}
	aliasTok, hasAlias := s.acronymAfter(end)
	kind, reason = s.suggestKind(t, end)
	if kind == "" {
		return end
	}
	c := s.candidate(t, end, kind, reason)
	if end-t > 1 || kind != domain.KindOrganization {
		c = s.withHyphenPrefix(c, t, end)
	}
	if hasAlias && end-t > 1 {
		c.Aliases = append(c.Aliases, d.text[toks[aliasTok].start:toks[aliasTok].end])
		s.covered[aliasTok] = true
	}
	s.add(c)
	return end
}

// officeOf returns where the body starts in a run that opens with a title
// of office in it ("Director of the Servicio Nacional …", "jefe de la
// Misión …"), or t when the run does not.
func (s *candidateScan) officeOf(t, end int) int {
	w, toks := s.w, s.d.toks
	if !s.hasHead(t, end) {
		return t
	}
	k, title := t, false
	for ; k < end && !w.isHead(toks[k]) && (w.titles[toks[k].fold] || w.generic[toks[k].fold] || w.demonyms[toks[k].fold]); k++ {
		title = title || w.titles[toks[k].fold]
	}
	if !title || k == t || k >= end || !w.connectors[toks[k].fold] {
		return t
	}
	for k < end && w.connectors[toks[k].fold] {
		k++
	}
	return k
}

// extend returns the end of the run of name words from t: capitalised
// words and connectors between them; under a head word ("Unidad de
// EUROPOL de la Policía Nacional"), known names joined by a connector too.
func (s *candidateScan) extend(t int) int {
	w, toks := s.w, s.d.toks
	head := w.isHead(toks[t])
	end := t + 1
	for end < len(toks) && nameGap(s.gap(end-1, end)) {
		tok := toks[end]
		switch {
		case !s.covered[end] && tok.capital && !w.notNames[tok.fold] && !isNumberLike(tok):
			head = head || w.isHead(tok)
			end++
			continue
		case s.covered[end] && head && w.connectors[toks[end-1].fold]:
			m := s.mentionAt[s.coverOf[end]]
			if m.first == end {
				end = m.last
				continue
			}
		case w.connectors[tok.fold] && end+1 < len(toks) && nameGap(s.gap(end, end+1)):
			next := toks[end+1]
			if (!s.covered[end+1] && (next.capital || w.connectors[next.fold]) && !w.places[next.fold]) || (s.covered[end+1] && head) {
				end++
				continue
			}
		}
		break
	}
	for end > t+1 && w.connectors[toks[end-1].fold] {
		end--
	}
	return end
}

// hasHead reports whether a head word is among tokens [t, end).
func (s *candidateScan) hasHead(t, end int) bool {
	for k := t; k < end; k++ {
		if !s.covered[k] && s.w.isHead(s.d.toks[k]) {
			return true
		}
	}
	return false
}

// splitConjunction ends the run before "and"/"y" when what follows is a
// name of its own: always when no head word comes before (people and
// countries are not named with "and"), else when a head word, a title or a
// known name follows, after an article or not ("Centro … y la Delegación
// …").
func (s *candidateScan) splitConjunction(t, end int) int {
	w, toks := s.w, s.d.toks
	for k := t + 1; k+1 < end; k++ {
		switch toks[k].fold {
		case "and", "y", "e", "et":
		default:
			continue
		}
		next, after := k+1, k+1
		if articles[toks[next].fold] && next+1 < end {
			after = next + 1 // "y la Delegación …", not "contra la Droga y el Delito"
		}
		if !s.hasHead(t, k) || w.isHead(toks[after]) || w.titles[toks[after].fold] || w.honorifics[toks[after].fold] || s.covered[after] {
			return k
		}
	}
	return end
}

// withHyphenPrefix adds a known name joined by a hyphen before the run:
// "EU-LAC Partnership", "EU-CELAC Summit".
func (s *candidateScan) withHyphenPrefix(c Candidate, t, end int) Candidate {
	if k := s.hyphenPrefix(t); k < t {
		c.Start = s.d.toks[k].start
		c.Name = s.d.text[c.Start:c.End]
	}
	return c
}

// hyphenPrefix returns the first token of the known names joined by
// hyphens right before t ("EU-CELAC Summit"), also when a space parts them
// from t ("EU-Ecuador Security Dialogue"), or t.
func (s *candidateScan) hyphenPrefix(t int) int {
	chain := func(k int) int {
		for k > 0 && s.covered[k-1] && s.gap(k-1, k) == "-" {
			k = s.coverOf[k-1]
		}
		return k
	}
	if k := chain(t); k < t {
		return k
	}
	if t > 0 && s.covered[t-1] && s.gap(t-1, t) == " " {
		if m := s.coverOf[t-1]; chain(m) < m {
			return chain(m)
		}
	}
	return t
}

// suggestKind suggests the kind of the run of tokens [t, end) from its
// words alone, or "" to drop it.
func (s *candidateScan) suggestKind(t, end int) (domain.Kind, string) {
	w, d, toks := s.w, s.d, s.d.toks
	run := toks[t:end]
	if len(run) == 1 && run[0].upper && len([]rune(run[0].fold)) >= 2 && len([]rune(run[0].fold)) <= 8 {
		if w.notAcronyms[run[0].fold] || w.places[run[0].fold] {
			return "", ""
		}
		return domain.KindOrganization, "acronym"
	}
	generic, head, scope := true, false, false
	for k := t; k < end; k++ {
		f := toks[k].fold
		head = head || w.isHead(toks[k])
		scope = scope || w.scope[f]
		if s.covered[k] || !w.connectors[f] && !w.generic[f] && !w.titles[f] && !w.honorifics[f] && !w.isHead(toks[k]) && !w.notNames[f] {
			generic = false
		}
	}
	if generic && !(head && (scope && end-t > 1 || s.hyphenPrefix(t) < t)) {
		return "", "" // "Memorandum of Understanding", "Member States", "Agency"; not "Federal Police", "EU-CELAC Summit"
	}
	if k := s.headOf(t, end); k >= 0 {
		return w.heads[toks[k].fold], "head word \"" + d.text[toks[k].start:toks[k].end] + "\""
	}
	for k := t; k < end; k++ {
		if w.places[toks[k].fold] || w.places.phraseAt(toks, k) > 1 {
			return "", ""
		}
	}
	for k := t; k < end; k++ {
		if w.stateHeads[toks[k].fold] {
			return domain.KindCountry, "head word \"" + d.text[toks[k].start:toks[k].end] + "\""
		}
	}
	if title := s.titleBefore(t); title != "" && s.personName(t, end, 1) {
		return domain.KindPerson, "title \"" + title + "\" before it"
	}
	if title := s.titleAfter(end); title != "" && s.personName(t, end, 2) {
		return domain.KindPerson, "title \"" + title + "\" after it"
	}
	if len(run) >= 2 && len(run) <= 4 && !s.sentStart[t] && s.personName(t, end, 2) {
		return domain.KindPerson, "a name of several capitalised words"
	}
	if len(run) == 1 && !w.demonyms[run[0].fold] && s.midCaps[run[0].fold] >= 1 && s.midCaps[run[0].fold]+boolInt(s.sentStart[t]) >= 2 {
		return domain.KindOrganization, "a proper name repeated"
	}
	return "", ""
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// headOf returns the token that decides the run's kind, or -1: the last
// head word before the first connector ("Foreign Affairs Council",
// "Servicio Europeo de …"), else the first head word.
func (s *candidateScan) headOf(t, end int) int {
	w, toks := s.w, s.d.toks
	best := -1
	for k := t; k < end && !w.connectors[toks[k].fold]; k++ {
		if !s.covered[k] && w.isHead(toks[k]) {
			best = k
		}
	}
	if best >= 0 {
		return best
	}
	for k := t; k < end; k++ {
		if !s.covered[k] && w.isHead(toks[k]) {
			return k
		}
	}
	return -1
}

// personName reports whether tokens [t, end) can be a person's name: min
// to four words that may be part of a name, with particles ("de La",
// "van") between them.
func (s *candidateScan) personName(t, end, min int) bool {
	w, toks := s.w, s.d.toks
	words := 0
	for k := t; k < end; k++ {
		switch {
		case s.covered[k]:
			return false
		case w.nameLike(toks[k]):
			words++
		case w.connectors[toks[k].fold] && k > t && k < end-1:
		default:
			return false
		}
	}
	if words >= 2 && toks[t].fold == toks[end-1].fold {
		return false // "Sur-Sur"
	}
	return words >= min && words <= 4
}

// titleBefore returns the title of office a little before token t in its
// sentence ("el director ejecutivo de la EUDA, Alexis Goosdeel"), across
// only the title's description, or "".
func (s *candidateScan) titleBefore(t int) string {
	w, d, toks := s.w, s.d, s.d.toks
	for k, steps := t-1, 0; k >= s.sentOf[t] && k >= 0 && steps < 14; k, steps = k-1, steps+1 {
		f := toks[k].fold
		if g := strings.TrimSpace(s.gap(k, k+1)); g != "" && g != "," && g != "-" && !(g == "." && w.honorifics[f]) ||
			strings.Contains(s.gap(k, k+1), "\n") {
			return ""
		}
		if w.titles[f] || w.honorifics[f] {
			return d.text[toks[k].start:toks[k].end]
		}
		if !s.covered[k] && !toks[k].capital && !w.connectors[f] && !w.generic[f] {
			return ""
		}
		if !s.covered[k] && w.nameLike(toks[k]) && !w.countries[f] {
			return "" // another name sits between: "Minister Ruiz, the Global Gateway"
		}
	}
	return ""
}

// titleAfter returns the title of office in an apposition right after the
// run ending at end ("Carlos Espinosa, asesor del Ministerio"), or "".
func (s *candidateScan) titleAfter(end int) string {
	w, toks := s.w, s.d.toks
	if end >= len(toks) || strings.TrimSpace(s.gap(end-1, end)) != "," {
		return ""
	}
	k := end
	if f := toks[k].fold; (f == "the" || f == "el" || f == "la") && k+1 < len(toks) {
		k++
	}
	if w.titles[toks[k].fold] || w.demonyms[toks[k].fold] && k+1 < len(toks) && w.titles[toks[k+1].fold] {
		return s.d.text[toks[k].start:toks[k].end]
	}
	return ""
}

func (s *candidateScan) candidate(t, end int, kind domain.Kind, reason string) Candidate {
	toks := s.d.toks
	return Candidate{Name: s.d.text[toks[t].start:toks[end-1].end], Kind: kind, Reason: reason,
		Start: toks[t].start, End: toks[end-1].end}
}

func (s *candidateScan) add(c Candidate) {
	key := foldName(c.Name)
	if old, ok := s.byName[key]; ok {
		old.Count++
		for _, a := range c.Aliases {
			if !contains(old.Aliases, a) {
				old.Aliases = append(old.Aliases, a)
			}
		}
		return
	}
	c.Count = 1
	s.byName[key] = &c
	s.order = append(s.order, key)
}

// result merges a candidate named by another's alias into that one
// ("CELAC" into "Community of Latin American and Caribbean States") and
// orders the candidates by first occurrence.
func (s *candidateScan) result() []Candidate {
	aliasOf := map[string]string{}
	for _, k := range s.order {
		for _, a := range s.byName[k].Aliases {
			aliasOf[foldName(a)] = k
		}
	}
	// "Ruiz" after "Pedro Ruiz": a surname alone is the person named in full.
	surname := map[string]string{}
	for _, k := range s.order {
		if c := s.byName[k]; c.Kind == domain.KindPerson {
			if toks := strings.Fields(k); len(toks) > 1 {
				surname[toks[len(toks)-1]] = k
			}
		}
	}
	out := make([]Candidate, 0, len(s.order))
	for _, k := range s.order {
		into, ok := aliasOf[k]
		if full, isSurname := surname[k]; isSurname && s.byName[k].Kind == domain.KindPerson {
			into, ok = full, true
		}
		if ok && into != k {
			s.byName[into].Count += s.byName[k].Count
			continue
		}
		out = append(out, *s.byName[k])
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

func isNumberLike(t token) bool {
	for _, r := range t.fold {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// acronymExpansions returns the document's mentions with, for each known
// acronym in parentheses, the name of two or more capitalised words right
// before it as a mention of the same node: the text pairs a translation the
// graph does not spell with the acronym it knows ("International
// Ibero-American Foundation for Public Policies and Administrations
// (FIIAPP)").
func acronymExpansions(text string, toks []token, mentions []Mention) []Mention {
	covered := make([]bool, len(toks))
	for _, m := range mentions {
		for t := m.first; t < m.last; t++ {
			covered[t] = true
		}
	}
	var added []Mention
	for _, m := range mentions {
		if m.last-m.first != 1 || !toks[m.first].upper || m.first == 0 ||
			strings.TrimSpace(text[toks[m.first-1].end:toks[m.first].start]) != "(" {
			continue
		}
		start, capitals := m.first, 0
		for k := m.first - 1; k >= 0 && !covered[k] && (k == m.first-1 || nameGap(text[toks[k].end:toks[k+1].start])); k-- {
			switch f := toks[k].fold; {
			case words.connectors[f] && k < m.first-1:
			case toks[k].capital && !words.notNames[f] && !isNumberLike(toks[k]):
				start, capitals = k, capitals+1
			default:
				k = -1 // stop
			}
		}
		if capitals < 2 {
			continue
		}
		s, e := toks[start].start, toks[m.first-1].end
		added = append(added, Mention{Start: s, End: e, Text: text[s:e], NodeID: m.NodeID, Kind: m.Kind, first: start, last: m.first})
	}
	if len(added) == 0 {
		return mentions
	}
	out := append(append([]Mention(nil), mentions...), added...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].first < out[j].first })
	return out
}
