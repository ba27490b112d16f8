// Package dataset loads and validates stakegraph's stakeholder data: YAML
// files of nodes and relations plus the source texts that every relation's
// evidence quotes are checked against. The shipped dataset (EU–Ecuador
// security cooperation around the III Round Table of September 2023) is
// embedded in the binary.
//
// # File format
//
// Each YAML file is a mapping with optional `nodes:`, `relations:` and
// `statements:` lists. A node entry has camelCase keys matching domain.Node
// (id, name, aliases, description, orgType, isoCode, title, scope, budget,
// location, status, start, end, url, publisher); its kind comes from the ID
// prefix. A Source node also has `text:`, the file (under sources/) its
// quotes are checked against. A relation entry has type, from, to and
// optionally id (default domain.RelationID(from, type, to)), role, status,
// start, end, confidence, note and evidence: [{source, quote}]. Dates are
// quoted strings: "2023", "2023-09" or "2023-09-26". A statement entry has
// speaker, about (a list of topic, programme or agreement IDs), stance
// (SUPPORTS, OPPOSES or NEUTRAL), confidence, source and quote, and
// optionally id (default domain.StatementID(speaker, quote)), onBehalfOf,
// date, event and note; its quote is checked against its source's text like
// a relation's. Unknown keys are errors.
//
// Every problem found is reported, one per line, as
//
//	file:line: node|relation <id>: field: problem
//
// The rules themselves (which kinds a relation type joins, which fields a
// kind carries, evidence, verbatim quotes …) are the domain's: this package
// reads files, says where each entry and field is, and reports the domain's
// problems there. ImportCSV does the same for the CSV export's tables, and
// WriteDir writes a dataset directory in the format above.
package dataset

import (
	"embed"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/stakegraph/stakegraph/internal/domain"
)

//go:embed data
var shippedFS embed.FS

// shippedDir is the directory of the shipped dataset inside shippedFS.
const shippedDir = "data"

// SourcesDir is the directory, next to the YAML files, holding the texts
// that Source nodes name in their `text:` field.
const SourcesDir = "sources"

// Dataset is a loaded and validated dataset: the graph plus, for every
// Source node, the text its evidence quotes were checked against.
type Dataset struct {
	Graph *domain.Graph
	// SourceTexts maps a Source node ID to its shipped text.
	SourceTexts map[string]string
	// SourceFiles maps a Source node ID to the file named by its `text:`
	// field, relative to the sources directory.
	SourceFiles map[string]string
}

// SourceText returns the text that quotes citing the Source node id are
// checked against.
func (d *Dataset) SourceText(id string) (string, bool) {
	t, ok := d.SourceTexts[id]
	return t, ok
}

var shipped = sync.OnceValues(func() (*Dataset, error) {
	return LoadDataset(shippedFS, shippedDir)
})

// Shipped loads and validates the embedded dataset. Each call returns a
// fresh copy the caller may modify.
func Shipped() (*domain.Graph, error) {
	d, err := ShippedDataset()
	if err != nil {
		return nil, err
	}
	return d.Graph, nil
}

// ShippedDataset is Shipped with the source texts. Each call returns a fresh
// copy the caller may modify.
func ShippedDataset() (*Dataset, error) {
	d, err := shipped()
	if err != nil {
		return nil, err
	}
	return d.clone(), nil
}

// SourceText returns the shipped text of the shipped Source node id, e.g.
// the press article behind source:roundtable-article-2023.
func SourceText(id string) (string, bool) {
	d, err := shipped()
	if err != nil {
		return "", false
	}
	return d.SourceText(id)
}

// ShippedFS returns the embedded dataset files, rooted at the dataset
// directory (YAML files at the top and below, texts under sources/).
func ShippedFS() fs.FS {
	sub, err := fs.Sub(shippedFS, shippedDir)
	if err != nil {
		panic(err) // shippedDir is a constant that exists
	}
	return sub
}

// Load reads and validates a dataset from fsys: every *.yaml file under dir
// (recursively), source texts under dir/sources/.
func Load(fsys fs.FS, dir string) (*domain.Graph, error) {
	d, err := LoadDataset(fsys, dir)
	if err != nil {
		return nil, err
	}
	return d.Graph, nil
}

