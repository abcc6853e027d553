package casecard

import (
	"sort"
	"strings"
)

// Vocabulary maps what a file may write in the category column (the
// Chinese name, as the national system exports it, or the code) to the
// category code. The zero value knows no category.
type Vocabulary struct {
	names  map[string]string // code → name
	byName map[string]string // name → code
	codes  []string          // sorted, for stable listings
}

// NewVocabulary builds a vocabulary from category names by code. Names and
// codes are trimmed; empty ones are ignored.
func NewVocabulary(names map[string]string) Vocabulary {
	v := Vocabulary{names: make(map[string]string, len(names)), byName: make(map[string]string, len(names))}
	for code, name := range names {
		code, name = strings.TrimSpace(code), strings.TrimSpace(name)
		if code == "" {
			continue
		}
		v.codes = append(v.codes, code)
		v.names[code] = name
		if name != "" {
			v.byName[name] = code
		}
	}
	sort.Strings(v.codes)
	return v
}

// Code returns the category code that s (a name or a code) stands for. A
// code takes precedence over a name spelled the same; codes are matched
// ignoring ASCII case, since a user typing one may not.
func (v Vocabulary) Code(s string) (string, bool) {
	if _, ok := v.names[s]; ok {
		return s, true
	}
	if code, ok := v.byName[s]; ok {
		return code, true
	}
	if low := strings.ToLower(s); low != s {
		if _, ok := v.names[low]; ok {
			return low, true
		}
	}
	return "", false
}

// Name returns the Chinese name of code, or code itself when the
// vocabulary has no name for it, so an export never loses the value.
func (v Vocabulary) Name(code string) string {
	if n := v.names[code]; n != "" {
		return n
	}
	return code
}

// Has reports whether code is a known category code.
func (v Vocabulary) Has(code string) bool {
	_, ok := v.names[code]
	return ok
}

// Codes lists the category codes, sorted.
func (v Vocabulary) Codes() []string { return append([]string(nil), v.codes...) }
