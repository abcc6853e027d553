package evaluation

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/deadline"
)

// Store is everything the evaluation service needs from persistence. Each
// write runs in one transaction together with the audit record it is
// given.
type Store interface {
	TemplateStore
	CheckStore
	ActivityStore
	RecordStore
	StatsStore
	AppendAudit(ctx context.Context, a audit.Record) error
}

// TemplateStore keeps template versions. There is no method that changes
// a stored version.
type TemplateStore interface {
	// Categories lists the case categories (data).
	Categories(ctx context.Context) ([]casefile.Category, error)
	// EvaluationTemplates lists every stored version, by code and version,
	// with Latest and InUse filled in.
	EvaluationTemplates(ctx context.Context) ([]TemplateInfo, error)
	// EvaluationTemplateData loads one version and its file (JSON).
	EvaluationTemplateData(ctx context.Context, id int64) (TemplateInfo, []byte, error)
	// CreateEvaluationTemplate stores a new version; a version number
	// taken meanwhile gives apperr.ErrConflict.
	CreateEvaluationTemplate(ctx context.Context, nt NewTemplate, a audit.Record) (int64, error)
}

// NewTemplate is a version to store: its list columns and its file.
type NewTemplate struct {
	Info TemplateInfo
	Data []byte
}

// Request carries who is asking and from where (the same shape as
// casefile.Request and monitor.Request).
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
		rec.ObjectID = strconv.FormatInt(objID, 10)
	}
	return rec
}

// Audit object types.
const (
	objTemplate = "evaluation_template"
	objCheck    = "evaluation_check"
	objActivity = "evaluation_activity"
	objRecord   = "evaluation_record"
)

// systemActor is the actor of the hook at closing, the scan and the
// lapse of unanswered proposals.
func systemActor() audit.Actor { return audit.System("evaluation") }

// Service is the case-quality service: templates, self-checks,
// activities, records, reports and statistics.
type Service struct {
	store  Store
	now    func() time.Time
	engine func() *deadline.Engine
	t      func(key string, args ...any) string
	// templates caches parsed versions by id: a stored version never
	// changes, so the cache never goes stale.
	templates sync.Map
}

// NewService wires the service. now is injectable so tests control
// "today"; engine returns the deadline engine in use (its working-day
// calendar counts the 10 working days of a self-check and the response
// period); t renders the explanations stored with assignments (i18n), so
// the stored text is what the case manager saw.
func NewService(st Store, now func() time.Time, engine func() *deadline.Engine,
	t func(key string, args ...any) string) *Service {
	return &Service{store: st, now: now, engine: engine, t: t}
}

// Today is the current legal date.
func (s *Service) Today() string { return casefile.LegalDate(s.now()) }

// calendar is the working-day calendar in use.
func (s *Service) calendar() *deadline.Calendar { return s.engine().Calendar() }

// CaseFacts is what the evaluation reads of a case, as it stands now.
type CaseFacts struct {
	ID             int64
	UnitID         int64
	UnitPath       string
	UnitName       string
	Category       string
	Name           string
	StageNo        string
	UniformNo      string
	Status         string
	Sealed         bool
	DepartmentID   int64
	DepartmentName string
	HandlerID      int64
	HandlerName    string
	Decision       string
	ReceivedOn     string
	ClosedOn       string
	Returns        int
}

func (c CaseFacts) ref() access.CaseRef {
	return access.CaseRef{UnitID: c.UnitID, UnitPath: c.UnitPath, HandlerID: c.HandlerID, Sealed: c.Sealed}
}

// Person is a user as the evaluation needs them: to check roles, units
// and recusal, and to name them.
type Person struct {
	ID           int64
	Username     string
	Name         string
	UnitID       int64
	UnitPath     string
	UnitName     string
	DepartmentID int64
	Roles        []access.Role
	Disabled     bool
}

// Principal is the policy's view of the person.
func (p Person) Principal() access.Principal {
	return access.Principal{UserID: p.ID, Username: p.Username, Name: p.Name, UnitID: p.UnitID, UnitPath: p.UnitPath,
		DepartmentID: p.DepartmentID, Roles: p.Roles}
}

// UnitRef is a unit as an activity's scope names it.
type UnitRef struct {
	ID   int64
	Name string
	Path string
}

// Length limits of texts.
const (
	maxNote    = 500
	maxReasons = 2000
)

// checkText checks presence and length of a text typed on a form; its
// label is the evaluation catalogue's ("evaluation.field.<field>").
func checkText(v *apperr.Validation, field, text string, max int, required bool) {
	label := "evaluation.field." + labelOf(field)
	switch {
	case required && strings.TrimSpace(text) == "":
		v.AddLabeled(field, label, "err.required")
	case len([]rune(text)) > max:
		v.AddLabeled(field, label, "err.too_long", max)
	}
}

// invalid is a validation error on one field labelled from the evaluation
// catalogue.
func invalid(field, key string, args ...any) error {
	v := &apperr.Validation{}
	v.AddLabeled(field, "evaluation.field."+labelOf(field), key, args...)
	return v
}

// add records a problem on a field labelled from the evaluation catalogue.
func add(v *apperr.Validation, field, key string, args ...any) {
	v.AddLabeled(field, "evaluation.field."+labelOf(field), key, args...)
}

// labelOf is the label name of a field path: its last name without index
// ("findings[2].note" → "note").
func labelOf(field string) string {
	if i := strings.LastIndex(field, "."); i >= 0 {
		field = field[i+1:]
	}
	if i := strings.Index(field, "["); i >= 0 {
		field = field[:i]
	}
	return field
}

// validDate reports whether s is an ISO date.
func validDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}
