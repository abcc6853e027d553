package deadline

import (
	"fmt"
	"slices"
)

// Tri is a three-way condition on a yes/no fact of the case.
type Tri int8

// Values of Tri.
const (
	Any Tri = iota // the fact does not matter
	Yes            // the fact must hold
	No             // the fact must not hold
)

func (t Tri) match(v bool) bool { return t == Any || (t == Yes) == v }

// Cond selects a Variant by the facts of the case.
type Cond struct {
	InCustody           Tri
	Major               Tri
	FastTrack           Tri
	SentenceOverOneYear Tri
	Urgent              Tri
	// Categories, if not empty, restricts the variant to these case
	// categories (e.g. 5 days to answer a monitoring notice in civil
	// supervision).
	Categories []string
}

func (c Cond) isZero() bool {
	return c.InCustody == Any && c.Major == Any && c.FastTrack == Any &&
		c.SentenceOverOneYear == Any && c.Urgent == Any && len(c.Categories) == 0
}

func (c Cond) match(cs *Case) bool {
	return c.InCustody.match(cs.InCustody) && c.Major.match(cs.Major) && c.FastTrack.match(cs.FastTrack) &&
		c.SentenceOverOneYear.match(cs.SentenceOverOneYear) && c.Urgent.match(cs.Urgent) &&
		(len(c.Categories) == 0 || slices.Contains(c.Categories, cs.Category))
}

// Variant is one statutory period of a rule and the facts that select it.
type Variant struct {
	When Cond
	// Base is the period.
	Base Period
	// Basis cites the article that sets this period.
	Basis string
	// Extension, if not nil, is the extension the law allows.
	Extension *ExtensionRule
}

// ExtensionRule is an extension the law allows for a period.
type ExtensionRule struct {
	// Period is the length of one extension.
	Period Period
	// Max is how many extensions are allowed (0: no limit).
	Max int
	// Basis cites the article that allows it.
	Basis string
	// Variable: the approver sets the length, so an "extended" event's
	// Period, if given, replaces Period (which is then only the default).
	Variable bool
}

// Trigger is an event that starts a clock of a rule.
type Trigger struct {
	// Event is the event code.
	Event string
	// Requires, if set, is a kind that must have an open clock when the
	// event comes (a resubmission needs a pending return).
	Requires string
	// MissingErr is reported when Requires fails; ErrNoOpenClock if nil.
	MissingErr error
	// Once refuses a second start by this trigger (a case is received
	// once).
	Once bool
	// Restart marks the new clock as a restart from zero of the same kind
	// (CPL 175 resubmission; CPL 172 change of jurisdiction).
	Restart bool
	// Base, if set, replaces the variant's period (monthly follow-up
	// replies to a petition).
	Base Period
	// Label is the i18n key describing the start in the explanation;
	// "deadline.event.<Event>" if empty.
	Label string
}

// Rule is the data of one kind of clock. Rules are data so that an office
// can correct a period or a citation without touching the engine; where
// DOMAIN marks a fact "(verify)", the default is justified in a comment in
// DefaultRules.
type Rule struct {
	// Kind is the stable code ("prosecution_review").
	Kind string
	// NameKey is the i18n key of the Chinese name; "deadline.kind.<Kind>"
	// if empty.
	NameKey string
	// Categories are the case categories whose events start this clock;
	// "*" means every category. A rule also runs on its own when the case
	// category is its kind (see Case.Category).
	Categories []string
	// Triggers are the events that start a clock of this kind.
	Triggers []Trigger
	// ReceivedLabel is the start label when the rule runs on its own and
	// starts at "received" (e.g. "收到判决书" for a protest).
	ReceivedLabel string
	// Variants are tried in order; the first whose condition matches the
	// case gives the period. The last must be unconditional.
	Variants []Variant
	// MetBy are the events that end the clock as met (or missed if late).
	MetBy []string
	// StopBy are the events that end the clock as stopped (superseded).
	StopBy []string
	// Limit is how many clocks of this kind a case may have (0: no limit);
	// LimitErr is reported beyond it (ErrLimitReached if nil).
	Limit    int
	LimitErr error
	// Suspendable: assessment_started/ended suspend this clock.
	Suspendable bool
	// CustodySensitive: the custody exception of CPL 105 applies when the
	// person is in custody.
	CustodySensitive bool
	// Waiting: a waiting period (公告期) that ends by itself; a deciding
	// event before its end is a problem, not a success.
	Waiting bool
}

