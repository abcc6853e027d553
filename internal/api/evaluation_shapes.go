package api

import (
	"encoding/json"
	"time"

	"github.com/anguan/anguan/internal/evaluation"
)

// JSON shapes of case quality (案件质量). Codes (kind, status, class,
// grade, action) are the domain's stable codes; the *_name fields carry
// their Chinese names for display. Request field names are the domain's
// validation paths, so an error on "findings[1].note" points at the field
// sent.

// evalTemplateJSON is a stored template version as lists show it.
type evalTemplateJSON struct {
	ID         int64     `json:"id"`
	Code       string    `json:"code"`
	Version    int       `json:"version"`
	Name       string    `json:"name"`
	Categories []string  `json:"categories"`
	ScaleCode  string    `json:"scale_code"`
	Items      int       `json:"items"`
	Note       string    `json:"note"`
	CreatedBy  *int64    `json:"created_by"` // null: shipped with the system
	CreatedAt  time.Time `json:"created_at"`
	Latest     bool      `json:"latest"`
	InUse      bool      `json:"in_use"`
}

// evalTemplateDetailJSON is a version with its file: the file is what
// POST /quality/templates imports (format anguan.evaluation.template/1).
type evalTemplateDetailJSON struct {
	evalTemplateJSON
	Template json.RawMessage `json:"template"`
}

// evalTemplateImport stores a template file as the next version of its
// code. The file is read strictly by the domain: every problem is named
// by its path under "template".
type evalTemplateImport struct {
	Note     string          `json:"note"`
	Template json.RawMessage `json:"template"`
}

// evalUnitJSON is a unit of an activity's scope.
type evalUnitJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// evalMemberJSON is an evaluator or a committee member.
type evalMemberJSON struct {
	UserID   int64  `json:"user_id"`
	Name     string `json:"name"`
	UnitID   int64  `json:"unit_id"`
	UnitName string `json:"unit_name"`
	Role     string `json:"role"`
}

// evalDrawJSON records how an activity's cases were drawn: the random
// draw repeats as Sample(population, seed, rate), the population checked
// by its digest.
type evalDrawJSON struct {
	Seed       *int64   `json:"seed"`
	Rate       *int     `json:"rate"`
	Population *int     `json:"population"`
	Digest     string   `json:"digest"`
	Drawn      int      `json:"drawn"`
	DrawnOn    *string  `json:"drawn_on"`
	Rules      []string `json:"rules"`
	Matched    int      `json:"matched"`
	RuleOn     *string  `json:"rule_on"`
}

// evalActivityJSON is an evaluation activity.
type evalActivityJSON struct {
	ID           int64            `json:"id"`
	UnitID       int64            `json:"unit_id"`
	UnitName     string           `json:"unit_name"`
	Name         string           `json:"name"`
	Kind         string           `json:"kind"`
	KindName     string           `json:"kind_name"`
	Status       string           `json:"status"`
	StatusName   string           `json:"status_name"`
	Units        []evalUnitJSON   `json:"units"`
	Categories   []string         `json:"categories"`
	ClosedFrom   string           `json:"closed_from"`
	ClosedTo     string           `json:"closed_to"`
	ScaleCode    string           `json:"scale_code"`
	Templates    map[string]int64 `json:"templates"`
	LeaderID     int64            `json:"leader_id"`
	LeaderName   string           `json:"leader_name"`
	Members      []evalMemberJSON `json:"members"`
	Deadline     string           `json:"deadline"`
	ResponseDays int              `json:"response_days"`
	AllowAid     bool             `json:"allow_aid"`
	Note         string           `json:"note"`
	Draw         evalDrawJSON     `json:"draw"`
	Records      map[string]int   `json:"records"`
	CreatedOn    string           `json:"created_on"`
	ClosedOn     *string          `json:"closed_on"`
}

