package dataquality

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"sync"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"

	"github.com/anguan/anguan/internal/casecard"
)

// rulesJSON is the shipped rule set. It is data, not code, so a province
// can read, copy and extend it without reading Go (DOMAIN §8).
//
//go:embed rules.json
var rulesJSON []byte

// Default parses the shipped rules. Unknown JSON fields are refused so a
// misspelt key ("fixdays") fails the tests instead of silently giving a
// zero.
func Default() ([]Rule, error) {
	dec := json.NewDecoder(bytes.NewReader(rulesJSON))
	dec.DisallowUnknownFields()
	var rules []Rule
	if err := dec.Decode(&rules); err != nil {
		return nil, fmt.Errorf("dataquality: rules.json: %w", err)
	}
	return rules, nil
}

// DefaultLibrary compiles the shipped rules.
func DefaultLibrary() (*Library, error) {
	rules, err := Default()
	if err != nil {
		return nil, err
	}
	return Compile(rules)
}

// Hit is the outcome of one rule on one card that needs attention: a
// problem found, or, when Err is set, a rule that could not be evaluated on
// this card (an index out of range in `related`, say). An Err hit is not a
// finding: the handler cannot fix it, the rule's author can, so callers
// count or log it and never put it on a problem list.
type Hit struct {
	RuleID   string
	Version  int
	Item     string
	Severity string
	Kind     string
	Err      error
}

// compiled is one enabled rule with its program.
type compiled struct {
	rule       *Rule
	program    *vm.Program
	categories []string
	sources    []string
}

func (c *compiled) applies(category, source string) bool {
	return (len(c.categories) == 0 || slices.Contains(c.categories, category)) &&
		(len(c.sources) == 0 || slices.Contains(c.sources, source))
}

// scope is the pair a card's applicable rules depend on.
type scope struct{ category, source string }

// Library is a compiled rule set. It is immutable after Compile and safe
// for concurrent use: a scan may check cards on several goroutines.
type Library struct {
	rules   []Rule // as given, disabled ones included, for listings
	byID    map[string]int
	enabled []*compiled
	// index holds, for every category a rule names and every source, the
	// rules that apply, so a check walks only its own rules and the
	// category filter is not paid on every card.
	index map[scope][]*compiled
}

// Compile compiles every enabled rule once. It fails on a duplicate id or
// on any expression that does not compile to a boolean, naming the rule:
// a library with a broken rule would silently check less than it claims.
func Compile(rules []Rule) (*Library, error) {
	l := &Library{
		rules: slices.Clone(rules),
		byID:  make(map[string]int, len(rules)),
		index: map[scope][]*compiled{},
	}
	categories := map[string]bool{}
	for i := range l.rules {
		r := &l.rules[i]
		// Deep copy: the caller may reuse its slices.
		r.Categories = slices.Clone(r.Categories)
		r.Sources = slices.Clone(r.Sources)
		if _, dup := l.byID[r.ID]; dup {
			return nil, fmt.Errorf("dataquality: rule %s defined twice", r.ID)
		}
		l.byID[r.ID] = i
		if r.Disabled {
			continue
		}
		p, err := compileWhen(r.When)
		if err != nil {
			return nil, fmt.Errorf("dataquality: rule %s: %w", r.ID, err)
		}
		l.enabled = append(l.enabled, &compiled{rule: r, program: p, categories: r.Categories, sources: r.Sources})
		for _, c := range r.Categories {
			categories[c] = true
		}
	}
	for c := range categories {
		for _, s := range []string{casecard.SourceCase, casecard.SourceImport} {
			var list []*compiled
			for _, rc := range l.enabled {
				if rc.applies(c, s) {
					list = append(list, rc)
				}
			}
			l.index[scope{c, s}] = list
		}
	}
	return l, nil
}

// compileWhen compiles one check. The patcher is per compile because it
// records what it found.
func compileWhen(src string) (*vm.Program, error) {
	pc := &constPatterns{}
	opts := append(slices.Clip(exprOptions), expr.Patch(pc), expr.Patch(fastPath{}))
	p, err := expr.Compile(src, opts...)
	if err != nil {
		return nil, err
	}
	if pc.err != nil {
		return nil, pc.err
	}
	return p, nil
}

// vms recycles expression machines: a VM keeps its stack between runs, so
// reusing one saves the allocations expr.Run makes for every evaluation.
var vms = sync.Pool{New: func() any { return new(vm.VM) }}

// Check evaluates every rule that applies to env.Card (by its category and
// source) and returns the hits, evaluation failures included (Hit.Err).
func (l *Library) Check(env *Env) []Hit {
	hits, _ := l.CheckInto(nil, env)
	return hits
}

// CheckInto is Check appending to dst, so a scan over many cards can reuse
// one slice (dst[:0]) and allocate nothing per card for the results. It
// also returns how many rules were evaluated.
func (l *Library) CheckInto(dst []Hit, env *Env) ([]Hit, int) {
	category, source := env.Card.Category, env.Card.Source
	rules, indexed := l.index[scope{category, source}]
	if !indexed {
		// A category no rule names, or a source the index does not
		// know: only rules without that restriction apply, found by
		// walking the full list (rare, so not worth caching).
		rules = l.enabled
	}
	m := vms.Get().(*vm.VM)
	defer vms.Put(m)
	// Boxed once per card, by value: expr reads fields of a non-addressable
	// struct without copying them, while a pointer would make every
	// field read allocate.
	boxed := any(*env)
	n := 0
	for _, c := range rules {
		if !indexed && !c.applies(category, source) {
			continue
		}
		n++
		r := c.rule
		out, err := m.Run(c.program, boxed)
		if err == nil {
			hit, ok := out.(bool)
			if !ok {
				err = fmt.Errorf("result is %T, not bool", out)
			} else if !hit {
				continue
			}
		}
		if err != nil {
			err = fmt.Errorf("dataquality: rule %s: %w", r.ID, err)
		}
		dst = append(dst, Hit{RuleID: r.ID, Version: r.Version, Item: r.Item, Severity: r.Severity, Kind: r.Kind, Err: err})
	}
	return dst, n
}

// Applicable is how many enabled rules a card of this category and source
// is checked against (for scan statistics and the benchmark).
func (l *Library) Applicable(category, source string) int {
	if rules, ok := l.index[scope{category, source}]; ok {
		return len(rules)
	}
	n := 0
	for _, c := range l.enabled {
		if c.applies(category, source) {
			n++
		}
	}
	return n
}

// Len is the number of enabled rules.
func (l *Library) Len() int { return len(l.enabled) }

// Rules lists every rule of the library in the order given, disabled ones
// included. The slice is a copy.
func (l *Library) Rules() []Rule {
	out := slices.Clone(l.rules)
	for i := range out {
		out[i].Categories = slices.Clone(out[i].Categories)
		out[i].Sources = slices.Clone(out[i].Sources)
	}
	return out
}

// Rule finds a rule by id.
func (l *Library) Rule(id string) (Rule, bool) {
	i, ok := l.byID[id]
	if !ok {
		return Rule{}, false
	}
	r := l.rules[i]
	r.Categories = slices.Clone(r.Categories)
	r.Sources = slices.Clone(r.Sources)
	return r, true
}
