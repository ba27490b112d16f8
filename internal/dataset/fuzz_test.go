package dataset_test

import (
	"testing"
	"testing/fstest"
	"time"

	"github.com/stakegraph/stakegraph/internal/dataset"
	"github.com/stakegraph/stakegraph/internal/domain"
)

// FuzzLoad feeds arbitrary YAML as a dataset file: the loader must never
// panic or hang, and a file it refuses gets EINVALID with a message.
// Run longer with: go test -fuzz FuzzLoad ./internal/dataset
func FuzzLoad(f *testing.F) {
	for _, seed := range []string{
		"nodes:\n  - id: country:spain\n    name: Spain\n",
		"relations:\n  - type: ATTENDED\n    from: country:spain\n    to: event:x\n    start: \"2023-02-30\"\n",
		"- id: country:spain\n",
		"nodes: {a: 1}\n",
		"nodes:\n  - &a {id: country:x, name: *a}\n",
		"\t:",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, content string) {
		fsys := fstest.MapFS{"data/file.yaml": {Data: []byte(content)}}
		type result struct {
			g   *domain.Graph
			err error
		}
		done := make(chan result, 1)
		go func() {
			g, err := dataset.Load(fsys, "data")
			done <- result{g, err}
		}()
		var g *domain.Graph
		var err error
		select {
		case r := <-done:
			g, err = r.g, r.err
		case <-time.After(2 * time.Second):
			t.Fatalf("Load did not return within 2s on %q", content)
		}
		if err == nil {
			if g == nil {
				t.Fatal("no error and no graph")
			}
			return
		}
		if code := domain.ErrorCode(err); code != domain.EINVALID {
			t.Fatalf("error code: got %s (%v), want EINVALID", code, err)
		}
		if domain.ErrorMessage(err) == "" {
			t.Fatal("error without a message")
		}
	})
}
