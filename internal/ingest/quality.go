package ingest

import (
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// Key is the hand-made answer key of one corpus text (see
// testdata/corpus/README.md for how it is read).
type Key struct {
	Document  string `yaml:"document"`
	Title     string `yaml:"title"`
	URL       string `yaml:"url"`
	Publisher string `yaml:"publisher"`
	Language  string `yaml:"language"`
	Licence   string `yaml:"licence"`
	// HeldOut marks a text added after the engine's rules were written and
	// not used to tune them; the table totals these apart too.
	HeldOut  bool `yaml:"heldOut"`
	Mentions []struct {
		Text string `yaml:"text"`
		ID   string `yaml:"id"`
		Nth  []int  `yaml:"nth"`
	} `yaml:"mentions"`
	Relations []struct {
		From string              `yaml:"from"`
		Type domain.RelationType `yaml:"type"`
		To   string              `yaml:"to"`
	} `yaml:"relations"`
	Statements []struct {
		Speaker string `yaml:"speaker"`
		Topic   string `yaml:"topic"`
		Stance  Stance `yaml:"stance"`
	} `yaml:"statements"`
	// Candidates are the unknown proper names a reviewer would add; nil
	// when the key has no candidates section (an empty list is a key too).
	Candidates *[]KeyCandidate `yaml:"candidates"`
}

// KeyCandidate is one stakeholder of a key's candidates: its name as the
// text spells it, other surfaces of it in the text (an acronym), its kind,
// and whether a reviewer might as well not want it (neither rewarded nor
// counted against the engine).
type KeyCandidate struct {
	Name     string      `yaml:"name"`
	Aliases  []string    `yaml:"aliases"`
	Kind     domain.Kind `yaml:"kind"`
	Optional bool        `yaml:"optional"`
}

// surfaces are the key candidate's name and aliases, folded.
func (k KeyCandidate) surfaces() []string {
	out := []string{foldName(k.Name)}
	for _, a := range k.Aliases {
		out = append(out, foldName(a))
	}
	return out
}

func foldName(s string) string { return strings.Join(domain.Tokens(s), " ") }

// CorpusText is one text of the corpus with its key.
type CorpusText struct {
	Name string
	Text string
	Key  Key
}

// LoadCorpus reads every key (*.yaml) in dir of fsys and the text it names.
func LoadCorpus(fsys fs.FS, dir string) ([]CorpusText, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%s: no answer keys (*.yaml)", dir)
	}
	var out []CorpusText
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		var k Key
		if err := yaml.Unmarshal(b, &k); err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		text, err := fs.ReadFile(fsys, path.Join(dir, k.Document))
		if err != nil {
			return nil, fmt.Errorf("%s: document: %w", n, err)
		}
		out = append(out, CorpusText{Name: strings.TrimSuffix(path.Base(n), ".yaml"), Text: string(text), Key: k})
	}
	return out, nil
}

// span is a key mention resolved to offsets.
type span struct {
	start, end int
	id         string
}

// keySpans resolves a key's mentions to spans: every whole-word occurrence
// of each surface (or those in nth), less those inside a longer one.
func keySpans(text string, k Key) ([]span, error) {
	var all []span
	for _, m := range k.Mentions {
		if m.Text == "" || m.ID == "" {
			return nil, fmt.Errorf("mention %q: text and id required", m.Text)
		}
		n := 0
		found := false
		for from := 0; ; {
			i := strings.Index(text[from:], m.Text)
			if i < 0 {
				break
			}
			s, e := from+i, from+i+len(m.Text)
			from = s + 1
			if !wordEdge(text, s, e) {
				continue
			}
			n++
			if len(m.Nth) > 0 && !slices.Contains(m.Nth, n) {
				continue
			}
			all = append(all, span{s, e, m.ID})
			found = true
		}
		if !found {
			return nil, fmt.Errorf("mention %q (%s) does not occur in %s", m.Text, m.ID, k.Document)
		}
	}
	var out []span
	for _, a := range all {
		inside := slices.ContainsFunc(all, func(b span) bool {
			return b.start <= a.start && a.end <= b.end && b.end-b.start > a.end-a.start
		})
		if !inside {
			out = append(out, a)
		}
	}
	return out, nil
}

func wordEdge(text string, s, e int) bool {
	before, _ := utf8.DecodeLastRuneInString(text[:s])
	after, _ := utf8.DecodeRuneInString(text[e:])
	word := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	return (s == 0 || !word(before)) && (e == len(text) || !word(after))
}

// Score counts true positives, what was found and what was expected.
type Score struct {
	TP, Found, Expected int
}

// Precision is TP/Found (1 when nothing was found).
func (s Score) Precision() float64 {
	if s.Found == 0 {
		return 1
	}
	return float64(s.TP) / float64(s.Found)
}

