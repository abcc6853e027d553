package api

import (
	"net/url"
	"strconv"

	"github.com/anguan/anguan/internal/apperr"
)

// queryID reads an optional positive id parameter; a bad one is added to
// v under its own name.
func queryID(q url.Values, name string, v *apperr.Validation) int64 {
	s := q.Get(name)
	if s == "" {
		return 0
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		v.Add(name, "err.id_invalid")
	}
	return id
}

// queryLimit reads the optional page size (1–200; 0 means the default).
func queryLimit(q url.Values, v *apperr.Validation) int {
	s := q.Get("limit")
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 200 {
		v.Add("limit", "err.unknown_value")
	}
	return n
}
