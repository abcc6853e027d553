package evaluation

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
)

// The shipped templates, one per main category, and the standard scales.
// They are installed into the database (as version 1 of their codes) when
// no version of the code is there yet; from then on the stored versions
// rule and a unit edits them as data.
//
//go:embed templates/*.json
var files embed.FS

// DefaultTemplates parses the shipped templates (every file under
// templates/ but scales.json), in file-name order. Each call returns fresh
// values the caller may change.
func DefaultTemplates() ([]Template, error) {
	names, err := fs.Glob(files, "templates/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []Template
	for _, n := range names {
		if n == "templates/scales.json" {
			continue
		}
		b, err := files.ReadFile(n)
		if err != nil {
			return nil, err
		}
		t, err := ParseTemplate(b, nil)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		out = append(out, t)
	}
	return out, nil
}
