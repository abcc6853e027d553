package aid

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
)

// The talent pipeline (人才梯队): the competency framework as data, each
// staff member's level per area, evidence, proposals that only a mentor's
// confirmation applies, the system's rules that propose from its own
// records, and mentor–trainee assignments across a pairing's units.

// Level codes the code relies on (the levels themselves are data).
const (
	LevelTrainee  = "trainee"  // 见习
	LevelBackbone = "backbone" // 骨干
	LevelMentor   = "mentor"   // 导师
)

// Evidence kinds.
const (
	EvidenceTraining = "training" // 培训完成
	EvidenceQuiz     = "quiz"     // 测验成绩
	EvidenceWork     = "work"     // 系统内实际工作
	EvidenceSignoff  = "signoff"  // 导师签认
)

// EvidenceKinds lists the kinds in display order.
func EvidenceKinds() []string {
	return []string{EvidenceTraining, EvidenceQuiz, EvidenceWork, EvidenceSignoff}
}

// Proposal statuses.
const (
	ProposalPending   = "pending"   // 待导师确认
	ProposalConfirmed = "confirmed" // 已确认
	ProposalRejected  = "rejected"  // 未通过
)

// GoalStaffTarget is goal (1)'s target: at least 2 staff per aided office
// able to run case management independently (DOMAIN §1).
const GoalStaffTarget = 2

// Area is a competency area (能力领域); Required areas are those goal (1)
// counts.
type Area struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Required bool   `json:"required"`
}

// Level is a competency level (能力等级), ordered by Rank.
type Level struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Rank int    `json:"rank"`
}

// Framework is the competency framework: areas and levels as data.
type Framework struct {
	Areas  []Area
	Levels []Level
}

// Rank is the rank of a level code (0 when unknown).
func (f Framework) Rank(level string) int {
	for _, l := range f.Levels {
		if l.Code == level {
			return l.Rank
		}
	}
	return 0
}

// LevelName is a level's display name.
func (f Framework) LevelName(level string) string {
	for _, l := range f.Levels {
		if l.Code == level {
			return l.Name
		}
	}
	return level
}

// AreaName is an area's display name.
func (f Framework) AreaName(area string) string {
	if a, ok := f.area(area); ok {
		return a.Name
	}
	return area
}

func (f Framework) area(code string) (Area, bool) {
	i := slices.IndexFunc(f.Areas, func(a Area) bool { return a.Code == code })
	if i < 0 {
		return Area{}, false
	}
	return f.Areas[i], true
}

// Staff is a person of a unit with their level per area (an area with
// no level recorded is at the lowest level, trainee).
type Staff struct {
	ID       int64             `json:"id"`
	Name     string            `json:"name"`
	UnitID   int64             `json:"unit_id"`
	UnitName string            `json:"unit_name"`
	Levels   map[string]string `json:"levels"`
}

// Level is the person's level in area.
func (st Staff) Level(area string) string {
	if l, ok := st.Levels[area]; ok {
		return l
	}
	return LevelTrainee
}

// Evidence is one piece of evidence of a person's competence in an area.
type Evidence struct {
	ID         int64  `json:"id"`
	UserID     int64  `json:"user_id"`
	Area       string `json:"area"`
	Kind       string `json:"kind"`
	OnDate     string `json:"on_date"`
	Note       string `json:"note"`
	RecordedBy int64  `json:"-"`
}

// Proposal is a proposed level change, pending until a mentor decides.
type Proposal struct {
	ID          int64     `json:"id"`
	UserID      int64     `json:"user_id"`
	UserName    string    `json:"user_name"`
	UnitID      int64     `json:"unit_id"`
	Area        string    `json:"area"`
	From        string    `json:"from_level"`
	To          string    `json:"to_level"`
	Rule        string    `json:"rule"`
	Reason      string    `json:"reason"`
	Status      string    `json:"status"`
	ProposedBy  int64     `json:"proposed_by"`
	CreatedAt   time.Time `json:"created_at"`
	DecidedBy   int64     `json:"decided_by"`
	DeciderName string    `json:"decider_name"`
	Decision    string    `json:"decision"`
}

