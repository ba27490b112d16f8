package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// Document is a text to ingest. SourceID is the Source node the text is (or
// will be) registered as; proposals cite it as their evidence.
type Document struct {
	SourceID  string `json:"sourceId"`
	Title     string `json:"title"`
	URL       string `json:"url"`
	Publisher string `json:"publisher"`
	Published string `json:"published"`
	Language  string `json:"language"`
	Text      string `json:"text"`
}

// MaxTextBytes bounds the text of one document (about 400 pages).
const MaxTextBytes = 4 << 20

// Stance is a statement's position on its topics.
type Stance string

// The stances, as Discourse Network Analysis codes agreement.
const (
	StanceSupports Stance = "SUPPORTS"
	StanceOpposes  Stance = "OPPOSES"
	StanceNeutral  Stance = "NEUTRAL"
)

// RelationProposal is a relation the text suggests between two known nodes:
// Quote is the sentence, verbatim (text[Start:End]); Reason names the cue
// that fired; Confidence is the engine's score in (0, 1].
type RelationProposal struct {
	From       string              `json:"from"`
	Type       domain.RelationType `json:"type"`
	To         string              `json:"to"`
	Quote      string              `json:"quote"`
	Start      int                 `json:"start"`
	End        int                 `json:"end"`
	Sentence   int                 `json:"sentence"`
	Reason     string              `json:"reason"`
	Confidence float64             `json:"confidence"`
}

// Key is from|TYPE|to, the ID the relation would get (domain.RelationID).
func (p RelationProposal) Key() string { return domain.RelationID(p.From, p.Type, p.To) }

// DecisionKey identifies what a reviewer decides on, the same in every
// document that proposes it: the relation (from, type, to), whatever
// sentence proposed it, so a decided relation is never asked again when
// the same or an overlapping document is ingested. COOPERATES_WITH has no
// direction, so both ways round give one key.
func (p RelationProposal) DecisionKey() string {
	from, to := p.From, p.To
	if p.Type == domain.RelCooperatesWith && to < from {
		from, to = to, from
	}
	return "relation:" + domain.RelationID(from, p.Type, to)
}

// Relation is the proposal as a domain relation citing sourceID, ready for
// the write path once a reviewer accepts it (and may edit it).
func (p RelationProposal) Relation(sourceID string) *domain.Relation {
	return &domain.Relation{
		ID: p.Key(), Type: p.Type, From: p.From, To: p.To,
		Confidence: ConfidenceLevel(p.Confidence),
		Note:       "Proposed from the document (" + p.Reason + ").",
		Evidence:   []domain.Evidence{{SourceID: sourceID, Quote: p.Quote}},
	}
}

// ConfidenceLevel maps an engine score to the dataset's levels: a reviewer
// who accepts a proposal may raise it.
func ConfidenceLevel(score float64) domain.Confidence {
	switch {
	case score >= 0.8:
		return domain.ConfidenceHigh
	case score >= 0.55:
		return domain.ConfidenceMedium
	}
	return domain.ConfidenceLow
}

// StatementProposal is a statement the text reports: who said it (a Person
// or Organization), optionally on behalf of whom, about which topics
// (Topic, Programme or Agreement nodes), with which stance; Quote is the
// sentence, verbatim.
type StatementProposal struct {
	Speaker    string   `json:"speaker"`
	OnBehalfOf string   `json:"onBehalfOf,omitempty"`
	Topics     []string `json:"topics"`
	Stance     Stance   `json:"stance"`
	Quote      string   `json:"quote"`
	Start      int      `json:"start"`
	End        int      `json:"end"`
	Sentence   int      `json:"sentence"`
	Reason     string   `json:"reason"`
	Confidence float64  `json:"confidence"`
}

// DecisionKey identifies the statement for the review queue: its speaker
// and its quote after domain.NormalizeQuote, so the same words reported by
// another document are recognised as decided.
func (s StatementProposal) DecisionKey() string {
	sum := sha256.Sum256([]byte(domain.NormalizeQuote(s.Quote)))
	return "statement:" + s.Speaker + "|" + hex.EncodeToString(sum[:12])
}

// Result is what ingesting one document gives.
type Result struct {
	Sentences  []Sentence             `json:"sentences"`
	Mentions   []Mention              `json:"mentions"`
	Candidates []Candidate            `json:"candidates"`
	Relations  []RelationProposal     `json:"relations"`
	Statements []StatementProposal    `json:"statements"`
	Focus      map[domain.Kind]string `json:"focus,omitempty"` // the focal event, programme and country
}

