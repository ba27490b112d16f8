package model_test

import (
	"bytes"
	"testing"

	"github.com/stakegraph/stakegraph/graph/model"
	"github.com/stakegraph/stakegraph/internal/domain"
)

func TestDate(t *testing.T) {
	tests := []struct {
		in      any
		want    domain.PartialDate
		wantErr bool
	}{
		{"2023", "2023", false},
		{"2023-09", "2023-09", false},
		{"2023-09-26", "2023-09-26", false},
		{"", "", false},
		{"2023-13", "", true},
		{"2023-02-30", "", true},
		{"26/09/2023", "", true},
		{2023, "", true},
		{nil, "", true},
	}
	for _, tt := range tests {
		got, err := model.UnmarshalDate(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("UnmarshalDate(%#v) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err != nil && domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("UnmarshalDate(%#v): got code %s, want EINVALID", tt.in, domain.ErrorCode(err))
		}
	}
	for d, want := range map[domain.PartialDate]string{"2023-09": `"2023-09"`, "": "null"} {
		var buf bytes.Buffer
		model.MarshalDate(d).MarshalGQL(&buf)
		if buf.String() != want {
			t.Errorf("MarshalDate(%q) wrote %s, want %s", d, buf.String(), want)
		}
	}
}

func TestWrapEveryKind(t *testing.T) {
	for _, k := range domain.Kinds {
		n := &domain.Node{ID: k.Prefix() + ":x", Kind: k, Name: "X"}
		s := model.Wrap(n)
		if s == nil || s.DomainNode() != n {
			t.Errorf("Wrap(%s) = %v, want a view of the node", k, s)
		}
	}
	if s := model.Wrap(&domain.Node{ID: "x:y", Kind: "Planet"}); s != nil {
		t.Errorf("Wrap(Planet) = %v, want nil", s)
	}
}

func TestOptionalText(t *testing.T) {
	// Unknown text reads as null, not "".
	c := model.Wrap(&domain.Node{ID: "country:x", Kind: domain.KindCountry, Name: "X"}).(*model.Country)
	if c.Description() != nil || c.IsoCode() != nil {
		t.Errorf("got description %v isoCode %v, want nil for both", c.Description(), c.IsoCode())
	}
	if got := c.Aliases(); got == nil {
		t.Errorf("got nil aliases, want an empty list")
	}
}
