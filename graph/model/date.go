package model

import (
	"fmt"
	"strconv"

	"github.com/99designs/gqlgen/graphql"

	"github.com/stakegraph/stakegraph/internal/domain"
)

// MarshalDate writes a partial date as its string ("2023", "2023-09" or
// "2023-09-26") and an unknown date as null.
func MarshalDate(d domain.PartialDate) graphql.Marshaler {
	if d.IsZero() {
		return graphql.Null
	}
	return graphql.MarshalString(d.String())
}

// UnmarshalDate reads a partial date given as a string and checks it with
// domain.ParsePartialDate.
func UnmarshalDate(v any) (domain.PartialDate, error) {
	s, ok := v.(string)
	if !ok {
		return "", domain.Errorf(domain.EINVALID,
			"date must be a string \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\", not %s", describe(v))
	}
	return domain.ParsePartialDate(s)
}

func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(v)
	case fmt.Stringer:
		return v.String()
	}
	return fmt.Sprintf("%v", v)
}
