package dataquality

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
)

// RuleStore keeps rule versions. A stored version never changes.
type RuleStore interface {
	// RuleVersions lists every stored version (data is the rule as JSON).
	RuleVersions(ctx context.Context) ([]StoredRule, error)
	// AddRuleVersions stores versions; a (rule, version) already stored
	// gives apperr.ErrConflict. a is appended in the same transaction.
	AddRuleVersions(ctx context.Context, rules []StoredRule, a audit.Record) error
}

// StoredRule is one stored version.
type StoredRule struct {
	RuleID    string
	Version   int
	Data      []byte
	CreatedBy string
	CreatedAt int64
}

// latest picks the newest version of each rule, in id order.
func latest(stored []StoredRule) ([]Rule, error) {
	byID := map[string]StoredRule{}
	var order []string
	for _, s := range stored {
		old, ok := byID[s.RuleID]
		if !ok {
			order = append(order, s.RuleID)
		}
		if !ok || s.Version > old.Version {
			byID[s.RuleID] = s
		}
	}
	out := make([]Rule, 0, len(order))
	for _, id := range order {
		var r Rule
		if err := json.Unmarshal(byID[id].Data, &r); err != nil {
			return nil, fmt.Errorf("dataquality: stored rule %s: %w", id, err)
		}
		out = append(out, r)
	}
	sortRules(out)
	return out, nil
}

// sortRules orders rules by id, so the library reads in a stable order
// whatever order the versions were stored in.
func sortRules(rules []Rule) {
	slices.SortFunc(rules, func(a, b Rule) int { return strings.Compare(a.ID, b.ID) })
}

// InstallRules stores the shipped version of every shipped rule not yet
// stored (first start, and rules added by an upgrade), then loads the
// library from the store. It writes only when something is missing.
func (s *Service) InstallRules(ctx context.Context) (int, error) {
	shipped, err := Default()
	if err != nil {
		return 0, err
	}
	stored, err := s.store.RuleVersions(ctx)
	if err != nil {
		return 0, err
	}
	have := map[string]bool{}
	for _, r := range stored {
		have[r.RuleID] = true
	}
	var add []StoredRule
	for _, r := range shipped {
		if have[r.ID] {
			continue
		}
		b, err := json.Marshal(r)
		if err != nil {
			return 0, err
		}
		add = append(add, StoredRule{RuleID: r.ID, Version: r.Version, Data: b})
	}
	if len(add) > 0 {
		if err := s.store.AddRuleVersions(ctx, add, newRecord(systemActor(), "dq.rules_installed", objRule, 0,
			fmt.Sprintf("rules=%d", len(add)))); err != nil {
			return 0, err
		}
	}
	return len(add), s.LoadRules(ctx)
}

// LoadRules compiles the newest stored version of every rule and puts the
// library in use (at start and every few minutes, so every instance
// follows an edit made on another).
func (s *Service) LoadRules(ctx context.Context) error {
	stored, err := s.store.RuleVersions(ctx)
	if err != nil {
		return err
	}
	if len(stored) == 0 {
		return nil // nothing installed yet: the shipped library stays
	}
	rules, err := latest(stored)
	if err != nil {
		return err
	}
	lib, err := Compile(rules)
	if err != nil {
		return err
	}
	s.lib.Store(lib)
	return nil
}

// Rules lists the rules in use (every rule, disabled ones included).
func (s *Service) Rules(r Request) ([]Rule, error) {
	if !access.CanReadDataRules(r.P) {
		return nil, apperr.ErrForbidden
	}
	return s.Library().Rules(), nil
}

// RuleHistory lists the stored versions of one rule, newest first.
func (s *Service) RuleHistory(ctx context.Context, r Request, id string) ([]Rule, error) {
	if !access.CanReadDataRules(r.P) {
		return nil, apperr.ErrForbidden
	}
	stored, err := s.store.RuleVersions(ctx)
	if err != nil {
		return nil, err
	}
	var out []Rule
	for i := len(stored) - 1; i >= 0; i-- {
		if stored[i].RuleID != id {
			continue
		}
		var rule Rule
		if err := json.Unmarshal(stored[i].Data, &rule); err != nil {
			return nil, err
		}
		out = append(out, rule)
	}
	if len(out) == 0 {
		return nil, apperr.ErrNotFound
	}
	return out, nil
}

// SaveRule stores a new version of a rule (or a new rule), after checking
// it compiles, and puts the new library in use. The next scans apply it;
// problems keep the version that found them.
func (s *Service) SaveRule(ctx context.Context, r Request, rule Rule) (Rule, error) {
	if !access.CanEditDataRules(r.P) {
		return Rule{}, apperr.ErrForbidden
	}
	_, known, err := s.vocabulary(ctx)
	if err != nil {
		return Rule{}, err
	}
	if err := ValidateRule(rule, known); err != nil {
		return Rule{}, err
	}
	stored, err := s.store.RuleVersions(ctx)
	if err != nil {
		return Rule{}, err
	}
	if len(stored) == 0 {
		// Nothing installed yet: install the shipped rules first, or the
		// library would be this one rule alone.
		if _, err := s.InstallRules(ctx); err != nil {
			return Rule{}, err
		}
		if stored, err = s.store.RuleVersions(ctx); err != nil {
			return Rule{}, err
		}
	}
	rule.Version = 1
	for _, st := range stored {
		if st.RuleID == rule.ID && st.Version >= rule.Version {
			rule.Version = st.Version + 1
		}
	}
	rules, err := latest(stored)
	if err != nil {
		return Rule{}, err
	}
	replaced := false
	for i := range rules {
		if rules[i].ID == rule.ID {
			rules[i], replaced = rule, true
		}
	}
	if !replaced {
		rules = append(rules, rule)
	}
	lib, err := Compile(rules)
	if err != nil {
		return Rule{}, apperr.Invalid("when", "err.dq_rule_when", err.Error())
	}
	b, err := json.Marshal(rule)
	if err != nil {
		return Rule{}, err
	}
	action := "dq.rule_changed"
	if !replaced {
		action = "dq.rule_added"
	}
	if err := s.store.AddRuleVersions(ctx, []StoredRule{{RuleID: rule.ID, Version: rule.Version, Data: b}},
		r.record(action, objRule, 0, fmt.Sprintf("rule=%s version=%d disabled=%t", rule.ID, rule.Version, rule.Disabled))); err != nil {
		return Rule{}, err
	}
	s.lib.Store(lib)
	return rule, nil
}