// Rule is a rule by which the system proposes a level from its own
// records; its thresholds are data and Text explains it.
type Rule struct {
	Code           string `json:"code"`
	Area           string `json:"area"`
	ToLevel        string `json:"to_level"`
	Months         int    `json:"months"`
	MinAccuracyPct int    `json:"min_accuracy_pct"`
	MinFixed       int    `json:"min_fixed"`
	Text           string `json:"text"`
	// Kind is what the rule measures: RuleDataAccuracy (the unit's card
	// accuracy at each month end and the person's fixes: MinAccuracyPct,
	// MinFixed) or RuleEvaluation (the person's own evaluations in the
	// window: at least MinCount, with under MaxOverturnedPct of the
	// problems found overturned).
	Kind             string `json:"kind"`
	MinCount         int    `json:"min_count"`
	MaxOverturnedPct int    `json:"max_overturned_pct"`
}

// Rule kinds.
const (
	RuleDataAccuracy = "data_accuracy"
	RuleEvaluation   = "evaluation_calibration"
)

// EvaluationWork is a person's evaluation work over a window.
type EvaluationWork struct {
	Records    int // cases evaluated (grade proposed)
	Findings   int // problems found (flaws and serious)
	Overturned int // of those, overturned by the committee
}

// OverturnedPct is the share of the findings overturned, in percent.
func (w EvaluationWork) OverturnedPct() float64 {
	if w.Findings == 0 {
		return 0
	}
	return 100 * float64(w.Overturned) / float64(w.Findings)
}

// Mentorship assigns a mentor to a trainee in an area (师徒结对).
type Mentorship struct {
	ID          int64  `json:"id"`
	PairingID   int64  `json:"pairing_id"`
	MentorID    int64  `json:"mentor_id"`
	MentorName  string `json:"mentor_name"`
	TraineeID   int64  `json:"trainee_id"`
	TraineeName string `json:"trainee_name"`
	Area        string `json:"area"`
}

// AccuracyPoint is a unit's card accuracy at one instant.
type AccuracyPoint struct {
	At           int64
	Cards        int
	WithProblems int
}

// Rate is the accuracy in percent (0 without cards: no work, no evidence).
func (a AccuracyPoint) Rate() float64 {
	if a.Cards == 0 {
		return 0
	}
	return 100 * float64(a.Cards-a.WithProblems) / float64(a.Cards)
}

// GoalUnit is goal (1) for one aided unit: the staff at or above backbone
// in every required area.
type GoalUnit struct {
	Unit   Unit     `json:"unit"`
	Count  int      `json:"count"`
	Target int      `json:"target"`
	Names  []string `json:"names"`
}

// Met reports whether the unit reached the target.
func (g GoalUnit) Met() bool { return g.Count >= g.Target }

// Goal is goal (1) of a pairing with its measure.
type Goal struct {
	Required     []Area     `json:"required_areas"`
	MinLevel     string     `json:"min_level"`
	MinLevelName string     `json:"min_level_name"`
	Target       int        `json:"target"`
	Units        []GoalUnit `json:"units"`
}

