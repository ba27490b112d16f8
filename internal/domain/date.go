package domain

import (
	"regexp"
	"strconv"
	"time"
)

// PartialDate is a date known to the year, month or day: "2023",
// "2023-09" or "2023-09-26". The empty value means unknown. Because the
// format is fixed-width per precision, comparisons work on the padded form.
type PartialDate string

var partialDatePattern = regexp.MustCompile(`^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$`)

// ParsePartialDate checks s and returns it as a PartialDate.
func ParsePartialDate(s string) (PartialDate, error) {
	if s == "" {
		return "", nil
	}
	m := partialDatePattern.FindStringSubmatch(s)
	if m == nil {
		return "", Errorf(EINVALID, "date %q must be YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	if m[2] != "" {
		month, _ := strconv.Atoi(m[2])
		if month < 1 || month > 12 {
			return "", Errorf(EINVALID, "date %q has month %s outside 01–12", s, m[2])
		}
	}
	if m[3] != "" {
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return "", Errorf(EINVALID, "date %q is not a calendar day", s)
		}
	}
	return PartialDate(s), nil
}

// String returns the date as written.
func (d PartialDate) String() string { return string(d) }

// IsZero reports whether the date is unknown.
func (d PartialDate) IsZero() bool { return d == "" }

// earliest pads the date to the first day it can mean.
func (d PartialDate) earliest() string {
	switch len(d) {
	case 4:
		return string(d) + "-01-01"
	case 7:
		return string(d) + "-01"
	}
	return string(d)
}

// Before reports whether d starts strictly before o starts.
func (d PartialDate) Before(o PartialDate) bool { return d.earliest() < o.earliest() }