// evalActivityRequest plans an activity.
type evalActivityRequest struct {
	Name         string           `json:"name"`
	Kind         string           `json:"kind"`
	UnitIDs      []int64          `json:"unit_ids"`
	Categories   []string         `json:"categories"`
	ClosedFrom   string           `json:"closed_from"`
	ClosedTo     string           `json:"closed_to"`
	ScaleCode    string           `json:"scale_code"`
	Templates    map[string]int64 `json:"templates"`
	LeaderID     int64            `json:"leader_id"`
	EvaluatorIDs []int64          `json:"evaluator_ids"`
	CommitteeIDs []int64          `json:"committee_ids"`
	Deadline     string           `json:"deadline"`
	ResponseDays int              `json:"response_days"`
	AllowAid     bool             `json:"allow_aid"`
	Note         string           `json:"note"`
}

// evalDrawRequest draws cases: "random" (rate, seed: 0 for a new one),
// "rules" (rules) or "manual" (case_id, reason).
type evalDrawRequest struct {
	Method string   `json:"method"`
	Rate   int      `json:"rate"`
	Seed   int64    `json:"seed"`
	Rules  []string `json:"rules"`
	CaseID int64    `json:"case_id"`
	Reason string   `json:"reason"`
}

// evalAssignedJSON answers an automatic assignment: how many records got
// an evaluator, and every record of the activity with its evaluator and
// the explanation (candidates, recusals, the choice).
type evalAssignedJSON struct {
	Assigned int              `json:"assigned"`
	Records  []evalRecordJSON `json:"records"`
}

// evalRecordJSON is one case in one activity.
type evalRecordJSON struct {
	ID                int64   `json:"id"`
	ActivityID        int64   `json:"activity_id"`
	CaseID            int64   `json:"case_id"`
	CaseName          string  `json:"case_name"`
	StageNo           string  `json:"stage_no"`
	UnitID            int64   `json:"unit_id"`
	UnitName          string  `json:"unit_name"`
	Category          string  `json:"category"`
	TemplateID        int64   `json:"template_id"`
	ScaleCode         string  `json:"scale_code"`
	HandlerID         *int64  `json:"handler_id"`
	HandlerName       string  `json:"handler_name"`
	DepartmentID      *int64  `json:"department_id"`
	DepartmentName    string  `json:"department_name"`
	Selection         string  `json:"selection"`
	SelectionReason   string  `json:"selection_reason"`
	SelectedOn        string  `json:"selected_on"`
	EvaluatorID       *int64  `json:"evaluator_id"`
	EvaluatorName     string  `json:"evaluator_name"`
	AssignedOn        *string `json:"assigned_on"`
	AssignExplanation string  `json:"assign_explanation"`
	Status            string  `json:"status"`
	StatusName        string  `json:"status_name"`
	Deduction         int     `json:"deduction"`
	SuggestedGrade    *string `json:"suggested_grade"`
	ProposedGrade     *string `json:"proposed_grade"`
	ProposedGradeName string  `json:"proposed_grade_name"`
	ProposedReasons   string  `json:"proposed_reasons"`
	ProposedOn        *string `json:"proposed_on"`
	ResponseDue       *string `json:"response_due"`
	Response          *string `json:"response"`
	ResponseReason    string  `json:"response_reason"`
	RespondedOn       *string `json:"responded_on"`
	DecisionReason    string  `json:"decision_reason"`
	DecidedOn         *string `json:"decided_on"`
	FinalGrade        *string `json:"final_grade"`
	FinalGradeName    string  `json:"final_grade_name"`
	FinalOn           *string `json:"final_on"`
	ClosedOn          *string `json:"closed_on"`
}

// evalFindingJSON is a scored item.
type evalFindingJSON struct {
	ItemCode     string `json:"item_code"`
	Title        string `json:"title"`
	Aspect       string `json:"aspect"`
	Option       string `json:"option"`
	Class        string `json:"class"`
	Deduction    int    `json:"deduction"`
	Note         string `json:"note"`
	Objected     bool   `json:"objected"`
	Objection    string `json:"objection"`
	Overturned   bool   `json:"overturned"`
	DecisionNote string `json:"decision_note"`
}