// TalentStore keeps the competency framework and its records.
type TalentStore interface {
	AidFramework(ctx context.Context) (Framework, error)
	// AidStaff lists the enabled users of the units with their levels.
	AidStaff(ctx context.Context, unitIDs []int64) ([]Staff, error)
	// AidStaffMember loads one user with their levels; ErrNotFound when none.
	AidStaffMember(ctx context.Context, userID int64) (Staff, error)
	// AidPairedUnits lists the units that share a pairing with unitID
	// (unitID included when it is in any pairing).
	AidPairedUnits(ctx context.Context, unitID int64) ([]int64, error)
	AidEvidence(ctx context.Context, userIDs []int64) ([]Evidence, error)
	AddAidEvidence(ctx context.Context, e Evidence, rec audit.Record) (int64, error)
	// AidProposals lists the proposals on staff of the units, pending first.
	AidProposals(ctx context.Context, unitIDs []int64) ([]Proposal, error)
	AidProposal(ctx context.Context, id int64) (Proposal, error)
	// CreateAidProposal inserts a pending proposal (and, for a system rule,
	// its evidence) with the audit entry; ErrConflict when one is pending.
	CreateAidProposal(ctx context.Context, p Proposal, ev *Evidence, rec audit.Record) (int64, error)
	// DecideAidProposal confirms or rejects a pending proposal; a
	// confirmation sets the level, only while the person is still at the
	// proposal's from level (ErrConflict otherwise).
	DecideAidProposal(ctx context.Context, id, deciderID int64, status, decision string, rec audit.Record) error
	// BootstrapAidLevel sets a level directly: only the seed, as the system.
	BootstrapAidLevel(ctx context.Context, userID int64, area, level string, rec audit.Record) error
	AidRules(ctx context.Context) ([]Rule, error)
	// AidDataWork is a unit's card accuracy at each instant and the card
	// problems userID fixed since the instant since.
	AidDataWork(ctx context.Context, unitID, userID int64, at []int64, since int64) ([]AccuracyPoint, int, error)
	// AidEvaluationWork is the person's evaluation work proposed on the
	// legal days from..to.
	AidEvaluationWork(ctx context.Context, userID int64, from, to string) (EvaluationWork, error)
	// AidGoalStaff lists, per unit, the names of staff at minRank or above
	// in every required area (computed in SQL).
	AidGoalStaff(ctx context.Context, unitIDs []int64, minRank int) (map[int64][]string, error)
	AidMentorships(ctx context.Context, pairingID int64) ([]Mentorship, error)
	CreateAidMentorship(ctx context.Context, m Mentorship, actorID int64, rec audit.Record) (int64, error)
}

// Talent is the talent view of one pairing.
type Talent struct {
	Pairing     Pairing
	Framework   Framework
	Staff       []Staff
	Proposals   []Proposal
	Evidence    []Evidence
	Mentorships []Mentorship
	Rules       []Rule
	Goal        Goal
}

func unitIDs(us []Unit) []int64 {
	out := make([]int64, len(us))
	for i, u := range us {
		out[i] = u.ID
	}
	return out
}

// Talent opens the competencies of every staff member of a pairing's
// units, audited.
func (s *Service) Talent(ctx context.Context, r Request, pairingID int64) (Talent, error) {
	pr, err := s.visible(ctx, r, pairingID)
	if err != nil {
		return Talent{}, err
	}
	t := Talent{Pairing: pr}
	if t.Framework, err = s.store.AidFramework(ctx); err != nil {
		return Talent{}, err
	}
	ids := unitIDs(pr.Units())
	if t.Staff, err = s.store.AidStaff(ctx, ids); err != nil {
		return Talent{}, err
	}
	if t.Proposals, err = s.store.AidProposals(ctx, ids); err != nil {
		return Talent{}, err
	}
	users := make([]int64, len(t.Staff))
	for i, st := range t.Staff {
		users[i] = st.ID
	}
	if t.Evidence, err = s.store.AidEvidence(ctx, users); err != nil {
		return Talent{}, err
	}
	if t.Mentorships, err = s.store.AidMentorships(ctx, pairingID); err != nil {
		return Talent{}, err
	}
	if t.Rules, err = s.store.AidRules(ctx); err != nil {
		return Talent{}, err
	}
	if t.Goal, err = s.goal(ctx, pr, t.Framework); err != nil {
		return Talent{}, err
	}
	if err := s.audited(ctx, r, "aid.talent.view", pairingID, fmt.Sprintf("staff=%d", len(t.Staff))); err != nil {
		return Talent{}, err
	}
	return t, nil
}

// Goal computes goal (1) of a pairing: per aided unit, the staff at
// backbone or above in every required area, against the target of 2.
func (s *Service) Goal(ctx context.Context, r Request, pairingID int64) (Goal, error) {
	pr, err := s.visible(ctx, r, pairingID)
	if err != nil {
		return Goal{}, err
	}
	fw, err := s.store.AidFramework(ctx)
	if err != nil {
		return Goal{}, err
	}
	g, err := s.goal(ctx, pr, fw)
	if err != nil {
		return Goal{}, err
	}
	if err := s.audited(ctx, r, "aid.goal.view", pairingID, ""); err != nil {
		return Goal{}, err
	}
	return g, nil
}