// Recall is TP/Expected (1 when nothing was expected).
func (s Score) Recall() float64 {
	if s.Expected == 0 {
		return 1
	}
	return float64(s.TP) / float64(s.Expected)
}

func (s *Score) add(o Score) { s.TP += o.TP; s.Found += o.Found; s.Expected += o.Expected }

// DocQuality is one text's scores.
type DocQuality struct {
	Name, Language                  string
	HeldOut                         bool
	Mentions, Relations, Statements Score
	StanceAgree                     int // matched statements whose stance agrees with the key
	Candidates                      Score
	KindAgree                       int // matched candidates whose suggested kind is the key's
	Missed, Wrong                   []string
}

// Quality is the corpus's scores, per text and overall.
type Quality struct {
	Docs                            []DocQuality
	Mentions, Relations, Statements Score
	StanceAgree                     int
	Candidates                      Score
	KindAgree                       int
	// HeldOut totals the held-out texts alone.
	HeldOut struct {
		Mentions, Relations, Statements, Candidates Score
		KindAgree                                   int
	}
}

// KindAccuracy is the share of matched candidates whose suggested kind is
// the key's (1 when none matched).
func KindAccuracy(agree int, s Score) float64 {
	if s.TP == 0 {
		return 1
	}
	return float64(agree) / float64(s.TP)
}

// Evaluate ingests every corpus text with e and scores it against its key.
// A found mention counts when it overlaps a key mention of the same node; a
// relation when from, type and to match (either way round for
// COOPERATES_WITH); a statement per topic when speaker and topic match.
func Evaluate(e *Engine, corpus []CorpusText) (*Quality, error) {
	q := &Quality{}
	for _, c := range corpus {
		res, err := e.Ingest(Document{Text: c.Text, Language: c.Key.Language, Title: c.Key.Title, URL: c.Key.URL})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.Name, err)
		}
		spans, err := keySpans(c.Text, c.Key)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.Name, err)
		}
		dq := DocQuality{Name: c.Name, Language: c.Key.Language, HeldOut: c.Key.HeldOut}
		dq.Mentions = Score{Found: len(res.Mentions), Expected: len(spans)}
		matched := make([]bool, len(spans))
		for _, m := range res.Mentions {
			hit := false
			for i, s := range spans {
				if !matched[i] && s.id == m.NodeID && m.Start < s.end && s.start < m.End {
					matched[i], hit = true, true
					break
				}
			}
			if hit {
				dq.Mentions.TP++
			} else {
				dq.Wrong = append(dq.Wrong, fmt.Sprintf("mention %q → %s", m.Text, m.NodeID))
			}
		}
		for i, s := range spans {
			if !matched[i] {
				dq.Missed = append(dq.Missed, fmt.Sprintf("mention %q → %s", c.Text[s.start:s.end], s.id))
			}
		}

		want := map[string]bool{}
		for _, r := range c.Key.Relations {
			want[relKey(r.From, r.Type, r.To)] = true
		}
		got := map[string]bool{}
		for _, p := range res.Relations {
			got[relKey(p.From, p.Type, p.To)] = true
		}
		dq.Relations = Score{Found: len(got), Expected: len(want)}
		for k := range got {
			if want[k] {
				dq.Relations.TP++
			} else {
				dq.Wrong = append(dq.Wrong, "relation "+k)
			}
		}
		for k := range want {
			if !got[k] {
				dq.Missed = append(dq.Missed, "relation "+k)
			}
		}

		wantSt := map[string]Stance{}
		for _, s := range c.Key.Statements {
			wantSt[s.Speaker+" on "+s.Topic] = s.Stance
		}
		gotSt := map[string]Stance{}
		for _, s := range res.Statements {
			for _, t := range s.Topics {
				gotSt[s.Speaker+" on "+t] = s.Stance
			}
		}
		dq.Statements = Score{Found: len(gotSt), Expected: len(wantSt)}
		for k, st := range gotSt {
			if ws, ok := wantSt[k]; ok {
				dq.Statements.TP++
				if ws == st {
					dq.StanceAgree++
				}
			} else {
				dq.Wrong = append(dq.Wrong, "statement "+k)
			}
		}
		for k := range wantSt {
			if _, ok := gotSt[k]; !ok {
				dq.Missed = append(dq.Missed, "statement "+k)
			}
		}
		scoreCandidates(&dq, c.Key, res.Candidates)
		sort.Strings(dq.Missed)
		sort.Strings(dq.Wrong)
		q.Docs = append(q.Docs, dq)
		q.Candidates.add(dq.Candidates)
		q.KindAgree += dq.KindAgree
		q.Mentions.add(dq.Mentions)
		q.Relations.add(dq.Relations)
		q.Statements.add(dq.Statements)
		q.StanceAgree += dq.StanceAgree
		if dq.HeldOut {
			q.HeldOut.Mentions.add(dq.Mentions)
			q.HeldOut.Relations.add(dq.Relations)
			q.HeldOut.Statements.add(dq.Statements)
			q.HeldOut.Candidates.add(dq.Candidates)
			q.HeldOut.KindAgree += dq.KindAgree
		}
	}
	return q, nil
}