// Engine ingests documents against one state of the graph. It is read-only
// once built and safe for concurrent use.
type Engine struct {
	matcher    *Matcher
	agreements []*domain.Node
	labels     map[string][][]string // node ID → folded tokens of name and aliases
	// named lists, per agreement, the countries and organizations its
	// names hold ("Working agreement between Ecuador and Europol").
	named map[string][]string

	cues        [][][]string // per relationCues entry, its folded phrases
	cooperation [][]string
	verbs       [][]string
	oppose      [][]string
	support     [][]string
	sets        struct {
		between, pronouns, determiners, eventHeads, programHeads, countryHeads, agreementHeads,
		representative, position, coordination map[string]bool
	}
}

// New builds an engine over the graph's nodes (relations are not needed:
// proposals are read from the text alone) and the curated variants.
func New(nodes []*domain.Node, v Variants) *Engine {
	e := &Engine{matcher: NewMatcher(nodes, v), labels: map[string][][]string{}}
	for _, n := range nodes {
		if n.Kind == domain.KindSource {
			continue
		}
		if n.Kind == domain.KindAgreement {
			e.agreements = append(e.agreements, n)
		}
		e.labels[n.ID] = domain.LabelTokens(n)
	}
	sort.Slice(e.agreements, func(i, j int) bool { return e.agreements[i].ID < e.agreements[j].ID })
	e.named = map[string][]string{}
	for _, a := range e.agreements {
		for _, n := range nodes {
			if (n.Kind == domain.KindCountry || n.Kind == domain.KindOrganization) && labelContains(e.labels[a.ID], e.labels[n.ID]) {
				e.named[a.ID] = append(e.named[a.ID], n.ID)
			}
		}
	}
	for _, c := range relationCues {
		e.cues = append(e.cues, folded(c.phrases))
	}
	e.cooperation = folded(cooperationPhrases)
	e.verbs = folded(statementVerbs)
	e.oppose = folded(opposeCues)
	e.support = folded(supportCues)
	s := &e.sets
	s.between, s.pronouns, s.determiners = foldedSet(betweenWords), foldedSet(pronouns), foldedSet(determiners)
	s.eventHeads, s.programHeads, s.countryHeads = foldedSet(eventHeads), foldedSet(programHeads), foldedSet(countryHeads)
	s.agreementHeads = foldedSet(agreementHead)
	s.representative, s.position = foldedSet(representativeTitles), foldedSet(positionTitles)
	s.coordination = foldedSet([]string{"and", "y", "e", "the", "el", "la", "los", "las", "as", "well", "of", "de", "del"})
	return e
}

// Matcher returns the engine's mention matcher.
func (e *Engine) Matcher() *Matcher { return e.matcher }

// ref is a node a sentence speaks of: a mention, or a node reached through
// an anaphor or a description. first and last are token indices.
type ref struct {
	id          string
	kind        domain.Kind
	first, last int
	via         string // "mention", "anaphor", "description"
	counterpart string // for a described agreement: the actor named with it
}

type docState struct {
	text     string
	toks     []token
	mentions []Mention
	sents    []Sentence
	sentTok  [][2]int // token range of each sentence
	focus    map[domain.Kind]string
	dominant string // the programme the document is about, if one stands out
	// lastAgreement is the agreement last described, for "a protocol" later on.
	lastAgreement string
	lastPerson    string
	// containers are the document's countries and organizations (first
	// mention of each), and contains caches nameContains per pair.
	containers map[string]Mention
	contains   map[[2]string]bool
	mentioned  map[string]bool
}

// Ingest reads one document. It fails only on input it cannot read: an
// empty or oversized text, or text that is not UTF-8.
func (e *Engine) Ingest(doc Document) (*Result, error) {
	switch {
	case strings.TrimSpace(doc.Text) == "":
		return nil, domain.Errorf(domain.EINVALID, "text: empty; paste the document's text")
	case len(doc.Text) > MaxTextBytes:
		return nil, domain.Errorf(domain.EINVALID, "text: %d bytes is over the limit of %d; split the document", len(doc.Text), MaxTextBytes)
	case !utf8.ValidString(doc.Text):
		return nil, domain.Errorf(domain.EINVALID, "text: not valid UTF-8; convert the document to UTF-8 first")
	}
	sourceID := doc.SourceID
	if sourceID == "" {
		sourceID = "source:ingested-document"
	}
	d := &docState{text: doc.Text, toks: tokenize(doc.Text)}
	d.sents = SplitSentences(doc.Text)
	d.mentions = acronymExpansions(doc.Text, d.toks, e.matcher.find(doc.Text, d.toks))
	d.sentTok = sentenceTokens(d.sents, d.toks)
	d.mentioned = map[string]bool{}
	for _, m := range d.mentions {
		d.mentioned[m.NodeID] = true
	}
	e.findFocus(d)

	res := &Result{Sentences: d.sents, Mentions: d.mentions, Focus: d.focus}
	res.Candidates = e.candidates(d)
	seenRel := map[string]int{}
	mi := 0
	for si := range d.sents {
		lo, hi := d.sentTok[si][0], d.sentTok[si][1]
		var inSent []Mention
		for mi < len(d.mentions) && d.mentions[mi].first < hi {
			if d.mentions[mi].first >= lo {
				inSent = append(inSent, d.mentions[mi])
			}
			mi++
		}
		refs := e.sentenceRefs(d, si, inSent)
		for _, p := range e.relations(d, si, refs) {
			r := p.Relation(sourceID)
			if len(r.Problems()) > 0 {
				continue // only what would pass the domain's rules is proposed
			}
			if at, ok := seenRel[p.Key()]; ok {
				if p.Confidence > res.Relations[at].Confidence {
					res.Relations[at] = p
				}
				continue
			}
			seenRel[p.Key()] = len(res.Relations)
			res.Relations = append(res.Relations, p)
		}
		if st, ok := e.statement(d, si, refs); ok {
			res.Statements = append(res.Statements, st)
		}
		for _, r := range refs {
			if r.kind == domain.KindPerson && r.via == "mention" {
				d.lastPerson = r.id
			}
		}
	}
	return res, nil
}