func (s *Service) goal(ctx context.Context, pr Pairing, fw Framework) (Goal, error) {
	// The minimum level and the target are the pairing's goal (1)
	// parameters (goals.go), 骨干 and 2 unless changed.
	set, err := s.goalSettings(ctx, pr)
	if err != nil {
		return Goal{}, err
	}
	min, target := set.Staff.MinLevel, set.Staff.Target
	g := Goal{MinLevel: min, MinLevelName: fw.LevelName(min), Target: target}
	for _, a := range fw.Areas {
		if a.Required {
			g.Required = append(g.Required, a)
		}
	}
	names, err := s.store.AidGoalStaff(ctx, unitIDs(pr.Aided), fw.Rank(min))
	if err != nil {
		return Goal{}, err
	}
	for _, u := range pr.Aided {
		n := names[u.ID]
		g.Units = append(g.Units, GoalUnit{Unit: u, Count: len(n), Target: target, Names: n})
	}
	return g, nil
}

// staffOf loads the person and the pairing r acts on, which must include
// the person's unit; another pairing's person answers as not found.
func (s *Service) staffOf(ctx context.Context, r Request, pr Pairing, userID int64) (Staff, error) {
	st, err := s.store.AidStaffMember(ctx, userID)
	if err != nil {
		return Staff{}, err
	}
	if !pr.member(st.UnitID) {
		return Staff{}, apperr.ErrNotFound
	}
	return st, nil
}

// ProposalInput is a case manager's proposal of a level change.
type ProposalInput struct {
	UserID int64  `json:"user_id"`
	Area   string `json:"area"`
	Level  string `json:"to_level"`
	Reason string `json:"reason"`
}

// CanPropose reports whether r may propose level changes and record
// evidence on the pairing's staff: a case manager of a unit on either side.
func CanPropose(p access.Principal, pr Pairing) bool {
	return pr.member(p.UnitID) && p.Has(access.CaseManager)
}

// Propose records a case manager's proposal; it stays pending until a
// mentor of the area confirms it.
func (s *Service) Propose(ctx context.Context, r Request, pairingID int64, in ProposalInput) (int64, error) {
	pr, err := s.visible(ctx, r, pairingID)
	if err != nil {
		return 0, err
	}
	if !CanPropose(r.P, pr) {
		return 0, apperr.ErrForbidden
	}
	fw, err := s.store.AidFramework(ctx)
	if err != nil {
		return 0, err
	}
	v := &apperr.Validation{}
	var st Staff
	if in.UserID <= 0 {
		add(v, "user_id", "err.required")
	} else if st, err = s.staffOf(ctx, r, pr, in.UserID); notFound(err) {
		add(v, "user_id", "err.aid_staff_unknown")
	} else if err != nil {
		return 0, err
	}
	if _, ok := fw.area(in.Area); !ok {
		add(v, "area", "err.aid_area_invalid")
	}
	if fw.Rank(in.Level) == 0 {
		add(v, "to_level", "err.aid_level_invalid")
	} else if st.ID != 0 && !v.Has("area") && st.Level(in.Area) == in.Level {
		add(v, "to_level", "err.aid_level_same")
	}
	in.Reason = strings.TrimSpace(in.Reason)
	checkText(v, "reason", in.Reason, maxLong, true)
	if err := v.Err(); err != nil {
		return 0, err
	}
	p := Proposal{UserID: st.ID, Area: in.Area, From: st.Level(in.Area), To: in.Level, Reason: in.Reason,
		Status: ProposalPending, ProposedBy: r.P.UserID}
	id, err := s.store.CreateAidProposal(ctx, p, nil, r.record("aid.level.propose", objPairing, pairingID,
		fmt.Sprintf("user=%d area=%s %s→%s", p.UserID, p.Area, p.From, p.To)))
	if errors.Is(err, apperr.ErrConflict) {
		return 0, invalid("area", "err.aid_proposal_pending")
	}
	return id, err
}

// isMentor reports whether the user holds level mentor in area.
func isMentor(st Staff, area string) bool { return st.Level(area) == LevelMentor }