// evalFollowUpJSON is a follow-up on the final grade.
type evalFollowUpJSON struct {
	ID        int64  `json:"id"`
	Kind      string `json:"kind"`
	KindName  string `json:"kind_name"`
	Note      string `json:"note"`
	ActorID   int64  `json:"actor_id"`
	ActorName string `json:"actor_name"`
	ActedOn   string `json:"acted_on"`
}

// evalActionJSON is one step of a record's history.
type evalActionJSON struct {
	ID        int64     `json:"id"`
	Kind      string    `json:"kind"`
	Name      string    `json:"name"`
	Status    string    `json:"status"`
	Note      string    `json:"note"`
	ActorID   *int64    `json:"actor_id"` // null: the system
	ActorName string    `json:"actor_name"`
	ActedOn   string    `json:"acted_on"`
	At        time.Time `json:"at"`
}

// evalGradeJSON is a grade of the record's scale.
type evalGradeJSON struct {
	Code   string `json:"code"`
	Label  string `json:"label"`
	Points int    `json:"points"`
	Fails  bool   `json:"fails"`
}

// evalRecordDetailJSON is a record with its findings, follow-ups,
// history, the grades of its scale and the steps the caller may take now
// (the route of each: score, propose, respond, decide, followups, close,
// assign).
type evalRecordDetailJSON struct {
	evalRecordJSON
	ActivityName string             `json:"activity_name"`
	Findings     []evalFindingJSON  `json:"findings"`
	FollowUps    []evalFollowUpJSON `json:"followups"`
	Actions      []evalActionJSON   `json:"actions"`
	Grades       []evalGradeJSON    `json:"grades"`
	Allowed      []string           `json:"allowed_actions"`
}

// evalFindingInput is one item scored: the item, the option, a note
// (required for a problem).
type evalFindingInput struct {
	ItemCode string `json:"item_code"`
	Option   string `json:"option"`
	Note     string `json:"note"`
}

// evalScoreRequest saves the evaluator's findings (items not listed: no
// problem found).
type evalScoreRequest struct {
	Findings []evalFindingInput `json:"findings"`
}

// evalProposeRequest proposes a grade with its reasons.
type evalProposeRequest struct {
	Grade   string `json:"grade"`
	Reasons string `json:"reasons"`
}

// evalItemReason names a finding with a reason.
type evalItemReason struct {
	ItemCode string `json:"item_code"`
	Reason   string `json:"reason"`
}

// evalRespondRequest is the handler's response: "agree" (reason: an
// optional note) or "object" (reason required; items: the findings
// contested).
type evalRespondRequest struct {
	Response string           `json:"response"`
	Reason   string           `json:"reason"`
	Items    []evalItemReason `json:"items"`
}

// evalItemDecision decides a contested finding.
type evalItemDecision struct {
	ItemCode string `json:"item_code"`
	Overturn bool   `json:"overturn"`
	Reason   string `json:"reason"`
}

// evalDecideRequest is the committee's decision.
type evalDecideRequest struct {
	Items  []evalItemDecision `json:"items"`
	Grade  string             `json:"grade"`
	Reason string             `json:"reason"`
}

// evalFollowUpRequest records a follow-up.
type evalFollowUpRequest struct {
	Kind string `json:"kind"`
	Note string `json:"note"`
}

// evalNoteRequest closes a record.
type evalNoteRequest struct {
	Note string `json:"note"`
}

// evalAssignRequest gives a record its evaluator by hand.
type evalAssignRequest struct {
	EvaluatorID int64 `json:"evaluator_id"`
}

// evalCheckFindingJSON is an item of a self-check.
type evalCheckFindingJSON struct {
	ItemCode      string `json:"item_code"`
	Title         string `json:"title"`
	Aspect        string `json:"aspect"`
	Option        string `json:"option"`
	Class         string `json:"class"`
	Deduction     int    `json:"deduction"`
	Note          string `json:"note"`
	Source        string `json:"source"`
	Verdict       string `json:"verdict"`
	VerdictReason string `json:"verdict_reason"`
}