// sentenceTokens gives each sentence its range of token indices.
func sentenceTokens(sents []Sentence, toks []token) [][2]int {
	out := make([][2]int, len(sents))
	t := 0
	for i, s := range sents {
		for t < len(toks) && toks[t].start < s.Start {
			t++
		}
		lo := t
		for t < len(toks) && toks[t].end <= s.End {
			t++
		}
		out[i] = [2]int{lo, t}
	}
	return out
}

// findFocus picks the document's focal event, programme and country: the
// node of that kind mentioned most (the first on a tie).
func (e *Engine) findFocus(d *docState) {
	type tally struct {
		n     int
		first int
	}
	counts := map[string]*tally{}
	for i, m := range d.mentions {
		if counts[m.NodeID] == nil {
			counts[m.NodeID] = &tally{first: i}
		}
		counts[m.NodeID].n++
	}
	d.focus = map[domain.Kind]string{}
	best := map[domain.Kind]string{}
	second := map[domain.Kind]int{}
	for id, t := range counts {
		n, _ := e.matcher.Node(id)
		k := n.Kind
		if k != domain.KindEvent && k != domain.KindProgramme && k != domain.KindCountry && k != domain.KindOrganization {
			continue
		}
		b, ok := best[k]
		if !ok || t.n > counts[b].n || (t.n == counts[b].n && t.first < counts[b].first) {
			if ok {
				second[k] = max(second[k], counts[b].n)
			}
			best[k] = id
		} else {
			second[k] = max(second[k], t.n)
		}
	}
	for k, id := range best {
		d.focus[k] = id
	}
	if p, ok := best[domain.KindProgramme]; ok && counts[p].n >= 2 && counts[p].n > second[domain.KindProgramme] {
		d.dominant = p
	}
}

// sentenceRefs lists the nodes sentence si speaks of, in text order: its
// mentions, definite descriptions of the focal event or programme, "the
// Government" for the focal country, and agreements described rather than
// named ("a working agreement with Europol").
func (e *Engine) sentenceRefs(d *docState, si int, inSent []Mention) []ref {
	var refs []ref
	covered := map[int]bool{}
	for _, m := range inSent {
		r := ref{id: m.NodeID, kind: m.Kind, first: m.first, last: m.last, via: "mention"}
		if m.Kind == domain.KindAgreement && m.last-m.first > 1 {
			// "acuerdo de trabajo con Europol": the actor inside the name is its counterpart.
			for _, inner := range e.matcher.find(d.text, d.toks[m.first+1:m.last]) {
				if (inner.Kind == domain.KindCountry || inner.Kind == domain.KindOrganization) && labelContains(e.labels[m.NodeID], e.labels[inner.NodeID]) {
					r.counterpart = inner.NodeID
					break
				}
			}
		}
		refs = append(refs, r)
		for t := m.first; t < m.last; t++ {
			covered[t] = true
		}
	}
	lo, hi := d.sentTok[si][0], d.sentTok[si][1]
	for t := lo; t < hi; t++ {
		if covered[t] {
			continue
		}
		w := d.toks[t].fold
		det := (t-1 >= lo && e.sets.determiners[d.toks[t-1].fold]) || (t-2 >= lo && e.sets.determiners[d.toks[t-2].fold] && !covered[t-1])
		var kind domain.Kind
		switch {
		case det && e.sets.eventHeads[w]:
			kind = domain.KindEvent
		case det && e.sets.programHeads[w]:
			kind = domain.KindProgramme
		case det && e.sets.countryHeads[w] && !(t+1 < hi && (d.toks[t+1].fold == "of" || d.toks[t+1].fold == "de" || d.toks[t+1].fold == "del")):
			kind = domain.KindCountry
		case e.sets.agreementHeads[w]:
			if id, cp := e.describedAgreement(d, t, lo, hi, inSent); id != "" {
				refs = append(refs, ref{id: id, kind: domain.KindAgreement, first: t, last: t + 1, via: "description", counterpart: cp})
				d.lastAgreement = id
			} else if d.lastAgreement != "" {
				refs = append(refs, ref{id: d.lastAgreement, kind: domain.KindAgreement, first: t, last: t + 1, via: "anaphor"})
			}
			continue
		default:
			continue
		}
		if id, ok := d.focus[kind]; ok {
			refs = append(refs, ref{id: id, kind: kind, first: t, last: t + 1, via: "anaphor"})
		}
	}
	sort.SliceStable(refs, func(i, j int) bool { return refs[i].first < refs[j].first })
	return refs
}