// CanDecide reports whether the user decider may confirm or reject p: a
// mentor in the proposal's area, of a unit that shares a pairing with the
// person's unit, and never the person themself.
func (s *Service) CanDecide(ctx context.Context, r Request, p Proposal) (bool, error) {
	if r.P.UserID == 0 || r.P.UserID == p.UserID || p.Status != ProposalPending {
		return false, nil
	}
	me, err := s.store.AidStaffMember(ctx, r.P.UserID)
	if notFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if !isMentor(me, p.Area) {
		return false, nil
	}
	units, err := s.store.AidPairedUnits(ctx, p.UnitID)
	if err != nil {
		return false, err
	}
	return slices.Contains(units, r.P.UnitID), nil
}

// Decisions on a proposal.
const (
	DecisionConfirm = "confirm"
	DecisionReject  = "reject"
)

// Decide confirms or rejects a pending proposal (decision is confirm or
// reject; a rejection needs a note). Only a mentor of the area in a unit
// paired with the person's may; confirming sets the level in the same
// transaction as its audit entry.
func (s *Service) Decide(ctx context.Context, r Request, id int64, decision, note string) (Proposal, error) {
	p, err := s.store.AidProposal(ctx, id)
	if err != nil {
		return Proposal{}, err
	}
	units, err := s.store.AidPairedUnits(ctx, p.UnitID)
	if err != nil {
		return Proposal{}, err
	}
	if !slices.Contains(units, r.P.UnitID) {
		return Proposal{}, apperr.ErrNotFound
	}
	if decision != DecisionConfirm && decision != DecisionReject {
		return Proposal{}, invalid("decision", "err.aid_decision_invalid")
	}
	confirm := decision == DecisionConfirm
	ok, err := s.CanDecide(ctx, r, Proposal{UserID: p.UserID, UnitID: p.UnitID, Area: p.Area, Status: ProposalPending})
	if err != nil {
		return Proposal{}, err
	}
	if !ok {
		return Proposal{}, apperr.ErrForbidden
	}
	if p.Status != ProposalPending {
		return Proposal{}, invalid("status", "err.aid_proposal_decided")
	}
	note = strings.TrimSpace(note)
	v := &apperr.Validation{}
	checkText(v, "note", note, maxLong, !confirm)
	if err := v.Err(); err != nil {
		return Proposal{}, err
	}
	status := ProposalRejected
	if confirm {
		status = ProposalConfirmed
	}
	err = s.store.DecideAidProposal(ctx, id, r.P.UserID, status, note, r.record(map[string]string{ProposalConfirmed: "aid.level.confirm", ProposalRejected: "aid.level.reject"}[status],
		"aid_proposal", id, fmt.Sprintf("user=%d area=%s %s→%s", p.UserID, p.Area, p.From, p.To)))
	if errors.Is(err, apperr.ErrConflict) {
		return Proposal{}, invalid("status", "err.aid_proposal_decided")
	}
	if err != nil {
		return Proposal{}, err
	}
	p.Status, p.DecidedBy, p.Decision = status, r.P.UserID, note
	return p, nil
}

// EvidenceInput is a piece of evidence as a form or a request gives it.
type EvidenceInput struct {
	UserID int64  `json:"user_id"`
	Area   string `json:"area"`
	Kind   string `json:"kind"`
	OnDate string `json:"on_date"`
	Note   string `json:"note"`
}

// AddEvidence attaches evidence to a person and an area of the pairing's
// staff: a case manager of the pairing records it; a sign-off only a
// mentor of the area.
func (s *Service) AddEvidence(ctx context.Context, r Request, pairingID int64, in EvidenceInput) (int64, error) {
	pr, err := s.visible(ctx, r, pairingID)
	if err != nil {
		return 0, err
	}
	fw, err := s.store.AidFramework(ctx)
	if err != nil {
		return 0, err
	}
	me, err := s.store.AidStaffMember(ctx, r.P.UserID)
	if err != nil && !notFound(err) {
		return 0, err
	}
	mentor := pr.member(r.P.UnitID) && isMentor(me, in.Area)
	if !CanPropose(r.P, pr) && !mentor {
		return 0, apperr.ErrForbidden
	}
	v := &apperr.Validation{}
	var st Staff
	if in.UserID <= 0 {
		add(v, "user_id", "err.required")
	} else if st, err = s.staffOf(ctx, r, pr, in.UserID); notFound(err) {
		add(v, "user_id", "err.aid_staff_unknown")
	} else if err != nil {
		return 0, err
	}
	if _, ok := fw.area(in.Area); !ok {
		add(v, "area", "err.aid_area_invalid")
	}
	switch {
	case !slices.Contains(EvidenceKinds(), in.Kind):
		add(v, "evidence_kind", "err.aid_evidence_kind_invalid")
	case in.Kind == EvidenceSignoff && (!mentor || st.ID == r.P.UserID):
		add(v, "evidence_kind", "err.aid_signoff_mentor")
	}
	checkDate(v, "on_date", in.OnDate, nil)
	if !v.Has("on_date") && in.OnDate > s.Today() {
		add(v, "on_date", "err.aid_future")
	}
	in.Note = strings.TrimSpace(in.Note)
	checkText(v, "note", in.Note, maxLong, true)
	if err := v.Err(); err != nil {
		return 0, err
	}
	e := Evidence{UserID: st.ID, Area: in.Area, Kind: in.Kind, OnDate: in.OnDate, Note: in.Note, RecordedBy: r.P.UserID}
	return s.store.AddAidEvidence(ctx, e, r.record("aid.evidence.add", objPairing, pairingID,
		fmt.Sprintf("user=%d area=%s kind=%s", e.UserID, e.Area, e.Kind)))
}

