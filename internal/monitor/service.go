package monitor

import (
	"context"
	"strconv"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/deadline"
)

// FindingStore persists findings and the actions taken on them. Each write
// runs in one transaction together with the audit records it is given.
type FindingStore interface {
	// MonitorCase loads the facts of one case (no access check).
	MonitorCase(ctx context.Context, caseID int64) (CaseFacts, error)
	// CreateMonitorFindings inserts findings with their "detect" action
	// and audit records, skipping any whose DedupKey exists already. It
	// returns the new ids, 0 for a skipped one.
	CreateMonitorFindings(ctx context.Context, fs []NewFinding) ([]int64, error)
	// MonitorFinding loads one finding with its case and notice.
	MonitorFinding(ctx context.Context, id int64) (Finding, error)
	// MonitorAct applies ch guarded by the finding's version (a concurrent
	// change gives apperr.ErrConflict) and returns the notice it issued,
	// numbered, when ch.Notice is set.
	MonitorAct(ctx context.Context, ch Change, a audit.Record) (Notice, error)
	AppendAudit(ctx context.Context, a audit.Record) error
}

// ScanStore is what the scan and the escalation read and record.
type ScanStore interface {
	// MonitorSnapshots loads the next batch of cases to check, by id.
	MonitorSnapshots(ctx context.Context, q SnapshotQuery) ([]Snapshot, error)
	// OverdueMonitorNotices lists findings whose notice was due before
	// today, is unanswered and was not escalated.
	OverdueMonitorNotices(ctx context.Context, today string, limit int) ([]Finding, error)
	// RecordMonitorScan stores a finished scan for the patrol log.
	RecordMonitorScan(ctx context.Context, run ScanRun, a audit.Record) error
}

// Store is everything the monitoring service needs from persistence.
type Store interface {
	FindingStore
	ScanStore
	ListStore
	ReportStore
}

// NewFinding is a finding to insert with the audit record of its creation
// (the store fills in the object id).
type NewFinding struct {
	Finding Finding
	Audit   audit.Record
}

// Change is one action on a finding, for the store to apply in one
// transaction: the state after it, the action row, and a notice to issue or
// a reply to record.
type Change struct {
	Finding Finding // as read: its ID and Version guard the update
	Next    State
	Action  Action
	Notice  *Notice // ActNotice: the notice to insert; the store numbers it
	Reply   *Reply  // ActReply: the reply to record on the notice
}

// Reply is a written reply to a notice.
type Reply struct {
	On   string // YYYY-MM-DD
	Text string
	By   int64
	Days int // from issue to reply
}

// Request carries who is asking and from where (the same shape as
// casefile.Request, so the surfaces convert one into the other).
type Request struct {
	P         access.Principal
	Client    string
	RequestID string
}

func (r Request) record(action string, objID int64, detail string) audit.Record {
	return record(audit.ActorOf(r.P, r.Client, r.RequestID), action, objID, detail)
}

func record(a audit.Actor, action string, objID int64, detail string) audit.Record {
	rec := audit.Record{Actor: a, Action: action, ObjectType: "monitor_finding", Result: audit.ResultOK, Detail: detail}
	if objID != 0 {
		rec.ObjectID = strconv.FormatInt(objID, 10)
	}
	return rec
}

// systemActor is the actor of the scan and the escalation.
func systemActor() audit.Actor { return audit.System("monitor") }

// Service is the process-monitoring service.
type Service struct {
	store  Store
	now    func() time.Time
	engine func() *deadline.Engine
	rules  []Rule
}

// NewService wires the service. now is injectable so tests control
// "today"; engine returns the deadline engine in use, so a calendar
// reloaded after an import applies to the next notice.
func NewService(st Store, now func() time.Time, engine func() *deadline.Engine) *Service {
	return &Service{store: st, now: now, engine: engine, rules: DefaultRules()}
}

// Rules returns the rule table in use (a copy).
func (s *Service) Rules() []Rule { return append([]Rule(nil), s.rules...) }

// Today is the current legal date.
func (s *Service) Today() string { return casefile.LegalDate(s.now()) }

// load reads a finding and hides it (ErrNotFound) when out of p's scope.
func (s *Service) load(ctx context.Context, p access.Principal, id int64) (Finding, error) {
	f, err := s.store.MonitorFinding(ctx, id)
	if err != nil {
		return Finding{}, err
	}
	if !access.CanReadFinding(p, f.caseRef()) {
		return Finding{}, apperr.ErrNotFound
	}
	return f, nil
}