// describedAgreement resolves an agreement head word at token t to the
// graph's agreement its sentence describes best: the head word in the
// agreement's names (+2), each actor the sentence names that the
// agreement's names hold (+3: "with Europol", "la EUDA y Ecuador
// suscribieron un acuerdo"), and up to two other words near the head that
// the names share (+1 each). It needs 4 points and a clear winner. The
// counterpart is the first such actor named just after the head word.
func (e *Engine) describedAgreement(d *docState, t, lo, hi int, inSent []Mention) (id, counterpart string) {
	window := map[string]bool{}
	for k := max(lo, t-2); k < min(hi, t+10); k++ {
		if k != t && len(d.toks[k].fold) > 3 && !stopwords[d.toks[k].fold] {
			window[d.toks[k].fold] = true
		}
	}
	actorsIn := map[string]bool{}
	for _, m := range inSent {
		if m.Kind == domain.KindCountry || m.Kind == domain.KindOrganization || m.Kind == domain.KindPerson {
			actorsIn[m.NodeID] = true
		}
	}
	head := d.toks[t].fold
	bestScore, secondScore := 0, 0
	for _, a := range e.agreements {
		words := map[string]bool{}
		for _, l := range e.labels[a.ID] {
			for _, w := range l {
				words[w] = true
			}
		}
		score := 0
		if words[head] {
			score += 2
		}
		named := map[string]bool{}
		for actor := range actorsIn {
			if labelContains(e.labels[a.ID], e.labels[actor]) {
				score += 3
				for _, l := range e.labels[actor] {
					for _, w := range l {
						named[w] = true
					}
				}
			}
		}
		for _, party := range e.named[a.ID] {
			if !d.mentioned[party] {
				score -= 2 // the agreement names a party the document never names
			}
		}
		near := 0
		for w := range window {
			if words[w] && !named[w] && near < 2 {
				near++
			}
		}
		score += near
		switch {
		case score > bestScore:
			secondScore, bestScore, id = bestScore, score, a.ID
		case score > secondScore:
			secondScore = score
		}
	}
	if bestScore < 4 || bestScore == secondScore {
		return "", ""
	}
	for _, m := range inSent {
		if m.first > t && m.first <= t+10 && actorsIn[m.NodeID] && labelContains(e.labels[id], e.labels[m.NodeID]) {
			return id, m.NodeID
		}
	}
	return id, ""
}

// labelContains reports whether any of the labels holds one of names as a
// run of words.
func labelContains(labels, names [][]string) bool {
	for _, l := range labels {
		for _, n := range names {
			if len(n) > 0 && containsRun(l, n) {
				return true
			}
		}
	}
	return false
}

func containsRun(hay, needle []string) bool {
	for i := 0; i+len(needle) <= len(hay); i++ {
		if slices.Equal(hay[i:i+len(needle)], needle) {
			return true
		}
	}
	return false
}

// cueHit is one cue phrase found in a sentence: tokens [first, last).
type cueHit struct {
	cue         int // index into relationCues, or -1 for cooperation
	first, last int
}

// findPhrases returns where any of phrases occurs in tokens [lo, hi).
func findPhrases(toks []token, lo, hi int, phrases [][]string) [][2]int {
	var out [][2]int
	for t := lo; t < hi; t++ {
		for _, p := range phrases {
			if t+len(p) <= hi && toks[t].fold == p[0] && matchAt(toks, t, p) {
				out = append(out, [2]int{t, t + len(p)})
			}
		}
	}
	return out
}

func matchAt(toks []token, t int, p []string) bool {
	for k, w := range p {
		if toks[t+k].fold != w {
			return false
		}
	}
	return true
}

