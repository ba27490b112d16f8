package ingest

import (
	"sort"
	"strings"

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

var (
	connectors = foldedSet([]string{"de", "del", "la", "las", "los", "y", "e", "for", "of", "the", "and", "on", "für", "van", "der", "di", "da", "do", "dos", "des", "et", "en"})
	// Capitalised words that start sentences or name times, never a stakeholder.
	notNames = foldedSet([]string{
		"the", "this", "these", "that", "those", "in", "on", "at", "as", "with", "but", "and", "for", "from", "by",
		"to", "of", "it", "its", "he", "she", "they", "we", "our", "their", "his", "her", "a", "an", "today",
		"el", "la", "los", "las", "en", "del", "por", "para", "con", "ante", "tal", "esta", "este", "estos", "estas",
		"cada", "durante", "además", "asimismo", "mientras", "según", "un", "una", "su", "sus", "al", "desde",
		"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
		"march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
		"lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo", "enero", "febrero", "marzo",
		"abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
		"press", "release", "mr", "mrs", "ms", "sr", "sra", "dr", "dra", "i", "ii", "iii", "iv", "v", "vi", "mm",
		"leaders", "ministers", "expected", "polls", "transnational", "nuevas", "ha", "latest", "news",
	})
	personTitles = foldedSet(append(append([]string{"mr", "mrs", "ms", "sr", "sra", "srta", "dr", "dra", "don", "doña"},
		positionTitles...), representativeTitles...))
	kindHeads = map[domain.Kind]map[string]bool{
		domain.KindOrganization: foldedSet([]string{
			"ministry", "ministerio", "agency", "agencia", "service", "servicio", "office", "oficina", "committee",
			"comité", "commission", "comisión", "centre", "center", "centro", "organization", "organisation",
			"organización", "foundation", "fundación", "police", "policía", "delegation", "delegación", "institute",
			"instituto", "school", "escuela", "council", "consejo", "embassy", "embajada", "unit", "unidad",
			"association", "asociación", "network", "red", "authority", "autoridad", "court", "tribunal", "corte",
			"fiscalía", "prosecutor", "department", "departamento", "secretariat", "secretaría", "bank", "banco",
			"navy", "army", "ejército", "guard", "guardia", "customs", "aduana", "university", "universidad",
			"federation", "federación", "chamber", "cámara", "parliament", "parlamento", "assembly", "asamblea",
			"corporation", "corporación", "community", "comunidad", "observatory", "observatorio"}),
		domain.KindProgramme: foldedSet([]string{"programme", "program", "programa", "project", "proyecto",
			"partnership", "initiative", "iniciativa", "facility", "fund", "fondo", "mechanism", "mecanismo"}),
		domain.KindEvent: foldedSet([]string{"summit", "cumbre", "seminar", "seminario", "conference",
			"conferencia", "meeting", "reunión", "forum", "foro", "workshop", "taller", "roundtable", "mesa",
			"dialogue", "diálogo", "congress", "congreso", "exercise", "ejercicio"}),
		domain.KindAgreement: foldedSet([]string{"agreement", "acuerdo", "memorandum", "memorando", "convention",
			"convenio", "declaration", "declaración", "protocol", "protocolo", "treaty", "tratado", "roadmap"}),
	}
	// Words of place names that are not stakeholders: regions and cities.
	placeWords = foldedSet([]string{"america", "latin", "caribbean", "caribe", "europe", "europa", "south",
		"central", "north", "hague", "quito", "guayaquil", "brussels", "bruselas", "madrid", "lisboa", "lisbon",
		"antwerp", "amberes", "cartagena", "indias", "atlantic", "pacific", "latinoamérica", "américa", "team"})
)

var (
	honorifics   = foldedSet([]string{"mr", "mrs", "ms", "sr", "sra", "srta", "dr", "dra", "don", "doña"})
	genericWords = foldedSet([]string{"understanding", "vice", "general", "national", "nacional", "european",
		"europea", "europeo", "international", "internacional", "members", "miembros", "member", "states",
		"cooperation", "cooperación", "affairs", "asuntos", "economic"})
	stateHeads = foldedSet([]string{"republic", "república", "kingdom", "reino", "principality", "principado"})
)

// isHead reports whether w is a head word of any kind.
func isHead(w string) bool {
	for _, heads := range kindHeads {
		if heads[w] {
			return true
		}
	}
	return false
}

// nameGap reports whether the characters between two words may sit inside
// a proper name: spaces, a hyphen or an apostrophe.
func nameGap(gap string) bool {
	return strings.Trim(gap, " -'’") == "" && !strings.Contains(gap, "\n")
}

// DecisionKey identifies the candidate for the review queue: its name
// folded (case and accents), so "Fiscalía General" and "FISCALIA GENERAL"
// are one decision.
func (c Candidate) DecisionKey() string {
	return "candidate:" + strings.Join(domain.Tokens(c.Name), " ")
}

// candidates finds unknown proper names: runs of capitalised words (with
// connectors such as "de", "of" inside) and acronyms that no mention
// covers. A run is kept when a cue suggests its kind: a head word
// ("Ministerio", "Agency", "Programme", "Summit", "Agreement"), a title
// before it ("Mr", "ministro", "Sr."), a list with known countries, or two
// to four capitalised words with no head (a person's name); an acronym
// given in parentheses after a run names the same candidate.
func (e *Engine) candidates(d *docState) []Candidate {
	covered := make([]bool, len(d.toks))
	for _, m := range d.mentions {
		for t := m.first; t < m.last; t++ {
			covered[t] = true
		}
	}
	sentStart := map[int]bool{}
	for _, r := range d.sentTok {
		sentStart[r[0]] = true
	}
	byName := map[string]*Candidate{}
	singles := map[string]int{}
	var order []string
	add := func(c Candidate) {
		key := strings.Join(domain.Tokens(c.Name), " ")
		if old, ok := byName[key]; ok {
			old.Count++
			for _, a := range c.Aliases {
				if !contains(old.Aliases, a) {
					old.Aliases = append(old.Aliases, a)
				}
			}
			return
		}
		c.Count = 1
		byName[key] = &c
		order = append(order, key)
	}
	for t := 0; t < len(d.toks); {
		tok := d.toks[t]
		if covered[t] || !tok.capital || notNames[tok.fold] || isNumberLike(tok) {
			t++
			continue
		}
		// Extend the run over capitalised words and inner connectors.
		end := t + 1
		for end < len(d.toks) && !covered[end] && nameGap(d.text[d.toks[end-1].end:d.toks[end].start]) {
			w := d.toks[end]
			if w.capital && !notNames[w.fold] {
				end++
				continue
			}
			if connectors[w.fold] && end+1 < len(d.toks) && !covered[end+1] && (d.toks[end+1].capital || connectors[d.toks[end+1].fold]) {
				end++
				continue
			}
			break
		}
		for end > t+1 && connectors[d.toks[end-1].fold] {
			end--
		}
		kind, reason := e.suggestKind(d, t, end, sentStart[t])
		if kind == domain.KindCountry || kind == domain.KindPerson || kind == "" {
			// "Lituania y Polonia": a conjunction joins two names here.
			for k := t + 1; k < end; k++ {
				if f := d.toks[k].fold; f == "y" || f == "and" || f == "e" || f == "et" {
					end = k
					kind, reason = e.suggestKind(d, t, end, sentStart[t])
					break
				}
			}
		}
		run := d.toks[t:end]
		name := d.text[run[0].start:run[len(run)-1].end]
		if kind == "" && len(run) == 1 && !sentStart[t] && !placeWords[run[0].fold] {
			singles[run[0].fold]++
			if singles[run[0].fold] == 2 {
				add(Candidate{Name: name, Kind: domain.KindOrganization, Reason: "a proper name repeated", Start: run[0].start, End: run[0].end})
			} else if singles[run[0].fold] > 2 {
				byName[run[0].fold].Count++
			}
		}
		var aliases []string
		// "Name (ACR)": the acronym in parentheses names the same thing.
		if end < len(d.toks) && strings.TrimSpace(d.text[d.toks[end-1].end:d.toks[end].start]) == "(" && d.toks[end].upper &&
			end+1 <= len(d.toks) && !covered[end] && len(run) > 1 {
			aliases = append(aliases, d.text[d.toks[end].start:d.toks[end].end])
			covered[end] = true
		}
		if kind != "" {
			add(Candidate{Name: name, Aliases: aliases, Kind: kind, Reason: reason, Start: run[0].start, End: run[len(run)-1].end})
		}
		t = end
	}
	out := make([]Candidate, 0, len(order))
	for _, k := range order {
		out = append(out, *byName[k])
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// suggestKind suggests the kind of the run of tokens [t, end), or "" to
// drop it.
func (e *Engine) suggestKind(d *docState, t, end int, sentenceStart bool) (domain.Kind, string) {
	run := d.toks[t:end]
	if len(run) == 1 && run[0].upper && len([]rune(run[0].fold)) >= 2 && len([]rune(run[0].fold)) <= 8 {
		return domain.KindOrganization, "acronym"
	}
	generic := true
	for _, w := range run {
		if !connectors[w.fold] && !genericWords[w.fold] && !personTitles[w.fold] && !isHead(w.fold) {
			generic = false
		}
	}
	if generic {
		return "", "" // "Memorandum of Understanding", "Vice-President", "Agency"
	}
	for _, k := range []domain.Kind{domain.KindAgreement, domain.KindEvent, domain.KindProgramme, domain.KindOrganization} {
		for _, w := range run {
			if kindHeads[k][w.fold] {
				return k, "head word \"" + d.text[w.start:w.end] + "\""
			}
		}
	}
	for _, w := range run {
		if placeWords[w.fold] {
			return "", ""
		}
	}
	if k := t - 1; k >= 0 && nameGap(d.text[d.toks[k].end:d.toks[t].start]) {
		if personTitles[d.toks[k].fold] && (len(run) >= 2 || honorifics[d.toks[k].fold]) {
			return domain.KindPerson, "title \"" + d.text[d.toks[k].start:d.toks[k].end] + "\" before it"
		}
	}
	for _, w := range run {
		if stateHeads[w.fold] {
			return domain.KindCountry, "head word \"" + d.text[w.start:w.end] + "\""
		}
	}
	if e.listedWithCountry(d, t, end) {
		return domain.KindCountry, "listed with known countries"
	}
	if len(run) >= 2 && len(run) <= 4 && !sentenceStart {
		for _, w := range run {
			if connectors[w.fold] && w.fold != "de" && w.fold != "da" && w.fold != "van" {
				return "", ""
			}
		}
		return domain.KindPerson, "a name of several capitalised words"
	}
	return "", ""
}

// listedWithCountry reports whether the run sits in a list (capitalised
// names joined by commas, semicolons, "and" or "y") that holds a known
// Country mention.
func (e *Engine) listedWithCountry(d *docState, t, end int) bool {
	if d.countryTok == nil {
		d.countryTok = map[int]bool{}
		for _, m := range d.mentions {
			if m.Kind == domain.KindCountry {
				for k := m.first; k < m.last; k++ {
					d.countryTok[k] = true
				}
			}
		}
	}
	isCountry := d.countryTok
	listWord := func(k int) bool {
		f := d.toks[k].fold
		return d.toks[k].capital || f == "and" || f == "y" || f == "e" || f == "the" || f == "el"
	}
	listGap := func(a, b int) bool { return strings.Trim(d.text[d.toks[a].end:d.toks[b].start], " ,;-'’") == "" }
	for k := t - 1; k >= 0 && listGap(k, k+1) && listWord(k); k-- {
		if isCountry[k] {
			return true
		}
	}
	for k := end; k < len(d.toks) && listGap(k-1, k) && listWord(k); k++ {
		if isCountry[k] {
			return true
		}
	}
	return false
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
