package domain_test

import (
	"regexp"
	"testing"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// TestParseIDSlugs checks the slug rule against its regular-expression
// statement on slugs that probe each part of it.
func TestParseIDSlugs(t *testing.T) {
	rule := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	slugs := []string{
		"", "a", "hungary", "el-paccto", "glacy-plus-2", "a-b-c", "2023", "x9",
		"-a", "a-", "a--b", "A", "el_paccto", "el paccto", "año", "a.b", "-", "--", "a-B", "a-1-",
	}
	for _, slug := range slugs {
		t.Run(slug, func(t *testing.T) {
			kind, got, err := domain.ParseID("country:" + slug)
			if want := rule.MatchString(slug); (err == nil) != want {
				t.Fatalf("ParseID(country:%s): error %v, want valid=%v", slug, err, want)
			}
			if err == nil && (kind != domain.KindCountry || got != slug) {
				t.Errorf("ParseID(country:%s): got %s %q, want %s %q", slug, kind, got, domain.KindCountry, slug)
			}
		})
	}
	for _, k := range domain.Kinds {
		if got, ok := domain.KindFromPrefix(k.Prefix()); !ok || got != k {
			t.Errorf("KindFromPrefix(%s): got %s %v, want %s", k.Prefix(), got, ok, k)
		}
	}
	if _, ok := domain.KindFromPrefix("Country"); ok {
		t.Errorf("KindFromPrefix(Country) accepted an upper-case prefix")
	}
}