// relations proposes the relations of sentence si from its cues.
func (e *Engine) relations(d *docState, si int, refs []ref) []RelationProposal {
	s := d.sents[si]
	lo, hi := d.sentTok[si][0], d.sentTok[si][1]
	var hits []cueHit
	for ci, phrases := range e.cues {
		for _, h := range findPhrases(d.toks, lo, hi, phrases) {
			hits = append(hits, cueHit{cue: ci, first: h[0], last: h[1]})
		}
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].first < hits[j].first })
	var out []RelationProposal
	propose := func(from, to string, typ domain.RelationType, reason string, conf float64) {
		if from == "" || to == "" || from == to {
			return
		}
		out = append(out, RelationProposal{From: from, Type: typ, To: to, Quote: s.Text, Start: s.Start, End: s.End,
			Sentence: si, Reason: reason, Confidence: conf})
	}
	for hi2, h := range hits {
		c := relationCues[h.cue]
		next := hi
		for _, h2 := range hits[hi2+1:] {
			if h2.first >= h.last && relationCues[h2.cue].agents == agentsAfter && h2.cue != h.cue {
				next = h2.first
				break
			}
		}
		agents := e.agents(d, refs, c, h, lo, next)
		conf := c.confidence
		if c.peopleFirst && slices.ContainsFunc(agents, func(r ref) bool { return r.kind == domain.KindPerson }) {
			agents = slices.DeleteFunc(agents, func(r ref) bool { return r.kind != domain.KindPerson })
		}
		if len(agents) == 0 && c.focalAgent {
			if id, ok := d.focus[c.from[0]]; ok {
				agents = []ref{{id: id, kind: c.from[0]}}
				conf -= 0.15
			}
		}
		objects := pick(refs, c.objects, c.to, h)
		if len(objects) == 0 && c.focal != "" {
			focal := d.focus[c.focal]
			if c.focal == domain.KindProgramme {
				focal = d.dominant
			}
			if focal != "" {
				objects = []ref{{id: focal, kind: c.focal}}
				conf -= 0.15
			}
		}
		for _, a := range agents {
			for _, o := range objects {
				if c.typ == domain.RelPartyTo && o.counterpart != "" && a.id != o.counterpart && isCounterpart(refs, a.id) {
					continue // the actor named with another agreement is party to that one
				}
				propose(a.id, o.id, c.typ, c.reason+" ("+cueText(d, h)+")", conf)
			}
		}
		if c.typ == domain.RelPartyTo {
			for _, o := range objects {
				if o.counterpart != "" {
					propose(o.counterpart, o.id, c.typ, c.reason+" ("+cueText(d, h)+")", conf)
				}
			}
		}
	}
	out = append(out, e.cooperations(d, si, refs)...)
	out = append(out, e.positions(d, si, refs)...)
	out = append(out, e.topics(d, si, refs)...)
	out = append(out, e.partOf(d, si, refs)...)
	return out
}

func isCounterpart(refs []ref, id string) bool {
	return slices.ContainsFunc(refs, func(r ref) bool { return r.counterpart == id })
}

func cueText(d *docState, h cueHit) string {
	return d.text[d.toks[h.first].start:d.toks[h.last-1].end]
}

// agents finds a cue's actors by its agentRule; next is where the next cue
// starts (agentsAfter stops there).
func (e *Engine) agents(d *docState, refs []ref, c relationCue, h cueHit, lo, next int) []ref {
	allowed := func(r ref) bool { return slices.Contains(c.from, r.kind) }
	var out []ref
	switch c.agents {
	case agentsAll:
		for _, r := range refs {
			if allowed(r) {
				out = append(out, r)
			}
		}
	case agentsAfter:
		for _, r := range refs {
			if allowed(r) && r.first >= h.last && r.first < next {
				out = append(out, r)
			}
		}
	case agentsBefore:
		const window = 8
		last := -1
		for i, r := range refs {
			if allowed(r) && r.last <= h.first && h.first-r.last <= window {
				last = i
			}
		}
		if last >= 0 && c.typ == domain.RelPartyTo && e.presentOnly(d, refs[last].last, h.first) {
			last = -1 // "X, present at the signing": a witness, not a party
		}
		if last >= 0 {
			out = append(out, refs[last])
			// Actors listed with it: "A, B and C participate".
			for i := last - 1; i >= 0; i-- {
				if !allowed(refs[i]) || !e.coordinated(d, refs[i].last, refs[i+1].first) {
					break
				}
				out = append(out, refs[i])
			}
		}
		// "… signed a protocol with X": the actor after "with" signs too.
		if c.typ == domain.RelPartyTo {
			for _, r := range refs {
				if allowed(r) && r.first >= h.last && r.first-h.last <= 12 && e.afterWith(d, h.last, r.first) {
					out = append(out, r)
					break
				}
			}
		}
	case agentsNear:
		best, dist := -1, 1<<30
		for i, r := range refs {
			if !allowed(r) {
				continue
			}
			dd := h.first - r.last
			if r.first >= h.last {
				dd = r.first - h.last
			}
			if dd >= 0 && dd < dist && dd <= 8 {
				best, dist = i, dd
			}
		}
		if best >= 0 {
			out = append(out, refs[best])
		}
	}
	return out
}

