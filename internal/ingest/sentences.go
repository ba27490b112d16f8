package ingest

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/neurosnap/sentences"
	"github.com/neurosnap/sentences/data"
	"github.com/neurosnap/sentences/english"
)

// Sentence is one sentence of a text: Text is exactly text[Start:End], so
// it is a verbatim quote of the text.
type Sentence struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
}

// abbreviations are the supervised abbreviations added to Punkt's English
// model: Spanish titles and short forms, and English ones the model misses.
// Written lower-case without the final period, as Punkt stores them; "p. ej."
// is two tokens, "p" and "ej".
var abbreviations = []string{
	// Spanish
	"sr", "sra", "srta", "srs", "sres", "dr", "dra", "dres", "lic", "ing", "arq", "gral", "gen", "cnel", "tte",
	"cap", "sgto", "mons", "pdte", "excmo", "excma", "ilmo", "sto", "sta", "ud", "uds", "av", "avda", "cía",
	"dpto", "depto", "núm", "nº", "art", "arts", "pág", "págs", "p", "pp", "ej", "etc", "aprox", "ee.uu", "ee",
	"uu", "nro", "ene", "abr", "ago", "sept", "dic", "cf",
	// English
	"mr", "mrs", "ms", "prof", "st", "jr", "inc", "ltd", "corp", "dept", "gov", "no", "nos", "vol", "fig",
	"approx", "vs", "u.s", "u.k", "u.n", "e.g", "i.e", "jan", "feb", "aug", "oct", "nov", "dec", "ref",
}

// idleTokenizers keeps built sentence tokenizers for reuse (building one
// parses the model): one is never shared between goroutines, since the
// library does not say it may be.
var idleTokenizers = make(chan *sentences.DefaultSentenceTokenizer, 4)

func getTokenizer() *sentences.DefaultSentenceTokenizer {
	select {
	case t := <-idleTokenizers:
		return t
	default:
		return newTokenizer()
	}
}

func putTokenizer(t *sentences.DefaultSentenceTokenizer) {
	select {
	case idleTokenizers <- t:
	default:
	}
}

func newTokenizer() *sentences.DefaultSentenceTokenizer {
	b, err := data.Asset("data/english.json")
	if err != nil {
		panic("ingest: the sentence model compiled into the binary is missing: " + err.Error())
	}
	training, err := sentences.LoadTraining(b)
	if err != nil {
		panic("ingest: the sentence model compiled into the binary does not load: " + err.Error())
	}
	for _, a := range abbreviations {
		training.AbbrevTypes.Add(a)
	}
	t, err := english.NewSentenceTokenizer(training)
	if err != nil {
		panic("ingest: building the sentence tokenizer: " + err.Error())
	}
	return t
}

// SplitSentences splits text into sentences for Spanish and English: line
// structure first (paragraphs, headings, list items), then Punkt within each
// block, then the repairs Punkt needs (see the package comment).
func SplitSentences(text string) []Sentence {
	tok := getTokenizer()
	defer putTokenizer(tok)
	var out []Sentence
	for _, b := range blocks(text) {
		var block []Sentence
		for _, s := range tok.Tokenize(text[b[0]:b[1]]) {
			if sen, ok := trimmed(text, b[0]+s.Start, b[0]+s.End); ok {
				for _, part := range splitAfterClosingQuote(text, sen) {
					block = append(block, splitBeforeOpeningMark(text, part)...)
				}
			}
		}
		out = append(out, mergeFragments(text, block)...)
	}
	return out
}

// blocks cuts text into runs of lines that may hold one sentence across a
// line break. A blank line ends a block; so does a line before a list item,
// a list item, and a short line without final punctuation (a heading).
func blocks(text string) [][2]int {
	var out [][2]int
	start := -1
	pos := 0
	for pos < len(text) {
		end := strings.IndexByte(text[pos:], '\n')
		lineEnd := len(text)
		next := len(text)
		if end >= 0 {
			lineEnd = pos + end
			next = lineEnd + 1
		}
		line := strings.TrimSpace(text[pos:lineEnd])
		switch {
		case line == "":
			if start >= 0 {
				out = append(out, [2]int{start, pos})
				start = -1
			}
		default:
			if start >= 0 && isListItem(line) {
				out = append(out, [2]int{start, pos})
				start = -1
			}
			if start < 0 {
				start = pos
			}
			nextLine := ""
			if next < len(text) {
				nl := strings.IndexByte(text[next:], '\n')
				if nl < 0 {
					nextLine = strings.TrimSpace(text[next:])
				} else {
					nextLine = strings.TrimSpace(text[next : next+nl])
				}
			}
			if isListItem(line) || isHeading(line, nextLine) {
				out = append(out, [2]int{start, lineEnd})
				start = -1
			}
		}
		pos = next
	}
	if start >= 0 {
		out = append(out, [2]int{start, len(text)})
	}
	return out
}

