package main

import (
	"archive/zip"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/export"
)

const importUsage = `usage: stakegraph import --from csv --out DIR [--sources DIR] (nodes.csv edges.csv [statements.csv] | export.csv.zip)
       stakegraph import --from ftm --out DIR [--sources DIR] (FILE.ftm.json | -)

Reads an export and writes a dataset directory in the shipped format, which
serve --data, seed --data and validate read:

  csv  the tables the CSV export writes (GET /export/csv: a ZIP, or its
       files, nodes first, then edges, then statements if there are any)
  ftm  FollowTheMoney entities, one JSON object a line, as the FtM export
       writes them (GET /export/ftm); "-" reads them from standard input

The data is checked with the same rules as the shipped dataset; any problem
refuses the whole import, each named at file:line in the input, and nothing
is written.

Every evidence quote must occur verbatim in its source's text, which neither
format carries. A Source's text is taken from the first of: the file its
"text" column (csv) or "fileName" property (ftm) names in the --sources
directory; DIR/<slug>.txt or DIR/<slug>.md for source:<slug>; the shipped
dataset's text for a source it holds. The texts are copied into the
dataset's sources/ directory.

flags:
`

// importFormats are the formats --from accepts.
var importFormats = []string{"csv", "ftm"}

func runImport(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	from := fs.String("from", "csv", "input `format`: csv (the CSV export's nodes.csv and edges.csv) or ftm (FollowTheMoney entity lines)")
	out := fs.String("out", "", "dataset `DIR` to write; must not exist or be empty")
	sources := fs.String("sources", "", "`DIR` of source texts (see above); optional when every source is a shipped one")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), importUsage)
		fs.PrintDefaults()
	}
	// Flags may come before, between or after the file names; "-" is a
	// file name (standard input), not a flag.
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return errUsage
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if !slices.Contains(importFormats, *from) {
		return domain.Errorf(domain.EINVALID, "--from %s: unknown input format; known: %s", *from, strings.Join(importFormats, ", "))
	}
	if *out == "" {
		return domain.Errorf(domain.EINVALID, "--out is required: the dataset directory to write")
	}
	var d *dataset.Dataset
	var what string
	switch *from {
	case "csv":
		tables, err := readCSVInput(files)
		if err != nil {
			return err
		}
		if d, err = dataset.ImportCSV(tables, *sources); err != nil {
			return err
		}
		what = tables.Nodes.Name + " and " + tables.Edges.Name
		if tables.Statements.Name != "" {
			what = tables.Nodes.Name + ", " + tables.Edges.Name + " and " + tables.Statements.Name
		}
	case "ftm":
		f, err := readFtMInput(files, os.Stdin)
		if err != nil {
			return err
		}
		if d, err = dataset.ImportFtM(f, *sources); err != nil {
			return err
		}
		what = f.Name
	}
	header := fmt.Sprintf("Written by `stakegraph import --from %s` from %s.\n"+
		"Edit freely; `stakegraph validate DIR` checks the directory.", *from, what)
	if err := dataset.WriteDir(d, *out, header); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported %d nodes, %d relations, %d statements and %d source texts into %s\n",
		len(d.Graph.Nodes), len(d.Graph.Relations), len(d.Graph.Statements), len(d.SourceFiles), *out)
	return nil
}

// readFtMInput reads the one file of FtM entities, "-" being standard input.
func readFtMInput(files []string, stdin io.Reader) (dataset.FtMFile, error) {
	if len(files) != 1 {
		return dataset.FtMFile{}, domain.Errorf(domain.EINVALID,
			"name one file of FollowTheMoney entities (the FtM export), or - for standard input; got %d files", len(files))
	}
	if files[0] == "-" {
		b, err := io.ReadAll(stdin)
		if err != nil {
			return dataset.FtMFile{}, domain.WrapError(domain.EINVALID, err, "cannot read standard input: %v", err)
		}
		return dataset.FtMFile{Name: "stdin", Data: b}, nil
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		return dataset.FtMFile{}, domain.WrapError(domain.EINVALID, err, "cannot read %s: %v", files[0], unwrapPath(err))
	}
	return dataset.FtMFile{Name: files[0], Data: b}, nil
}

// readCSVInput reads nodes.csv, edges.csv and statements.csv (optional),
// given as files or as the ZIP the export writes.
func readCSVInput(files []string) (dataset.CSVTables, error) {
	var t dataset.CSVTables
	switch len(files) {
	case 1:
		return readCSVZip(files[0])
	case 2, 3:
		tables := []*dataset.CSVFile{&t.Nodes, &t.Edges, &t.Statements}
		for i, p := range files {
			b, err := os.ReadFile(p)
			if err != nil {
				return t, domain.WrapError(domain.EINVALID, err, "cannot read %s: %v", p, unwrapPath(err))
			}
			*tables[i] = dataset.CSVFile{Name: p, Data: b}
		}
		return t, nil
	}
	return t, domain.Errorf(domain.EINVALID,
		"name the CSV export: nodes.csv and edges.csv (in that order, then statements.csv if there is one), or the ZIP holding them; got %d files", len(files))
}

func readCSVZip(p string) (dataset.CSVTables, error) {
	var t dataset.CSVTables
	zr, err := zip.OpenReader(p)
	if err != nil {
		return t, domain.WrapError(domain.EINVALID, err,
			"cannot read %s as a ZIP (%v); name a ZIP from /export/csv, or nodes.csv and edges.csv", p, unwrapPath(err))
	}
	defer zr.Close()
	read := func(name string, optional bool) (dataset.CSVFile, error) {
		f, err := zr.Open(name)
		if optional && errors.Is(err, fs.ErrNotExist) {
			return dataset.CSVFile{}, nil
		}
		if err != nil {
			return dataset.CSVFile{}, domain.WrapError(domain.EINVALID, err, "%s holds no %s: name a ZIP from /export/csv", p, name)
		}
		defer f.Close()
		b, err := io.ReadAll(f)
		if err != nil {
			return dataset.CSVFile{}, domain.WrapError(domain.EINVALID, err, "cannot read %s in %s: %v", name, p, err)
		}
		// Problems point into the ZIP: export.csv.zip/nodes.csv:12.
		return dataset.CSVFile{Name: strings.TrimSuffix(p, "/") + "/" + filepath.ToSlash(name), Data: b}, nil
	}
	if t.Nodes, err = read(export.NodesCSV, false); err != nil {
		return t, err
	}
	if t.Edges, err = read(export.EdgesCSV, false); err != nil {
		return t, err
	}
	t.Statements, err = read(export.StatementsCSV, true)
	return t, err
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