// evalSelfCheckJSON is a self-check and its verification.
type evalSelfCheckJSON struct {
	ID             int64                  `json:"id"`
	CaseID         int64                  `json:"case_id"`
	CaseName       string                 `json:"case_name"`
	StageNo        string                 `json:"stage_no"`
	UnitID         int64                  `json:"unit_id"`
	UnitName       string                 `json:"unit_name"`
	Category       string                 `json:"category"`
	HandlerID      int64                  `json:"handler_id"`
	HandlerName    string                 `json:"handler_name"`
	DepartmentID   *int64                 `json:"department_id"`
	DepartmentName string                 `json:"department_name"`
	TemplateID     int64                  `json:"template_id"`
	ClosedOn       string                 `json:"closed_on"`
	DueOn          string                 `json:"due_on"`
	DueBasis       string                 `json:"due_basis"`
	DueExplanation []string               `json:"due_explanation"`
	Overdue        bool                   `json:"overdue"`
	Status         string                 `json:"status"`
	StatusName     string                 `json:"status_name"`
	SubmittedOn    *string                `json:"submitted_on"`
	Summary        string                 `json:"summary"`
	VerifierID     *int64                 `json:"verifier_id"`
	VerifierName   string                 `json:"verifier_name"`
	VerifiedOn     *string                `json:"verified_on"`
	VerifyNote     string                 `json:"verify_note"`
	Findings       []evalCheckFindingJSON `json:"findings"`
}

// evalSubmitRequest files a self-check.
type evalSubmitRequest struct {
	Findings []evalFindingInput `json:"findings"`
	Summary  string             `json:"summary"`
}

// evalVerdictInput is the verifier's view of one of the handler's
// findings.
type evalVerdictInput struct {
	ItemCode string `json:"item_code"`
	Agree    bool   `json:"agree"`
	Reason   string `json:"reason"`
}

// evalVerifyRequest verifies a self-check.
type evalVerifyRequest struct {
	Verdicts []evalVerdictInput `json:"verdicts"`
	Added    []evalFindingInput `json:"added"`
	Note     string             `json:"note"`
}

// evalGradeRowJSON is one row of a grade distribution.
type evalGradeRowJSON struct {
	Key    string         `json:"key"`
	Name   string         `json:"name"`
	Counts map[string]int `json:"counts"`
	Total  int            `json:"total"`
}

// evalFindingCountJSON is how often an item was found wanting.
type evalFindingCountJSON struct {
	ItemCode string `json:"item_code"`
	Title    string `json:"title"`
	Aspect   string `json:"aspect"`
	Flaws    int    `json:"flaws"`
	Serious  int    `json:"serious"`
	Total    int    `json:"total"`
	Records  int    `json:"records"`
}

// evalCalibrationJSON is one evaluator's calibration.
type evalCalibrationJSON struct {
	EvaluatorID     int64          `json:"evaluator_id"`
	Name            string         `json:"name"`
	Records         int            `json:"records"`
	Grades          map[string]int `json:"grades"`
	Findings        int            `json:"findings"`
	Objected        int            `json:"objected"`
	Overturned      int            `json:"overturned"`
	OverturnedShare float64        `json:"overturned_share"`
}

// evalStatisticsJSON are the statistics of one scale.
type evalStatisticsJSON struct {
	ScaleCode   string                 `json:"scale_code"`
	Grades      []evalGradeJSON        `json:"grades"`
	By          string                 `json:"by"`
	Rows        []evalGradeRowJSON     `json:"rows"`
	Frequent    []evalFindingCountJSON `json:"frequent_findings"`
	Calibration []evalCalibrationJSON  `json:"calibration"`
}

func optionalInt(n int, set bool) *int {
	if !set {
		return nil
	}
	return &n
}

func gradeJSON(sc evaluation.Scale) []evalGradeJSON {
	out := make([]evalGradeJSON, len(sc.Grades))
	for i, g := range sc.Grades {
		out[i] = evalGradeJSON{Code: g.Code, Label: g.Label, Points: g.Points, Fails: g.Fails}
	}
	return out
}
