package dataquality

import (
	"context"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/casecard"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/deadline"
)

// Store is everything the data-quality service needs from persistence.
// Each write runs in one transaction together with the audit record it is
// given.
type Store interface {
	CardStore
	ProblemStore
	ScanStore
	ImportStore
	RuleStore
	ReportStore
}

// CardStore reads and corrects case cards.
type CardStore interface {
	// Categories lists the case categories (their names are the file's
	// words for them).
	Categories(ctx context.Context) ([]casefile.Category, error)
	Card(ctx context.Context, id int64) (casecard.Card, error)
	// CardScopeFacts gives what the read scope needs of a card: whether
	// it belongs to a sealed case, and its unit's path.
	CardScopeFacts(ctx context.Context, id int64) (sealed bool, unitPath string, err error)
	AppendAudit(ctx context.Context, a audit.Record) error
	CardsByStage(ctx context.Context, stageNos []string) (map[string]casecard.Card, error)
	CardsByUniform(ctx context.Context, uniformNos []string) ([]casecard.Card, error)
	// UnitUsers maps the user names of a unit to ids (0 when ambiguous).
	UnitUsers(ctx context.Context, unitID int64) (map[string]int64, error)
	// UpdateCard writes a corrected imported card if its version is still
	// version (else apperr.ErrConflict), records the changes and applies
	// the card's fresh scan result, all in one transaction.
	UpdateCard(ctx context.Context, c casecard.Card, version int, changes []casecard.Change, res CardResult,
		today string, a audit.Record) (Applied, error)
	CardVersion(ctx context.Context, id int64) (int, error)
	CardHistory(ctx context.Context, id int64) ([]CardChange, error)
	ListCards(ctx context.Context, s access.FindingScope, f CardFilter) ([]casecard.Card, string, error)
	// SyncCaseCards projects cases whose card is missing or stale.
	SyncCaseCards(ctx context.Context) (int64, error)
}

// Request carries who is asking and from where (the same shape as the
// other services' requests).
type Request struct {
	P         access.Principal
	Client    string
	RequestID string
}

func (r Request) record(action, objType string, objID int64, detail string) audit.Record {
	return newRecord(audit.ActorOf(r.P, r.Client, r.RequestID), action, objType, objID, detail)
}

func newRecord(a audit.Actor, action, objType string, objID int64, detail string) audit.Record {
	rec := audit.Record{Actor: a, Action: action, ObjectType: objType, Result: audit.ResultOK, Detail: detail}
	if objID != 0 {
		rec.ObjectID = itoa(objID)
	}
	return rec
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Audit object types.
const (
	objProblem = "dq_problem"
	objCard    = "case_card"
	objImport  = "card_import"
	objRule    = "dq_rule"
	objScan    = "dq_scan"
)

// systemActor is the actor of the scans that run on their own.
func systemActor() audit.Actor { return audit.System("dataquality") }

// Service is business-data supervision: rules, scans, problems, imports
// and reports.
type Service struct {
	store    Store
	now      func() time.Time
	calendar func() *deadline.Calendar
	lib      atomic.Pointer[Library]
}

// NewService wires the service with the shipped rule library; call
// LoadRules to use the stored versions. calendar gives the working-day
// calendar in use (fix dates are counted in working days).
func NewService(st Store, now func() time.Time, calendar func() *deadline.Calendar) (*Service, error) {
	rules, err := Default()
	if err != nil {
		return nil, err
	}
	lib, err := Compile(rules)
	if err != nil {
		return nil, err
	}
	s := &Service{store: st, now: now, calendar: calendar}
	s.lib.Store(lib)
	return s, nil
}

// Library is the compiled rule library in use.
func (s *Service) Library() *Library { return s.lib.Load() }

// Today is the current legal date.
func (s *Service) Today() string { return casefile.LegalDate(s.now()) }

// dueOn is the fix date of a hit found today: FixDays working days later.
func (s *Service) dueOn(today string, days int) string {
	d, err := deadline.ParseDate(today)
	if err != nil {
		return today
	}
	if days <= 0 {
		days = 5
	}
	due, _ := s.calendar().AddWorkingDays(d, days)
	return due.String()
}

// vocabulary maps category names and codes for files.
func (s *Service) vocabulary(ctx context.Context) (casecard.Vocabulary, map[string]bool, error) {
	cats, err := s.store.Categories(ctx)
	if err != nil {
		return casecard.Vocabulary{}, nil, err
	}
	names := make(map[string]string, len(cats))
	known := make(map[string]bool, len(cats))
	for _, c := range cats {
		names[c.Code] = c.Name
		known[c.Code] = true
	}
	return casecard.NewVocabulary(names), known, nil
}

// Vocabulary is the category vocabulary of card files (template, exports,
// the seed's synthetic files).
func (s *Service) Vocabulary(ctx context.Context) (casecard.Vocabulary, error) {
	v, _, err := s.vocabulary(ctx)
	return v, err
}