// presentOnly reports whether the words between an actor and a signing cue
// say the actor was only present: "presente en la firma", "in the presence of".
func (e *Engine) presentOnly(d *docState, from, to int) bool {
	for t := from; t < to; t++ {
		switch d.toks[t].fold {
		case "present", "presence", "presente", "presentes", "presencia", "witness", "witnessed", "testigo":
			return true
		}
	}
	return false
}

// afterWith reports whether a "with"/"con" word lies in tokens [from, to).
func (e *Engine) afterWith(d *docState, from, to int) bool {
	for t := from; t < to; t++ {
		if w := d.toks[t].fold; w == "with" || w == "con" {
			return true
		}
	}
	return false
}

// coordinated reports whether only list words (commas, "and", "y",
// articles, parentheses) lie between two token positions.
func (e *Engine) coordinated(d *docState, from, to int) bool {
	if to < from || to-from > 3 {
		return false
	}
	for t := from; t < to; t++ {
		if !e.sets.coordination[d.toks[t].fold] {
			return false
		}
	}
	gapStart := d.toks[max(from-1, 0)].end
	if from == 0 {
		gapStart = 0
	}
	gap := d.text[gapStart:d.toks[to].start]
	if strings.ContainsAny(gap, ".;:") {
		return false
	}
	if strings.Contains(gap, ",") {
		return true
	}
	for t := from; t < to; t++ {
		if f := d.toks[t].fold; f == "and" || f == "y" || f == "e" {
			return true
		}
	}
	return false
}

