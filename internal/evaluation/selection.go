package evaluation

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/apperr"
)

// Candidate is a closed case an activity may draw.
type Candidate struct {
	CaseID       int64
	UnitID       int64
	Category     string
	HandlerID    int64
	DepartmentID int64
	// Rules are the selection rules the case meets (rule-based queries).
	Rules []string
	// Selected: the case is in the activity already.
	Selected bool
}

// PopulationQuery selects the closed cases of an activity's scope: its
// units and categories, closed in the period (unless AnyPeriod), never a
// sealed juvenile record (CPL 286: an evaluator could not be shown it).
// With Rules, only cases meeting at least one rule; with CaseIDs, only
// those cases.
type PopulationQuery struct {
	ActivityID int64
	UnitIDs    []int64
	Categories []string
	ClosedFrom string
	ClosedTo   string
	AnyPeriod  bool
	Rules      []string
	CaseIDs    []int64
}

// Selection rules of focused evaluation (重点评查, DOMAIN §7), on the data
// the system holds. The store turns each code into its condition.
const (
	// RuleNPInsufficient: non-prosecution for insufficient evidence (存疑
	// 不起诉, CPL 175 ¶4): the case's decision np_insufficient.
	RuleNPInsufficient = "np_insufficient"
	// RuleWithdrawn: prosecution withdrawn (撤回起诉, R424): an event
	// "withdrawn" on the case. The case service does not record it yet in
	// any category's procedure, so the rule matches nothing until it does.
	RuleWithdrawn = "withdrawn"
	// RuleAcquittal: acquittal (无罪判决). No judgment is recorded in the
	// system yet; the rule is defined on a future event "judgment" with the
	// outcome "acquittal", and matches nothing until such events exist.
	RuleAcquittal = "acquittal"
	// RuleReturnedTwice: returned twice for supplementary investigation
	// (两次退回补充侦查, CPL 175): returns = 2.
	RuleReturnedTwice = "returned_twice"
	// RuleRedDeadline: a statutory period missed or overdue (红色预警): a
	// stored clock in state missed or overdue, or ended late.
	RuleRedDeadline = "red_deadline"
	// RuleUnansweredNotice: a monitoring notice (流程监控通知书, R665) not
	// answered.
	RuleUnansweredNotice = "unanswered_notice"
)

// SelectionRules lists the rule codes in display order (keyed as
// "evaluation.rule.<code>").
func SelectionRules() []string {
	return []string{RuleNPInsufficient, RuleWithdrawn, RuleAcquittal, RuleReturnedTwice, RuleRedDeadline,
		RuleUnansweredNotice}
}

// RuleKey is the i18n key of a selection rule's name.
func RuleKey(code string) string { return "evaluation.rule." + code }

// SampleSize is how many of population cases a rate (percent) draws:
// rounded up, so a non-empty population always gives at least one case.
func SampleSize(population, rate int) int {
	if population <= 0 || rate <= 0 {
		return 0
	}
	n := (population*rate + 99) / 100
	return min(n, population)
}

// Sample draws SampleSize(len(ids), rate) ids at random, reproducibly: the
// same seed and the same population (in any order) give the same cases.
// The population is sorted first; a partial Fisher–Yates shuffle driven by
// PCG (math/rand/v2, whose output is specified and stable across Go
// releases) picks the cases; the result is sorted.
func Sample(ids []int64, seed int64, rate int) []int64 {
	pop := slices.Clone(ids)
	slices.Sort(pop)
	pop = slices.Compact(pop)
	n := SampleSize(len(pop), rate)
	r := mrand.New(mrand.NewPCG(uint64(seed), 0x6576616c_75617465)) // "evaluate"
	for i := 0; i < n; i++ {
		j := i + r.IntN(len(pop)-i)
		pop[i], pop[j] = pop[j], pop[i]
	}
	out := pop[:n]
	slices.Sort(out)
	return out
}