// LoadDataset is Load with the source texts.
func LoadDataset(fsys fs.FS, dir string) (*Dataset, error) {
	dir = path.Clean(dir)
	l := newLoader()
	names, err := yamlFiles(fsys, dir)
	if err != nil {
		return nil, domain.WrapError(domain.EINVALID, err, "cannot read dataset directory %s", dir)
	}
	if len(names) == 0 {
		return nil, domain.Errorf(domain.EINVALID, "dataset directory %s holds no *.yaml files", dir)
	}
	readText := func(_ string, text string) (string, string, error) {
		p := path.Join(dir, SourcesDir, text)
		b, err := fs.ReadFile(fsys, p)
		return string(b), relName(dir, p), err
	}
	for _, p := range names {
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			l.add(relName(dir, p), 0, "cannot read file: %v", err)
			continue
		}
		l.parseFile(relName(dir, p), p, data, readText)
	}
	return l.finish()
}

// yamlFiles lists the *.yaml files under dir in fsys, recursively, sorted.
func yamlFiles(fsys fs.FS, dir string) ([]string, error) {
	var names []string
	err := fs.WalkDir(fsys, dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() && path.Ext(p) == ".yaml" {
			names = append(names, p)
		}
		return nil
	})
	slices.Sort(names)
	return names, err
}

func relName(dir, p string) string {
	if dir == "." {
		return p
	}
	if rel, ok := strings.CutPrefix(p, dir+"/"); ok {
		return rel
	}
	return p
}

// LoadFiles validates a dataset made of the given YAML files and
// directories on disk (directories are searched recursively for *.yaml). A
// Source node's `text:` file is looked up, relative to the YAML file naming
// it, first in sources/ then next to it, and last among the embedded shipped
// source texts.
func LoadFiles(paths ...string) (*domain.Graph, error) {
	d, err := LoadFilesDataset(paths...)
	if err != nil {
		return nil, err
	}
	return d.Graph, nil
}

// LoadFilesDataset is LoadFiles with the source texts.
func LoadFilesDataset(paths ...string) (*Dataset, error) {
	if len(paths) == 0 {
		return nil, domain.Errorf(domain.EINVALID, "no dataset files given: name YAML files or directories")
	}
	l := newLoader()
	var files []string
	seen := map[string]bool{}
	addFile := func(p string) {
		key, err := filepath.Abs(p)
		if err != nil {
			key = p
		}
		if !seen[key] {
			seen[key] = true
			files = append(files, p)
		}
	}
	for _, p := range paths {
		p = filepath.Clean(p)
		info, err := os.Stat(p)
		if err != nil {
			l.add(p, 0, "cannot read: %v", unwrapPathError(err))
			continue
		}
		if !info.IsDir() {
			addFile(p)
			continue
		}
		found, err := yamlFiles(os.DirFS(p), ".")
		if err != nil {
			l.add(p, 0, "cannot read directory: %v", unwrapPathError(err))
			continue
		}
		if len(found) == 0 {
			l.add(p, 0, "directory holds no *.yaml files")
		}
		for _, q := range found {
			addFile(filepath.Join(p, filepath.FromSlash(q)))
		}
	}
	readText := func(yamlPath, text string) (string, string, error) {
		dir := filepath.Dir(yamlPath)
		for _, p := range []string{filepath.Join(dir, SourcesDir, text), filepath.Join(dir, text)} {
			b, err := os.ReadFile(p)
			if err == nil {
				return string(b), p, nil
			}
		}
		p := path.Join(shippedDir, SourcesDir, text)
		b, err := fs.ReadFile(shippedFS, p)
		if err != nil {
			return "", "", fs.ErrNotExist
		}
		return string(b), "(shipped) " + path.Join(SourcesDir, text), nil
	}
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			l.add(p, 0, "cannot read: %v", unwrapPathError(err))
			continue
		}
		l.parseFile(p, p, data, readText)
	}
	return l.finish()
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

func (d *Dataset) clone() *Dataset {
	g := &domain.Graph{
		Nodes:     make([]*domain.Node, len(d.Graph.Nodes)),
		Relations: make([]*domain.Relation, len(d.Graph.Relations)),
	}
	for i, n := range d.Graph.Nodes {
		c := *n
		c.Aliases = slices.Clone(n.Aliases)
		g.Nodes[i] = &c
	}
	for i, r := range d.Graph.Relations {
		c := *r
		c.Evidence = slices.Clone(r.Evidence)
		g.Relations[i] = &c
	}
	for _, st := range d.Graph.Statements {
		g.Statements = append(g.Statements, domain.CloneStatement(st))
	}
	return &Dataset{Graph: g, SourceTexts: maps.Clone(d.SourceTexts), SourceFiles: maps.Clone(d.SourceFiles)}
}
