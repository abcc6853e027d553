package monitor

import (
	"time"

	"github.com/anguan/anguan/internal/access"
)

// Finding is one problem in one case (流程监控发现的问题), with its graded
// step and status. Its history is its actions.
type Finding struct {
	ID     int64
	UnitID int64
	// Case is the case as it stands now (names, current handler and
	// department), joined in when the finding is read.
	Case CaseFacts
	// RuleID is the rule that found it; "" for a finding recorded by hand.
	RuleID string
	// DedupKey is the rule's FindingKey; "" for a finding recorded by hand.
	DedupKey string
	Area     Area
	Severity Severity
	// DetailKey and Args describe what the rule saw (rendered by Detail);
	// Description is the case manager's text for a finding made by hand.
	DetailKey   string
	Args        []Arg
	Description string
	// DepartmentID and HandlerID are those responsible when the problem
	// was found: the ledger counts recurring problems by them, even after
	// the case moved on.
	DepartmentID   int64
	DepartmentName string
	HandlerID      int64
	HandlerName    string
	DetectedOn     string // YYYY-MM-DD
	CreatedBy      int64  // 0: the scan
	CreatedAt      time.Time
	Version        int64
	State
	// Notice is the monitoring notice, nil until one is issued.
	Notice *Notice
}

// Detail renders what was found: the rule's message with its arguments, or
// the description written by hand.
func (f Finding) Detail(t func(key string, args ...any) string) string {
	if f.DetailKey == "" {
		return f.Description
	}
	args := make([]any, len(f.Args))
	for i, a := range f.Args {
		args[i] = a.Render(t)
	}
	return t(f.DetailKey, args...)
}

// caseRef is what access policy needs to know of the finding's case.
func (f Finding) caseRef() access.CaseRef {
	return access.CaseRef{UnitID: f.Case.UnitID, UnitPath: f.Case.UnitPath, HandlerID: f.Case.HandlerID,
		Sealed: f.Case.Sealed}
}

// noticeState is what the step machine reads of the notice.
func (f Finding) noticeState() NoticeState {
	if f.Notice == nil {
		return NoticeState{}
	}
	return NoticeState{Issued: true, ReplyDue: f.Notice.ReplyDue, Replied: f.Notice.RepliedOn != ""}
}

// Notice is a 案件流程监控通知书 sent to the handling department.
type Notice struct {
	ID        int64
	FindingID int64
	UnitID    int64
	Year      int
	Seq       int64
	// Number is the document number, allocated gaplessly per unit and year
	// in the transaction that issues the notice (see NoticeNumber).
	Number         string
	DepartmentID   int64 // the addressee (the case's handling department)
	DepartmentName string
	// RequestedAction is what the office asks the department to do; empty
	// means the rule's fix hint.
	RequestedAction string
	IssuedOn        string // YYYY-MM-DD
	ReplyDue        string // YYYY-MM-DD, computed by the deadline engine
	ReplyBasis      string // legal basis of the reply period
	IssuedBy        int64
	RepliedOn       string // "" until replied
	ReplyText       string
	RepliedBy       int64
	ReplyDays       int // days from issue to reply
	CreatedAt       time.Time
}

// Action is one step taken on a finding: the patrol record.
type Action struct {
	ID        int64
	FindingID int64
	Kind      ActionKind
	Step      Step   // after the action
	Status    Status // after the action
	Note      string
	ActorID   int64 // 0: the system (scan, escalation)
	ActorName string
	ActedOn   string // YYYY-MM-DD
	At        time.Time
}

// Detail is a finding with its history, as its page shows it.
type Detail struct {
	Finding Finding
	Actions []Action
}