func (r *Rule) variantFor(c *Case) *Variant {
	for i := range r.Variants {
		if r.Variants[i].When.match(c) {
			return &r.Variants[i]
		}
	}
	return nil
}

func (r *Rule) inCategory(cat string) bool {
	return slices.Contains(r.Categories, "*") || slices.Contains(r.Categories, cat)
}

// clone deep-copies r, so a RuleSet never shares memory with its caller.
func (r Rule) clone() Rule {
	r.Categories = slices.Clone(r.Categories)
	r.Triggers = slices.Clone(r.Triggers)
	r.MetBy = slices.Clone(r.MetBy)
	r.StopBy = slices.Clone(r.StopBy)
	r.Variants = slices.Clone(r.Variants)
	for i := range r.Variants {
		r.Variants[i].When.Categories = slices.Clone(r.Variants[i].When.Categories)
		if e := r.Variants[i].Extension; e != nil {
			cp := *e
			r.Variants[i].Extension = &cp
		}
	}
	return r
}

// RuleSet is a validated, immutable set of rules keyed by kind.
type RuleSet struct {
	rules  []Rule
	byKind map[string]int
}

// NewRuleSet validates rules and builds a set: unique non-empty kinds,
// known event codes and categories, valid periods, and a last variant
// without condition, so that every case gets a period.
func NewRuleSet(rules ...Rule) (*RuleSet, error) {
	s := &RuleSet{byKind: map[string]int{}}
	for _, r := range rules {
		r = r.clone()
		if r.Kind == "" {
			return nil, fmt.Errorf("%w: rule without kind", ErrBadRule)
		}
		if _, dup := s.byKind[r.Kind]; dup {
			return nil, fmt.Errorf("%w: kind %q defined twice", ErrBadRule, r.Kind)
		}
		if r.NameKey == "" {
			r.NameKey = "deadline.kind." + r.Kind
		}
		s.byKind[r.Kind] = len(s.rules)
		s.rules = append(s.rules, r)
	}
	for _, r := range s.rules {
		if err := s.check(&r); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrBadRule, r.Kind, err)
		}
	}
	return s, nil
}

func (s *RuleSet) check(r *Rule) error {
	if len(r.Variants) == 0 || !r.Variants[len(r.Variants)-1].When.isZero() {
		return fmt.Errorf("the last variant must be unconditional")
	}
	for _, v := range r.Variants {
		if !v.Base.Valid() {
			return fmt.Errorf("bad period %v", v.Base)
		}
		if e := v.Extension; e != nil && (!e.Period.Valid() || e.Max < 0) {
			return fmt.Errorf("bad extension %v", e.Period)
		}
	}
	for _, c := range r.Categories {
		if c != "*" && !isCategory(c) {
			return fmt.Errorf("unknown category %q", c)
		}
	}
	for _, t := range r.Triggers {
		if !knownEvent(t.Event) {
			return fmt.Errorf("unknown trigger event %q", t.Event)
		}
		if _, ok := s.byKind[t.Requires]; t.Requires != "" && !ok {
			return fmt.Errorf("trigger requires unknown kind %q", t.Requires)
		}
		if !t.Base.IsZero() && !t.Base.Valid() {
			return fmt.Errorf("bad trigger period %v", t.Base)
		}
	}
	for _, e := range append(slices.Clone(r.MetBy), r.StopBy...) {
		if !knownEvent(e) {
			return fmt.Errorf("unknown event %q", e)
		}
	}
	return nil
}

// Rule returns the rule of kind (a copy).
func (s *RuleSet) Rule(kind string) (Rule, bool) {
	i, ok := s.byKind[kind]
	if !ok {
		return Rule{}, false
	}
	return s.rules[i].clone(), true
}

// Kinds lists the kinds in table order.
func (s *RuleSet) Kinds() []string {
	out := make([]string, len(s.rules))
	for i, r := range s.rules {
		out[i] = r.Kind
	}
	return out
}

// Rules returns copies of every rule in table order.
func (s *RuleSet) Rules() []Rule {
	out := make([]Rule, len(s.rules))
	for i, r := range s.rules {
		out[i] = r.clone()
	}
	return out
}

func (s *RuleSet) get(kind string) *Rule {
	if i, ok := s.byKind[kind]; ok {
		return &s.rules[i]
	}
	return nil
}