// pick finds a cue's objects by its objectRule.
func pick(refs []ref, rule objectRule, kinds []domain.Kind, h cueHit) []ref {
	var out []ref
	switch rule {
	case objectsAll:
		for _, r := range refs {
			if slices.Contains(kinds, r.kind) {
				out = append(out, r)
			}
		}
	case objectsNearest:
		best, dist := -1, 1<<30
		for i, r := range refs {
			if !slices.Contains(kinds, r.kind) {
				continue
			}
			dd := h.first - r.last
			if r.first >= h.last {
				dd = r.first - h.last
			}
			if dd < 0 {
				dd = 0
			}
			if dd < dist {
				best, dist = i, dd
			}
		}
		if best >= 0 {
			out = append(out, refs[best])
		}
	case objectsAfter:
		for _, r := range refs {
			if slices.Contains(kinds, r.kind) && r.first >= h.last && r.first-h.last <= 4 {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// cooperations proposes COOPERATES_WITH between two states or
// organizations named as the sides of a cooperation: "cooperation between A
// and B", "A and B … cooperation", or "A … collaborator … B" when the
// sentence names exactly two.
func (e *Engine) cooperations(d *docState, si int, refs []ref) []RelationProposal {
	lo, hi := d.sentTok[si][0], d.sentTok[si][1]
	s := d.sents[si]
	var sides []ref
	for _, r := range refs {
		if r.kind == domain.KindCountry || r.kind == domain.KindOrganization {
			sides = append(sides, r)
		}
	}
	var out []RelationProposal
	seen := map[[2]string]bool{}
	add := func(a, b ref, cue string) {
		if a.id == b.id || seen[[2]string{a.id, b.id}] || seen[[2]string{b.id, a.id}] {
			return
		}
		seen[[2]string{a.id, b.id}] = true
		out = append(out, RelationProposal{From: a.id, Type: domain.RelCooperatesWith, To: b.id, Quote: s.Text,
			Start: s.Start, End: s.End, Sentence: si, Reason: "cooperation (" + cue + ")", Confidence: 0.6})
	}
	for _, h := range findPhrases(d.toks, lo, hi, e.cooperation) {
		cue := d.text[d.toks[h[0]].start:d.toks[h[1]-1].end]
		// The sides after "between"/"entre" following the cue.
		for t := h[1]; t < min(hi, h[1]+4); t++ {
			if !e.sets.between[d.toks[t].fold] {
				continue
			}
			var listed []ref
			for _, r := range sides {
				if r.first > t && r.first-t <= 10 && (len(listed) == 0 || e.coordinated(d, listed[len(listed)-1].last, r.first)) {
					listed = append(listed, r)
				}
			}
			for i := range listed {
				for j := i + 1; j < len(listed); j++ {
					add(listed[i], listed[j], cue)
				}
			}
			break
		}
		// Two sides listed together before the cue: "A and B strengthen … cooperation".
		for i := 0; i+1 < len(sides); i++ {
			a, b := sides[i], sides[i+1]
			if b.last <= h[0] && h[0]-b.last <= 12 && e.coordinated(d, a.last, b.first) {
				if a.id == b.id && i+2 < len(sides) && e.coordinated(d, b.last, sides[i+2].first) && sides[i+2].last <= h[0] {
					b = sides[i+2]
				}
				add(a, b, cue)
			}
		}
		// "A is one of the most important collaborators that B has".
		distinct := map[string]ref{}
		for _, r := range sides {
			distinct[r.id] = r
		}
		if len(distinct) == 2 && (strings.HasPrefix(d.toks[h[0]].fold, "collaborator") || strings.HasPrefix(d.toks[h[0]].fold, "partner") || strings.HasPrefix(d.toks[h[0]].fold, "socio") || strings.HasPrefix(d.toks[h[0]].fold, "cooperante")) {
			add(sides[0], sides[len(sides)-1], cue)
		}
	}
	return out
}

// positions proposes HOLDS_POSITION and REPRESENTS from a title next to a
// person's name and an organization named with the title: "Undersecretary
// … of the Ministry of Foreign Affairs Isabel Albornoz", "the Ambassador of
// the European Union to Ecuador, Charles-Michel Geurts".
func (e *Engine) positions(d *docState, si int, refs []ref) []RelationProposal {
	lo := d.sentTok[si][0]
	s := d.sents[si]
	var out []RelationProposal
	for pi, p := range refs {
		if p.kind != domain.KindPerson || p.via != "mention" {
			continue
		}
		for t := p.first - 1; t >= max(lo, p.first-24); t-- {
			w := d.toks[t].fold
			rep, pos := e.sets.representative[w], e.sets.position[w]
			if !rep && !pos {
				continue
			}
			// The first organization (or, for a representative, state) after the title.
			for _, o := range refs[:pi] {
				if o.first <= t || o.last > p.first {
					continue
				}
				switch {
				case rep && (o.kind == domain.KindOrganization || o.kind == domain.KindCountry):
					out = append(out, RelationProposal{From: p.id, Type: domain.RelRepresents, To: o.id, Quote: s.Text,
						Start: s.Start, End: s.End, Sentence: si, Reason: "title (" + d.text[d.toks[t].start:d.toks[t].end] + ")", Confidence: 0.6})
				case pos && o.kind == domain.KindOrganization:
					out = append(out, RelationProposal{From: p.id, Type: domain.RelHoldsPosition, To: o.id, Quote: s.Text,
						Start: s.Start, End: s.End, Sentence: si, Reason: "title (" + d.text[d.toks[t].start:d.toks[t].end] + ")", Confidence: 0.6})
				default:
					continue
				}
				break
			}
			break
		}
	}
	return out
}

// topics proposes ADDRESSES from the programmes, events and agreements of
// a sentence to the topics it names; a sentence naming topics but no venue
// is taken to speak of the document's focal event, at lower confidence.
func (e *Engine) topics(d *docState, si int, refs []ref) []RelationProposal {
	s := d.sents[si]
	var venuesIn, topicsIn []ref
	for _, r := range refs {
		switch r.kind {
		case domain.KindProgramme, domain.KindEvent, domain.KindAgreement:
			venuesIn = append(venuesIn, r)
		case domain.KindTopic:
			topicsIn = append(topicsIn, r)
		}
	}
	conf, reason := 0.55, "topic named with it"
	if len(venuesIn) == 0 && len(topicsIn) > 0 {
		if ev, ok := d.focus[domain.KindEvent]; ok {
			venuesIn = []ref{{id: ev, kind: domain.KindEvent}}
			conf, reason = 0.4, "topic of the document's focal event"
		}
	}
	var out []RelationProposal
	for _, v := range venuesIn {
		for _, t := range topicsIn {
			out = append(out, RelationProposal{From: v.id, Type: domain.RelAddresses, To: t.id, Quote: s.Text,
				Start: s.Start, End: s.End, Sentence: si, Reason: reason, Confidence: conf})
		}
	}
	return out
}

// partOf proposes PART_OF from an organization to a country or
// organization that its own name contains ("Delegation of the European
// Union", "Ecuadorian national security institutions") when the sentence
// names that container too, or the container is the node of its kind the
// document names most. A name after "to", "in", "by" … or before "funded"
// is not a container ("Delegation … to Ecuador", "programs financed by the
// EU"). It is an inference from the graph's names: low confidence.
func (e *Engine) partOf(d *docState, si int, refs []ref) []RelationProposal {
	s := d.sents[si]
	inSentence := map[string]bool{}
	for _, r := range refs {
		inSentence[r.id] = true
	}
	if d.containers == nil {
		d.containers = map[string]Mention{}
		d.contains = map[[2]string]bool{}
		for _, m := range d.mentions {
			if _, ok := d.containers[m.NodeID]; !ok && (m.Kind == domain.KindCountry || m.Kind == domain.KindOrganization) {
				d.containers[m.NodeID] = m
			}
		}
	}
	var out []RelationProposal
	for _, r := range refs {
		if r.kind != domain.KindOrganization || r.via != "mention" {
			continue
		}
		for id, m := range d.containers {
			if id == r.id || (!inSentence[id] && d.focus[m.Kind] != id) {
				continue
			}
			pair := [2]string{r.id, id}
			in, ok := d.contains[pair]
			if !ok {
				in = e.nameContains(r.id, id)
				d.contains[pair] = in
			}
			if in {
				out = append(out, RelationProposal{From: r.id, Type: domain.RelPartOf, To: id, Quote: s.Text,
					Start: s.Start, End: s.End, Sentence: si, Reason: fmt.Sprintf("its name contains %q", m.Text), Confidence: 0.4})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].To < out[j].To })
	return out
}

// nameContains reports whether a label of node a holds a label of node b
// as a container (see partOf); a word of b's name of five letters or more
// may also start a word of a's: "Ecuador" in "Ecuadorian".
func (e *Engine) nameContains(a, b string) bool {
	for _, la := range e.labels[a] {
		for _, lb := range e.labels[b] {
			if len(lb) == 0 || len(lb) >= len(la) {
				continue
			}
			for i := 0; i+len(lb) <= len(la); i++ {
				match := slices.Equal(la[i:i+len(lb)], lb) ||
					(len(lb) == 1 && len(lb[0]) >= 5 && strings.HasPrefix(la[i], lb[0]) && len(la[i]) <= len(lb[0])+3)
				if !match {
					continue
				}
				before := i - 1
				for before >= 0 && articles[la[before]] {
					before--
				}
				if before >= 0 && notPartBefore[la[before]] || i+len(lb) < len(la) && notPartAfter[la[i+len(lb)]] {
					continue
				}
				return true
			}
		}
	}
	return false
}

// statement proposes a statement for a sentence with a statement verb: the
// speaker is the person named after the verb ("said the Ambassador …,
// Geurts"), else before it, else an organization; "he"/"she" next to the
// verb is the last person named. Topics are the Topic, Programme and
// Agreement nodes of the sentence; the stance comes from cue words, an
// opposing cue winning over a supporting one.
func (e *Engine) statement(d *docState, si int, refs []ref) (StatementProposal, bool) {
	lo, hi := d.sentTok[si][0], d.sentTok[si][1]
	verbs := findPhrases(d.toks, lo, hi, e.verbs)
	if len(verbs) == 0 {
		return StatementProposal{}, false
	}
	v := verbs[0]
	speaker, conf := "", 0.6
	if v[0]-1 >= lo && e.sets.pronouns[d.toks[v[0]-1].fold] || v[0]-2 >= lo && e.sets.pronouns[d.toks[v[0]-2].fold] {
		pron := v[0] - 1
		if !e.sets.pronouns[d.toks[pron].fold] {
			pron--
		}
		for _, r := range refs {
			if r.kind == domain.KindPerson && r.via == "mention" && r.last <= pron {
				speaker = r.id
			}
		}
		if speaker == "" {
			speaker = d.lastPerson
		}
		conf = 0.5
	}
	near := func(kind domain.Kind, after bool) string {
		best, dist := "", 13
		for _, r := range refs {
			if r.kind != kind || r.via != "mention" {
				continue
			}
			dd := v[0] - r.last
			if after {
				dd = r.first - v[1]
			}
			if dd >= 0 && dd < dist {
				best, dist = r.id, dd
			}
		}
		return best
	}
	for _, try := range []struct {
		kind  domain.Kind
		after bool
	}{{domain.KindPerson, true}, {domain.KindPerson, false}, {domain.KindOrganization, false}, {domain.KindOrganization, true}} {
		if speaker != "" {
			break
		}
		speaker = near(try.kind, try.after)
	}
	if speaker == "" {
		return StatementProposal{}, false
	}
	s := d.sents[si]
	st := StatementProposal{Speaker: speaker, Stance: StanceNeutral, Quote: s.Text, Start: s.Start, End: s.End,
		Sentence: si, Reason: "statement verb (" + d.text[d.toks[v[0]].start:d.toks[v[1]-1].end] + ")", Confidence: conf}
	seen := map[string]bool{}
	for _, r := range refs {
		if (r.kind == domain.KindTopic || r.kind == domain.KindProgramme || r.kind == domain.KindAgreement) && !seen[r.id] {
			seen[r.id] = true
			st.Topics = append(st.Topics, r.id)
		}
	}
	for _, p := range e.positions(d, si, refs) {
		if p.From == speaker && p.To != speaker {
			st.OnBehalfOf = p.To
			break
		}
	}
	switch {
	case len(findPhrases(d.toks, lo, hi, e.oppose)) > 0:
		st.Stance = StanceOpposes
	case len(findPhrases(d.toks, lo, hi, e.support)) > 0:
		st.Stance = StanceSupports
	}
	return st, true
}
