// Command synth writes a synthetic stakegraph dataset directory, for the
// scale benchmark or to try the service on a big graph:
//
//	go run ./bench/cmd/synth -nodes 10000 -seed 1 -out DIR
//	stakegraph serve --data DIR
//
// The same flags always write the same dataset.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
	"github.com/stakegraph/stakegraph/internal/synth"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("synth", flag.ContinueOnError)
	fs.SetOutput(stderr)
	nodes := fs.Int("nodes", 1000, "nodes to generate, sources included (at least 50)")
	seed := fs.Uint64("seed", 1, "random seed; the same flags give the same dataset")
	perNode := fs.Float64("relations-per-node", 10, "relations ÷ nodes")
	out := fs.String("out", "", "dataset directory to write (must not exist or be empty)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: synth -nodes N -seed S -out DIR")
		return 2
	}
	d, err := synth.Generate(synth.Options{Nodes: *nodes, Seed: *seed, RelationsPerNode: *perNode})
	if err != nil {
		fmt.Fprintln(stderr, "synth:", domain.ErrorMessage(err))
		return 1
	}
	header := fmt.Sprintf("Synthetic dataset written by `go run ./bench/cmd/synth -nodes %d -seed %d -relations-per-node %g`.\n"+
		"Names, texts and relations are generated; none of it describes real bodies or people.", *nodes, *seed, *perNode)
	if err := dataset.WriteDir(d, *out, header); err != nil {
		fmt.Fprintln(stderr, "synth:", domain.ErrorMessage(err))
		return 1
	}
	fmt.Fprintf(stdout, "wrote %d nodes, %d relations and %d source texts to %s\n",
		len(d.Graph.Nodes), len(d.Graph.Relations), len(d.SourceTexts), *out)
	return 0
}
