package dataset

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// sourceTexts finds the texts of the Source nodes an import reads, which
// the imported file does not carry, and keeps them for the quote check.
type sourceTexts struct {
	l      *loader
	dir    string            // the sources directory; "" for none
	byName map[string]string // text file name → the source ID that first used it
	texts  map[string]string // text file name → content
}

func newSourceTexts(l *loader, dir string) *sourceTexts {
	return &sourceTexts{l: l, dir: dir, byName: map[string]string{}, texts: map[string]string{}}
}

// find finds the text of a Source node and records it on the entry,
// reporting a source without one at field, the field naming its text file.
// The text is taken from the first of: the file textName in the sources
// directory; <slug>.txt or <slug>.md there; the shipped text of a source
// the shipped dataset holds.
func (st *sourceTexts) find(ne *nodeEntry, field, textName string) {
	problem := func(format string, args ...any) {
		st.l.add(ne.file, ne.lineOf(field), "%s: %s: %s", ne.label, field, fmt.Sprintf(format, args...))
	}
	id := ne.node.ID
	_, slug, _ := domain.ParseID(id)
	var name, content string
	switch {
	case textName != "":
		if !validTextName(textName) {
			problem("%q must be a relative file name without \"..\"", textName)
			return
		}
		if st.dir == "" {
			problem("names %s, but no sources directory was given to read it from", textName)
			return
		}
		b, err := os.ReadFile(filepath.Join(st.dir, filepath.FromSlash(textName)))
		if err != nil {
			problem("cannot read %s: %v", filepath.Join(st.dir, textName), unwrapPathError(err))
			return
		}
		name, content = textName, string(b)
	default:
		found := false
		if st.dir != "" {
			for _, ext := range []string{".txt", ".md"} {
				if b, err := os.ReadFile(filepath.Join(st.dir, slug+ext)); err == nil {
					name, content, found = slug+ext, string(b), true
					break
				}
			}
		}
		if !found {
			shipped, err := shipped()
			file, ok := "", false
			if err == nil {
				file, ok = shipped.SourceFiles[id]
			}
			if !ok {
				where := "no sources directory was given"
				if st.dir != "" {
					where = "the sources directory " + st.dir + " holds no " + slug + ".txt or " + slug + ".md"
				}
				problem("no text to check quotes against: %s, and the shipped dataset has no %s", where, id)
				return
			}
			name, content = file, shipped.SourceTexts[id]
		}
	}
	if first, used := st.byName[name]; used && st.texts[name] != content {
		problem("text file %s differs from the one of the same name taken for %s", name, first)
		return
	}
	st.byName[name], st.texts[name] = id, content
	ne.text = name
	ne.read = func(_, text string) (string, string, error) {
		c, ok := st.texts[text]
		if !ok {
			return "", "", fs.ErrNotExist
		}
		return c, path.Join(SourcesDir, text), nil
	}
}