// MentorshipInput assigns a mentor to a trainee.
type MentorshipInput struct {
	MentorID  int64  `json:"mentor_id"`
	TraineeID int64  `json:"trainee_id"`
	Area      string `json:"area"`
}

// AddMentorship assigns a mentor of the area to a trainee, both of the
// pairing's units (typically across them).
func (s *Service) AddMentorship(ctx context.Context, r Request, pairingID int64, in MentorshipInput) (int64, error) {
	pr, err := s.visible(ctx, r, pairingID)
	if err != nil {
		return 0, err
	}
	if !CanPropose(r.P, pr) {
		return 0, apperr.ErrForbidden
	}
	fw, err := s.store.AidFramework(ctx)
	if err != nil {
		return 0, err
	}
	v := &apperr.Validation{}
	load := func(field string, id int64) Staff {
		if id <= 0 {
			add(v, field, "err.required")
			return Staff{}
		}
		st, e := s.staffOf(ctx, r, pr, id)
		if notFound(e) {
			add(v, field, "err.aid_staff_unknown")
		} else if e != nil {
			err = e
		}
		return st
	}
	mentor, trainee := load("mentor_id", in.MentorID), load("trainee_id", in.TraineeID)
	if err != nil {
		return 0, err
	}
	if _, ok := fw.area(in.Area); !ok {
		add(v, "area", "err.aid_area_invalid")
	} else if mentor.ID != 0 && !isMentor(mentor, in.Area) {
		add(v, "mentor_id", "err.aid_not_mentor")
	}
	if mentor.ID != 0 && mentor.ID == trainee.ID {
		add(v, "trainee_id", "err.aid_self_mentor")
	}
	if err := v.Err(); err != nil {
		return 0, err
	}
	m := Mentorship{PairingID: pairingID, MentorID: mentor.ID, TraineeID: trainee.ID, Area: in.Area}
	id, err := s.store.CreateAidMentorship(ctx, m, r.P.UserID, r.record("aid.mentorship.create", objPairing, pairingID,
		fmt.Sprintf("mentor=%d trainee=%d area=%s", m.MentorID, m.TraineeID, m.Area)))
	if errors.Is(err, apperr.ErrConflict) {
		return 0, invalid("trainee_id", "err.aid_mentorship_exists")
	}
	return id, err
}

// monthEnds are the instants ending the last n complete months before
// today (legal time), oldest first, and the start of the first of them.
func monthEnds(today string, n int) ([]int64, int64) {
	t, _ := time.ParseInLocation(time.DateOnly, today, cst)
	first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, cst)
	out := make([]int64, n)
	for i := range n {
		out[n-1-i] = first.AddDate(0, -i, 0).UnixMilli() - 1
	}
	return out, first.AddDate(0, -n, 0).UnixMilli()
}

