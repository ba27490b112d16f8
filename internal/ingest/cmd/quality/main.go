// Command quality scores the ingestion engine against the hand-made answer
// keys of the test corpus and prints precision and recall of mentions,
// proposed relations and statements, per text and overall:
//
//	go run ./internal/ingest/cmd/quality            # the table
//	go run ./internal/ingest/cmd/quality -v         # and what was missed or wrong
//	go run ./internal/ingest/cmd/quality -corpus DIR
//
// The engine runs over the shipped graph's nodes (no relations are used).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/ingest"
)

func main() {
	corpus := flag.String("corpus", "internal/ingest/testdata/corpus", "directory of corpus texts and their answer keys")
	verbose := flag.Bool("v", false, "list what each text missed and what it found wrongly")
	flag.Parse()
	if err := run(*corpus, *verbose); err != nil {
		fmt.Fprintln(os.Stderr, "quality:", err)
		os.Exit(1)
	}
}

func run(dir string, verbose bool) error {
	g, err := dataset.Shipped()
	if err != nil {
		return err
	}
	v, err := ingest.ShippedVariants()
	if err != nil {
		return err
	}
	texts, err := ingest.LoadCorpus(os.DirFS(dir), ".")
	if err != nil {
		return err
	}
	q, err := ingest.Evaluate(ingest.New(g.Nodes, v), texts)
	if err != nil {
		return err
	}
	if err := q.WriteTable(os.Stdout); err != nil {
		return err
	}
	if verbose {
		for _, d := range q.Docs {
			fmt.Printf("\n## %s\n", d.Name)
			for _, m := range d.Missed {
				fmt.Println("  missed:", m)
			}
			for _, w := range d.Wrong {
				fmt.Println("  wrong: ", w)
			}
		}
	}
	return nil
}
