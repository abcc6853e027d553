package dataquality

import (
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/casecard"
)

// Limits of a rule's fields.
const (
	MinTitle   = 2
	MaxTitle   = 80
	MaxWhen    = 2000 // characters; a longer check is a sign it should be two rules
	MaxText    = 500  // reference and hint
	MinFixDays = 1
	MaxFixDays = 30
)

var (
	// Shipped rules are DQ-001…; a province's own rules carry its prefix
	// (SH-12, GDJC-3) so they never collide with a later shipped rule.
	shippedID = regexp.MustCompile(`^DQ-\d{3,}$`)
	customID  = regexp.MustCompile(`^[A-Z]{2,8}-\d{1,6}$`)

	// Sources a rule may be limited to.
	knownSources = []string{casecard.SourceCase, casecard.SourceImport}
)

// columnKeys is the set of card item keys a rule may name.
var columnKeys = func() map[string]bool {
	m := make(map[string]bool, len(casecard.Columns))
	for _, c := range casecard.Columns {
		m[c.Key] = true
	}
	return m
}()

// ValidateRule checks a rule before it is saved: every field, and that the
// check compiles to a boolean over the card environment. known holds the
// category codes in use. The error is an *apperr.Validation whose field
// errors carry their own labels ("dataquality.rfield.*"): the shared
// "field.*" labels of the same names mean other things elsewhere (an
// event's kind, a finding's severity).
func ValidateRule(r Rule, known map[string]bool) error {
	v := &apperr.Validation{}
	add := func(field, key string, args ...any) {
		label := field
		if i := strings.IndexByte(label, '['); i >= 0 {
			label = label[:i]
		}
		v.AddLabeled(field, "dataquality.rfield."+label, key, args...)
	}

	switch {
	case strings.TrimSpace(r.ID) == "":
		add("id", "err.required")
	case strings.HasPrefix(r.ID, "DQ-") && !shippedID.MatchString(r.ID),
		!strings.HasPrefix(r.ID, "DQ-") && !customID.MatchString(r.ID):
		add("id", "err.dq_rule_id")
	}
	if r.Version < 0 {
		add("version", "err.unknown_value")
	}

	title := strings.TrimSpace(r.Title)
	if n := utf8.RuneCountInString(title); title == "" {
		add("title", "err.required")
	} else if n < MinTitle || n > MaxTitle {
		add("title", "err.dq_rule_title_length", MinTitle, MaxTitle)
	}

	if r.Kind == "" {
		add("kind", "err.required")
	} else if !slices.Contains(Kinds, r.Kind) {
		add("kind", "err.unknown_value")
	}
	if r.Severity == "" {
		add("severity", "err.required")
	} else if !slices.Contains(Severities, r.Severity) {
		add("severity", "err.unknown_value")
	}

	for i, c := range r.Categories {
		f := "categories[" + strconv.Itoa(i) + "]"
		if !known[c] {
			add(f, "err.unknown_category")
		} else if slices.Contains(r.Categories[:i], c) {
			add(f, "err.duplicate")
		}
	}
	for i, s := range r.Sources {
		f := "sources[" + strconv.Itoa(i) + "]"
		if !slices.Contains(knownSources, s) {
			add(f, "err.unknown_value")
		} else if slices.Contains(r.Sources[:i], s) {
			add(f, "err.duplicate")
		}
	}

	if r.Item == "" {
		add("item", "err.required")
	} else if !columnKeys[r.Item] {
		add("item", "err.dq_rule_item")
	}

	when := strings.TrimSpace(r.When)
	switch {
	case when == "":
		add("when", "err.required")
	case utf8.RuneCountInString(r.When) > MaxWhen:
		add("when", "err.too_long", MaxWhen)
	default:
		if _, err := compileWhen(r.When); errors.Is(err, ErrPatternNotConstant) {
			add("when", "err.dq_rule_pattern")
		} else if err != nil {
			// expr's message is one line followed by the source
			// and a caret; the first line says what and where.
			msg, _, _ := strings.Cut(err.Error(), "\n")
			add("when", "err.dq_rule_when", msg)
		}
	}

	for _, f := range []struct{ name, value string }{{"reference", r.Reference}, {"hint", r.Hint}} {
		if strings.TrimSpace(f.value) == "" {
			add(f.name, "err.required")
		} else if utf8.RuneCountInString(f.value) > MaxText {
			add(f.name, "err.too_long", MaxText)
		}
	}

	if r.FixDays < MinFixDays || r.FixDays > MaxFixDays {
		add("fix_days", "err.dq_rule_fix_days", MinFixDays, MaxFixDays)
	}
	return v.Err()
}