// RunRules applies the system's rules of one area to the staff of the
// pairing's units and records a pending proposal, with the computed evidence, for every
// person who meets a rule above their level and has none pending in that
// area. It returns how many proposals it made.
func (s *Service) RunRules(ctx context.Context, r Request, pairingID int64, area string) (int, error) {
	pr, err := s.visible(ctx, r, pairingID)
	if err != nil {
		return 0, err
	}
	if !CanPropose(r.P, pr) && !CanManage(r.P, pr.Aiding, pr.Aided) {
		return 0, apperr.ErrForbidden
	}
	fw, err := s.store.AidFramework(ctx)
	if err != nil {
		return 0, err
	}
	if _, ok := fw.area(area); !ok {
		return 0, invalid("area", "err.aid_area_invalid")
	}
	rules, err := s.store.AidRules(ctx)
	if err != nil {
		return 0, err
	}
	rules = slices.DeleteFunc(rules, func(ru Rule) bool { return ru.Area != area })
	staff, err := s.store.AidStaff(ctx, unitIDs(pr.Units()))
	if err != nil {
		return 0, err
	}
	made := 0
	for _, rule := range rules {
		at, since := monthEnds(s.Today(), rule.Months)
		for _, st := range staff {
			if fw.Rank(st.Level(rule.Area)) >= fw.Rank(rule.ToLevel) {
				continue
			}
			reason, met, err := s.ruleMet(ctx, rule, st, at, since)
			if err != nil {
				return made, err
			}
			if !met {
				continue
			}
			p := Proposal{UserID: st.ID, Area: rule.Area, From: st.Level(rule.Area), To: rule.ToLevel, Rule: rule.Code,
				Reason: reason, Status: ProposalPending}
			ev := &Evidence{UserID: st.ID, Area: rule.Area, Kind: EvidenceWork, OnDate: s.Today(), Note: reason}
			_, err = s.store.CreateAidProposal(ctx, p, ev, r.record("aid.level.propose", objPairing, pairingID,
				fmt.Sprintf("user=%d area=%s %s→%s rule=%s", p.UserID, p.Area, p.From, p.To, rule.Code)))
			if errors.Is(err, apperr.ErrConflict) {
				continue // a proposal is already pending
			}
			if err != nil {
				return made, err
			}
			made++
		}
	}
	return made, nil
}

// ruleMet measures a person against a rule from the records and says
// why (the proposal's reason and evidence) when they meet it.
func (s *Service) ruleMet(ctx context.Context, rule Rule, st Staff, at []int64, since int64) (string, bool, error) {
	switch rule.Kind {
	case RuleEvaluation:
		from := s.now().AddDate(0, -rule.Months, 0).In(cst).Format(time.DateOnly)
		w, err := s.store.AidEvaluationWork(ctx, st.ID, from, s.Today())
		if err != nil {
			return "", false, err
		}
		// "Under" the share: exactly at it does not qualify; no problem
		// overturned is under any share.
		under := w.Overturned == 0 || w.Overturned*100 < rule.MaxOverturnedPct*w.Findings
		if w.Records < rule.MinCount || !under {
			return "", false, nil
		}
		return s.t("ui.aid.rule_reason_evaluation", rule.Text, from, w.Records, w.Findings, w.Overturned, w.OverturnedPct()), true, nil
	default:
		pts, fixed, err := s.store.AidDataWork(ctx, st.UnitID, st.ID, at, since)
		if err != nil {
			return "", false, err
		}
		low := slices.ContainsFunc(pts, func(p AccuracyPoint) bool { return p.Rate() < float64(rule.MinAccuracyPct) })
		if low || fixed < rule.MinFixed {
			return "", false, nil
		}
		rates := make([]string, len(pts))
		for i, p := range pts {
			rates[i] = fmt.Sprintf("%.1f%%", p.Rate())
		}
		return s.t("ui.aid.rule_reason", rule.Text, strings.Join(rates, "、"), fixed), true, nil
	}
}

// bootstrap sets a level directly: the seed only, acting as the system,
// to name the first mentors a framework needs before anyone can confirm.
func (s *Service) bootstrap(ctx context.Context, r Request, userID int64, area, level string) error {
	if r.P.UserID != 0 || !strings.HasPrefix(r.P.Username, "system:") {
		return apperr.ErrForbidden
	}
	return s.store.BootstrapAidLevel(ctx, userID, area, level, r.record("aid.level.bootstrap", "user", userID,
		fmt.Sprintf("area=%s level=%s", area, level)))
}