// Digest is the SHA-256 of a population's ids in ascending order: recorded
// with a draw, so a rerun can show it drew from the same cases.
func Digest(ids []int64) string {
	pop := slices.Clone(ids)
	slices.Sort(pop)
	h := sha256.New()
	var b [8]byte
	for _, id := range pop {
		binary.BigEndian.PutUint64(b[:], uint64(id))
		h.Write(b[:])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// NewSeed makes a random non-negative seed.
func NewSeed() int64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return int64(binary.BigEndian.Uint64(b[:]) >> 1)
}

// population reads the activity's scope.
func (s *Service) population(ctx context.Context, a Activity, rules []string) ([]Candidate, error) {
	return s.store.EvaluationPopulation(ctx, PopulationQuery{ActivityID: a.ID, UnitIDs: a.unitIDs(),
		Categories: a.Categories, ClosedFrom: a.ClosedFrom, ClosedTo: a.ClosedTo, Rules: rules})
}

// newRecord builds the record of a drawn case.
func newRecordOf(a Activity, c Candidate, how Selection, reason, today string) Record {
	return Record{ActivityID: a.ID, Case: CaseFacts{ID: c.CaseID}, UnitID: c.UnitID, Category: c.Category,
		TemplateID: a.Templates[c.Category], HandlerID: c.HandlerID, DepartmentID: c.DepartmentID, Selection: how,
		SelectionReason: reason, SelectedOn: today, State: State{Status: StatusPending}}
}

// DrawRandom draws cases at random from the activity's population at rate
// percent, with seed (0: a new random seed). The seed, rate, population
// size and digest are recorded with the activity, so the draw can be
// repeated and checked: Sample(population, seed, rate). An activity draws
// at random once.
func (s *Service) DrawRandom(ctx context.Context, r Request, activityID int64, rate int, seed int64) (Draw, error) {
	a, err := s.organised(ctx, r.P, activityID, ActivityPlanning)
	if err != nil {
		return Draw{}, err
	}
	v := &apperr.Validation{}
	if a.Draw.DrawnOn != "" {
		add(v, "rate", "err.evaluation_already_drawn")
	}
	if rate < 1 || rate > 100 {
		add(v, "rate", "err.evaluation_rate", 1, 100)
	}
	if seed < 0 {
		add(v, "seed", "err.evaluation_negative")
	}
	if err := v.Err(); err != nil {
		return Draw{}, err
	}
	if seed == 0 {
		seed = NewSeed()
	}
	cands, err := s.population(ctx, a, nil)
	if err != nil {
		return Draw{}, err
	}
	ids := make([]int64, 0, len(cands))
	byID := map[int64]Candidate{}
	for _, c := range cands {
		ids = append(ids, c.CaseID)
		byID[c.CaseID] = c
	}
	today := s.Today()
	picked := Sample(ids, seed, rate)
	d := a.Draw
	d.Seed, d.Rate, d.Population, d.Digest, d.Drawn, d.DrawnOn = seed, rate, len(ids), Digest(ids), len(picked), today
	reason := fmt.Sprintf("seed=%d rate=%d%% population=%d", seed, rate, len(ids))
	var recs []Record
	for _, id := range picked {
		if byID[id].Selected {
			continue // added by hand before the draw
		}
		recs = append(recs, newRecordOf(a, byID[id], SelectRandom, reason, today))
	}
	rec := r.record("evaluation.draw_random", objActivity, a.ID, fmt.Sprintf("%s digest=%s drawn=%d", reason,
		d.Digest[:16], len(recs)))
	if _, err := s.store.AddEvaluationRecords(ctx, ActivityChange{Activity: a, Status: a.Status, Draw: d}, recs, rec); err != nil {
		return Draw{}, err
	}
	return d, nil
}

// DrawByRules draws every case of the activity's population that meets at
// least one of rules (focused evaluation); each record names the rules it
// met. An activity draws by rule once.
func (s *Service) DrawByRules(ctx context.Context, r Request, activityID int64, rules []string) (Draw, error) {
	a, err := s.organised(ctx, r.P, activityID, ActivityPlanning)
	if err != nil {
		return Draw{}, err
	}
	v := &apperr.Validation{}
	if a.Draw.RuleOn != "" {
		add(v, "rules", "err.evaluation_already_drawn")
	}
	if len(rules) == 0 {
		add(v, "rules", "err.required")
	}
	for i, code := range rules {
		switch {
		case !slices.Contains(SelectionRules(), code):
			add(v, fmt.Sprintf("rules[%d]", i), "err.unknown_value")
		case slices.Index(rules, code) < i:
			add(v, fmt.Sprintf("rules[%d]", i), "err.duplicate")
		}
	}
	if err := v.Err(); err != nil {
		return Draw{}, err
	}
	cands, err := s.population(ctx, a, rules)
	if err != nil {
		return Draw{}, err
	}
	today := s.Today()
	var recs []Record
	for _, c := range cands {
		if !c.Selected {
			recs = append(recs, newRecordOf(a, c, SelectRule, strings.Join(c.Rules, ","), today))
		}
	}
	d := a.Draw
	d.Rules, d.Matched, d.RuleOn = rules, len(cands), today
	rec := r.record("evaluation.draw_rules", objActivity, a.ID, fmt.Sprintf("rules=%s matched=%d added=%d",
		strings.Join(rules, ","), len(cands), len(recs)))
	if _, err := s.store.AddEvaluationRecords(ctx, ActivityChange{Activity: a, Status: a.Status, Draw: d}, recs, rec); err != nil {
		return Draw{}, err
	}
	return d, nil
}

// AddCase adds one case by hand, with the reason (人工指定): a closed case
// of the activity's units and categories, closed in any period.
func (s *Service) AddCase(ctx context.Context, r Request, activityID, caseID int64, reason string) (int64, error) {
	a, err := s.organised(ctx, r.P, activityID, ActivityPlanning)
	if err != nil {
		return 0, err
	}
	reason = strings.TrimSpace(reason)
	v := &apperr.Validation{}
	checkText(v, "reason", reason, maxNote, true)
	if err := v.Err(); err != nil {
		return 0, err
	}
	cands, err := s.store.EvaluationPopulation(ctx, PopulationQuery{ActivityID: a.ID, UnitIDs: a.unitIDs(),
		Categories: a.Categories, AnyPeriod: true, CaseIDs: []int64{caseID}})
	if err != nil {
		return 0, err
	}
	switch {
	case len(cands) == 0:
		return 0, invalid("case_id", "err.evaluation_case_out_of_scope")
	case cands[0].Selected:
		return 0, invalid("case_id", "err.evaluation_case_selected")
	}
	rec := r.record("evaluation.draw_manual", objActivity, a.ID, "case="+strconv.FormatInt(caseID, 10))
	ids, err := s.store.AddEvaluationRecords(ctx, ActivityChange{Activity: a, Status: a.Status, Draw: a.Draw},
		[]Record{newRecordOf(a, cands[0], SelectManual, reason, s.Today())}, rec)
	if err != nil {
		return 0, err
	}
	return ids[0], nil
}