// scoreCandidates scores the engine's candidates against the key's: a
// candidate counts when its name or one of its aliases, folded, is a
// surface of a key candidate not matched yet; a second candidate for the
// same key entry is a duplicate and counts as found wrongly. Candidates
// matching an optional entry are left out of both counts.
func scoreCandidates(dq *DocQuality, k Key, found []Candidate) {
	if k.Candidates == nil {
		return
	}
	keys := *k.Candidates
	matched := make([]bool, len(keys))
	for _, kc := range keys {
		if !kc.Optional {
			dq.Candidates.Expected++
		}
	}
	for _, c := range found {
		names := []string{foldName(c.Name)}
		for _, a := range c.Aliases {
			names = append(names, foldName(a))
		}
		hit, dup := -1, false
		for i, kc := range keys {
			if slices.ContainsFunc(names, func(n string) bool { return slices.Contains(kc.surfaces(), n) }) {
				if matched[i] {
					dup = true
					continue
				}
				hit = i
				break
			}
		}
		switch {
		case hit >= 0 && keys[hit].Optional:
			matched[hit] = true
		case hit >= 0:
			matched[hit] = true
			dq.Candidates.Found++
			dq.Candidates.TP++
			if c.Kind == keys[hit].Kind {
				dq.KindAgree++
			} else {
				dq.Wrong = append(dq.Wrong, fmt.Sprintf("candidate kind %q: %s, key %s", c.Name, c.Kind, keys[hit].Kind))
			}
		case dup:
			dq.Candidates.Found++
			dq.Wrong = append(dq.Wrong, fmt.Sprintf("candidate %q (%s): a second candidate for one key entry", c.Name, c.Kind))
		default:
			dq.Candidates.Found++
			dq.Wrong = append(dq.Wrong, fmt.Sprintf("candidate %q (%s)", c.Name, c.Kind))
		}
	}
	for i, kc := range keys {
		if !matched[i] && !kc.Optional {
			dq.Missed = append(dq.Missed, fmt.Sprintf("candidate %q (%s)", kc.Name, kc.Kind))
		}
	}
}

// relKey names a relation for scoring; COOPERATES_WITH has no direction.
func relKey(from string, t domain.RelationType, to string) string {
	if t == domain.RelCooperatesWith && to < from {
		from, to = to, from
	}
	return domain.RelationID(from, t, to)
}

// WriteTable writes the scores as a Markdown table, per text and overall.
func (q *Quality) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', tabwriter.Debug)
	cell := func(s Score) string {
		return fmt.Sprintf("%.2f / %.2f (%d/%d/%d)", s.Precision(), s.Recall(), s.TP, s.Found, s.Expected)
	}
	kinds := func(agree int, s Score) string {
		if s.TP == 0 {
			return "–"
		}
		return fmt.Sprintf("%.2f (%d/%d)", KindAccuracy(agree, s), agree, s.TP)
	}
	fmt.Fprintln(tw, "| text\t lang\t mentions P / R (tp/found/key)\t relations P / R\t statements P / R\t candidates P / R\t candidate kinds right\t")
	fmt.Fprintln(tw, "|---\t---\t---\t---\t---\t---\t---\t")
	for _, d := range q.Docs {
		name := d.Name
		if d.HeldOut {
			name += " (held out)"
		}
		fmt.Fprintf(tw, "| %s\t %s\t %s\t %s\t %s\t %s\t %s\t\n", name, d.Language, cell(d.Mentions), cell(d.Relations), cell(d.Statements),
			cell(d.Candidates), kinds(d.KindAgree, d.Candidates))
	}
	fmt.Fprintf(tw, "| **overall**\t \t %s\t %s\t %s\t %s\t %s\t\n", cell(q.Mentions), cell(q.Relations), cell(q.Statements),
		cell(q.Candidates), kinds(q.KindAgree, q.Candidates))
	if h := q.HeldOut; h.Mentions.Expected > 0 {
		fmt.Fprintf(tw, "| held out only\t \t %s\t %s\t %s\t %s\t %s\t\n", cell(h.Mentions), cell(h.Relations), cell(h.Statements),
			cell(h.Candidates), kinds(h.KindAgree, h.Candidates))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\nStance agrees with the key on %d of %d matched statements.\n", q.StanceAgree, q.Statements.TP)
	return err
}
