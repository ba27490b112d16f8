// Package webtest helps the tests of the browser pages (the explorer, the
// playground): it checks a page's committed build against its sources,
// starts the real headless Chromium the tests drive with chromedp (Debian's
// chromium package, never a downloaded browser), and holds the rule for a
// test whose tools are missing: it fails in CI (CI=true), where the test
// command installs them, and skips elsewhere.
package webtest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumPath is Debian's chromium package; scripts/test.sh installs it
// when missing.
const ChromiumPath = "/usr/bin/chromium"

// Viewport is the fixed size of every test tab, so screenshots and click
// points do not depend on the window decorations.
const (
	ViewportWidth  = 1400
	ViewportHeight = 900
)

// SkipOutsideCI stops the test: a failure in CI (CI=true), a skip elsewhere.
func SkipOutsideCI(tb testing.TB, msg string) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		tb.Fatal(msg)
	}
	tb.Skip(msg)
}

// Chromium returns the browser to drive, or stops the test (see
// SkipOutsideCI) when it is not installed.
func Chromium(tb testing.TB) string {
	tb.Helper()
	if _, err := os.Stat(ChromiumPath); err != nil {
		SkipOutsideCI(tb, fmt.Sprintf("no Chromium at %s: install Debian's chromium package "+
			"(apt-get install --no-install-recommends chromium; scripts/test.sh does it)", ChromiumPath))
	}
	return ChromiumPath
}

// Open starts a headless Chromium with one tab and returns the tab's
// chromedp context, which ends (and the browser with it) when the test
// does, or after timeout. extra adds to the default flags.
func Open(tb testing.TB, timeout time.Duration, extra ...chromedp.ExecAllocatorOption) context.Context {
	tb.Helper()
	path := Chromium(tb)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Flag("headless", "new"),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.WindowSize(ViewportWidth, ViewportHeight),
	)
	opts = append(opts, extra...)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	tb.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	// Starts the browser and the tab.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(ViewportWidth, ViewportHeight)); err != nil {
		tb.Fatalf("starting %s: %v", path, err)
	}
	return ctx
}

// CheckBuild rebuilds the page whose npm project is dir (build.mjs --check)
// and fails when the committed, embedded build differs. It needs node and
// the project's packages (npm ci in dir, which scripts/test.sh runs).
func CheckBuild(tb testing.TB, dir string) {
	tb.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		SkipOutsideCI(tb, "node is not installed; cannot rebuild "+dir+" to compare")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "esbuild")); err != nil {
		SkipOutsideCI(tb, fmt.Sprintf("%s/node_modules is missing (run npm ci in %s); cannot rebuild to compare", dir, dir))
	}
	out, err := exec.Command(node, filepath.Join(dir, "build.mjs"), "--check").CombinedOutput()
	if err != nil {
		tb.Fatalf("%v: %s", err, out)
	}
}

// Screenshot captures the page as a PNG and writes it as a test artifact
// named name: to $STAKEGRAPH_ARTIFACTS when set, else to testdata/out
// (git-ignored). It returns the image for callers that keep it elsewhere too.
func Screenshot(tb testing.TB, ctx context.Context, name string) []byte {
	tb.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.Fatal(err)
	}
	dir := os.Getenv("STAKEGRAPH_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("testdata", "out")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	out := filepath.Join(dir, name)
	if err := os.WriteFile(out, png, 0o644); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("screenshot: %s", out)
	return png
}

// Step runs one stage of a browser scenario and stops the test when it
// fails, since later stages build on the page it leaves.
func Step(t *testing.T, name string, f func(t *testing.T)) {
	t.Helper()
	start := time.Now()
	ok := t.Run(name, f)
	t.Logf("%-45s %v", name, time.Since(start).Round(time.Millisecond))
	if !ok {
		t.FailNow()
	}
}

// JS quotes s as a JavaScript string literal.
func JS(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
