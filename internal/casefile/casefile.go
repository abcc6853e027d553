// Package casefile is the case (案件): intake (受理) with its R157 checklist
// and outcomes, parties (当事人), case numbers (统一受案号, 部门受案号), the
// procedural timeline (程序事件) and the state machine of each category.
//
// Rules live here; the store only persists. Every write goes through a
// service method that checks access, validates, and hands the store one
// transaction that also carries the audit record.
package casefile

import "time"

// Status of a case in its procedure.
const (
	StatusAwaitingSupplement = "awaiting_supplement" // 待补充材料 (R158)
	StatusRefused            = "refused"             // 不予受理
	StatusPendingAssignment  = "pending_assignment"  // 待分案
	StatusInProgress         = "in_progress"         // 办理中
	StatusReturned           = "returned"            // 退回补充侦查中
	StatusSuspended          = "suspended"           // 鉴定中止计算
	StatusDecided            = "decided"             // 已作出决定
	StatusClosed             = "closed"              // 已结案
)

// Statuses lists every status in procedural order.
func Statuses() []string {
	return []string{StatusAwaitingSupplement, StatusRefused, StatusPendingAssignment, StatusInProgress,
		StatusReturned, StatusSuspended, StatusDecided, StatusClosed}
}

// Intake outcomes (R158).
const (
	OutcomeAccept     = "accept"     // 受理
	OutcomeSupplement = "supplement" // 要求补充材料
	OutcomeRefuse     = "refuse"     // 不予受理
)

// Category is a case category (案件类别), kept as data.
type Category struct {
	Code     string
	Name     string
	Abbrev   string // business abbreviation in stage numbers
	Criminal bool
}

// Party is a person in the case (当事人).
type Party struct {
	ID        int64
	Name      string
	Gender    string // male, female
	Ethnicity string
	IDType    string // resident_id, passport, other, none
	IDNumber  string
	BirthDate string // YYYY-MM-DD
	Role      string // suspect, victim, applicant, respondent, other
	Custody   bool   // 在押
	Measure   string // coercive measure, see Measures
}

// Check is one item of the R157 intake checklist.
type Check struct {
	Item   string
	Passed bool
	Note   string
}

// Case is one case as stored, with display names joined in.
type Case struct {
	ID                int64
	UnitID            int64
	UnitName          string
	UnitPath          string
	Category          string
	CategoryName      string
	UniformNo         string
	StageNo           string
	Name              string
	TransferringOrgan string
	TransferDocNo     string
	ReceivedOn        string
	IntakeOutcome     string
	IntakeNote        string
	Status            string
	Plea              bool
	FastTrack         bool
	Minor             bool
	Sealed            bool
	Charges           []string
	DepartmentID      int64
	HandlerID         int64
	HandlerName       string
	AssignedAt        time.Time
	Decision          string
	ClosedOn          string
	Returns           int
	Extensions        int
	Version           int64
	CreatedAt         time.Time
}

// Event is one procedural event on the timeline.
type Event struct {
	ID         int64
	CaseID     int64
	Code       string
	OccurredOn string
	Outcome    string
	Note       string
	ActorID    int64
	ActorName  string
	CreatedAt  time.Time
}

// Assignment records who got the case and why.
type Assignment struct {
	ID           int64
	CaseID       int64
	HandlerID    int64
	HandlerName  string
	Kind         string // rotation, designated
	PoolID       int64
	Round        int
	Explanation  string
	Reason       string
	DesignatedBy string
	ActorID      int64
	CreatedAt    time.Time
}

// Detail is everything the case page shows.
type Detail struct {
	Case        Case
	Parties     []Party
	Checks      []Check
	Events      []Event
	Assignments []Assignment
}