// isListItem reports whether a line starts with a bullet or a number or
// letter followed by "." or ")" and a space: "- ", "• ", "1. ", "2) ", "a) ".
func isListItem(line string) bool {
	r, size := utf8.DecodeRuneInString(line)
	switch r {
	case '-', '•', '*', '–', '·', '▪':
		return len(line) > size && line[size] == ' '
	}
	i := 0
	for i < len(line) && i < 3 && line[i] >= '0' && line[i] <= '9' {
		i++
	}
	if i == 0 && len(line) > 1 && line[0] >= 'a' && line[0] <= 'z' && line[1] == ')' {
		i = 1
	}
	return i > 0 && i+1 < len(line) && (line[i] == '.' || line[i] == ')') && line[i+1] == ' '
}

// isHeading reports whether a line stands alone: it ends with no sentence
// punctuation and the next line starts a new sentence (capital, quote,
// digit or list marker), or it ends with terminal punctuation.
func isHeading(line, next string) bool {
	last, _ := utf8.DecodeLastRuneInString(line)
	if strings.ContainsRune(".!?…", last) {
		return true
	}
	if strings.ContainsRune(",;:(-–", last) || next == "" {
		return false
	}
	first, _ := utf8.DecodeRuneInString(next)
	return unicode.IsUpper(first) || unicode.IsDigit(first) || strings.ContainsRune("“«\"¿¡", first) || isListItem(next)
}

// trimmed returns text[start:end] less surrounding white space.
func trimmed(text string, start, end int) (Sentence, bool) {
	for start < end {
		r, size := utf8.DecodeRuneInString(text[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		start += size
	}
	for end > start {
		r, size := utf8.DecodeLastRuneInString(text[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		end -= size
	}
	return Sentence{Start: start, End: end, Text: text[start:end]}, start < end
}

// splitAfterClosingQuote splits where a sentence ends inside a closing
// guillemet or quote and the next one starts with a capital: «Vamos bien.» Luego …
// Punkt knows only straight and curly quotes after its end marks.
func splitAfterClosingQuote(text string, s Sentence) []Sentence {
	var out []Sentence
	from := s.Start
	for i := s.Start; i < s.End; {
		r, size := utf8.DecodeRuneInString(text[i:s.End])
		if r == '»' && i > from {
			prev, _ := utf8.DecodeLastRuneInString(text[from:i])
			rest := strings.TrimLeftFunc(text[i+size:s.End], unicode.IsSpace)
			nr, _ := utf8.DecodeRuneInString(rest)
			if strings.ContainsRune(".!?…", prev) && rest != "" && (unicode.IsUpper(nr) || strings.ContainsRune("«“¿¡", nr)) {
				if sen, ok := trimmed(text, from, i+size); ok {
					out = append(out, sen)
				}
				from = i + size
			}
		}
		i += size
	}
	if sen, ok := trimmed(text, from, s.End); ok {
		out = append(out, sen)
	}
	return out
}

// splitBeforeOpeningMark splits before a Spanish opening question or
// exclamation mark that follows an end mark: "… a las 10. ¡Qué bien!". The
// opening mark always starts a sentence; Punkt does not read it as one.
func splitBeforeOpeningMark(text string, s Sentence) []Sentence {
	var out []Sentence
	from := s.Start
	for i := s.Start; i < s.End; {
		r, size := utf8.DecodeRuneInString(text[i:s.End])
		if (r == '¿' || r == '¡') && i > from {
			before := strings.TrimRightFunc(text[from:i], unicode.IsSpace)
			prev, _ := utf8.DecodeLastRuneInString(before)
			if len(before) < i-from && strings.ContainsRune(".!?…»”", prev) {
				if sen, ok := trimmed(text, from, i); ok {
					out = append(out, sen)
				}
				from = i
			}
		}
		i += size
	}
	if sen, ok := trimmed(text, from, s.End); ok {
		out = append(out, sen)
	}
	return out
}

// mergeFragments joins a sentence to the one before it when it cannot start
// a sentence (lower case, or a comma or semicolon: "… table. , Spain, …")
// or when the one before it leaves a quotation open (up to maxQuoteRun
// bytes, so one stray quotation mark cannot glue a whole block together).
func mergeFragments(text string, in []Sentence) []Sentence {
	var out []Sentence
	var q quotes
	for _, s := range in {
		first, _ := utf8.DecodeRuneInString(s.Text)
		if len(out) > 0 && ((q.open() && s.End-out[len(out)-1].Start <= maxQuoteRun) ||
			unicode.IsLower(first) || strings.ContainsRune(",;:)]", first)) {
			last := &out[len(out)-1]
			last.End = s.End
			last.Text = text[last.Start:last.End]
		} else {
			out = append(out, s)
			q = quotes{}
		}
		q.feed(s.Text)
	}
	return out
}

// maxQuoteRun bounds a sentence merged because a quotation is open.
const maxQuoteRun = 1200

// quotes follows the quotations open in a run of text: curly and angle
// quotes by their opening and closing marks (a stray closing mark closes
// nothing), straight double quotes by parity.
type quotes struct{ depth, straight int }

func (q *quotes) feed(s string) {
	for _, r := range s {
		switch r {
		case '“', '«':
			q.depth++
		case '”', '»':
			if q.depth > 0 {
				q.depth--
			}
		case '"':
			q.straight++
		}
	}
}

func (q *quotes) open() bool { return q.depth > 0 || q.straight%2 == 1 }
