package aid

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
)

// Unit is a procuratorate as a pairing names it.
type Unit struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Path string `json:"-"`
}

// Sides of a pairing.
const (
	SideAiding = "aiding"
	SideAided  = "aided"
)

// Shares is what the aided side shares with the aiding side.
type Shares struct {
	Aggregates bool `json:"aggregates"`
	Reviews    bool `json:"reviews"`
	Problems   bool `json:"problems"`
	QA         bool `json:"qa"`
}

// DefaultShares is the agreement's default: aggregates only.
func DefaultShares() Shares { return Shares{Aggregates: true} }

// Contact is a liaison person of the pairing (a phone number is text:
// it may carry an extension or a leading zero).
type Contact struct {
	Name  string `json:"name"`
	Unit  string `json:"unit"`
	Phone string `json:"phone"`
}

// Pairing is one pairing agreement.
type Pairing struct {
	ID        int64
	Name      string
	Aiding    []Unit
	Aided     []Unit
	StartOn   string
	EndOn     string
	Agreement string
	Contacts  []Contact
	Shares    Shares
	CreatedAt time.Time
	UpdatedAt time.Time
}

// UnitNames lists the units' names as one text (、-separated).
func UnitNames(us []Unit) string {
	names := make([]string, len(us))
	for i, u := range us {
		names[i] = u.Name
	}
	return strings.Join(names, "、")
}

// Units lists every unit of both sides.
func (pr Pairing) Units() []Unit {
	out := make([]Unit, 0, len(pr.Aiding)+len(pr.Aided))
	return append(append(out, pr.Aiding...), pr.Aided...)
}

// Within reports whether the legal date day lies in the pairing's period.
func (pr Pairing) Within(day string) bool { return day >= pr.StartOn && day <= pr.EndOn }

// PairingInput is a pairing as a form or a request gives it.
type PairingInput struct {
	Name      string    `json:"name"`
	AidingIDs []int64   `json:"aiding_unit_ids"`
	AidedIDs  []int64   `json:"aided_unit_ids"`
	StartOn   string    `json:"start_on"`
	EndOn     string    `json:"end_on"`
	Agreement string    `json:"agreement"`
	Contacts  []Contact `json:"contacts"`
	Shares    Shares    `json:"shares"`
}

// Store is everything the aid service needs from persistence. Each write
// runs in one transaction together with the audit record it is given.
type Store interface {
	PairingStore
	ActivityStore
	LedgerStore
	TalentStore
	QAStore
	SharedStore
	TrainingStore
	GoalStore
	ProgressStore
	AppendAudit(ctx context.Context, a audit.Record) error
}

// PairingStore keeps pairings. Saving a pairing also sets or clears the
// statistics sharing its aggregates flag stands for, in the same
// transaction.
type PairingStore interface {
	// AidUnit loads a unit; apperr.ErrNotFound when there is none.
	AidUnit(ctx context.Context, id int64) (Unit, error)
	// AidPairings lists the pairings within scope, newest period first.
	AidPairings(ctx context.Context, s ReadScope) ([]Pairing, error)
	// AidPairing loads one pairing (no scope: the service decides).
	AidPairing(ctx context.Context, id int64) (Pairing, error)
	// SaveAidPairing inserts (ID 0) or replaces a pairing and returns its id.
	SaveAidPairing(ctx context.Context, pr Pairing, actorID int64, a audit.Record) (int64, error)
}

// Request carries who is asking and from where (the shape of
// casefile.Request).
type Request struct {
	P         access.Principal
	Client    string
	RequestID string
}

func (r Request) record(action, objType string, objID int64, detail string) audit.Record {
	a := audit.ActorOf(r.P, r.Client, r.RequestID)
	if r.P.UserID == 0 && strings.HasPrefix(r.P.Username, "system:") {
		// The demo seed acts as the system, not as a person.
		a = audit.System(strings.TrimPrefix(r.P.Username, "system:"))
	}
	return newRecord(a, action, objType, objID, detail)
}

func newRecord(a audit.Actor, action, objType string, objID int64, detail string) audit.Record {
	rec := audit.Record{Actor: a, Action: action, ObjectType: objType, Result: audit.ResultOK, Detail: detail}
	if objID != 0 {
		rec.ObjectID = strconv.FormatInt(objID, 10)
	}
	return rec
}

// Audit object type: every action names the pairing it concerns.
const objPairing = "aid_pairing"

// Service is the paired-assistance service.
type Service struct {
	store Store
	now   func() time.Time
	t     func(key string, args ...any) string
	// ind and workday feed the goals' measures (progress.go); set by
	// the server wiring.
	ind     Indicators
	workday func(day string) bool
	// rules indexes the question bank for Q&A rule links (qa_rules.go).
	rules ruleIndex
}

// NewService wires the service. now is injectable so tests control
// "today"; t renders the labels of the ledger export (i18n).
func NewService(st Store, now func() time.Time, t func(key string, args ...any) string) *Service {
	return &Service{store: st, now: now, t: t}
}

// cst is the zone legal dates are read in (Asia/Shanghai, no DST).
var cst = time.FixedZone("CST", 8*3600)

// Today is the current legal date (Asia/Shanghai).
func (s *Service) Today() string {
	return s.now().In(cst).Format(time.DateOnly)
}

// field labels come from the aid catalogue ("aid.field.<name>").
func label(field string) string {
	if i := strings.LastIndex(field, "."); i >= 0 {
		field = field[i+1:]
	}
	if i := strings.Index(field, "["); i >= 0 {
		field = field[:i]
	}
	return "aid.field." + field
}

func add(v *apperr.Validation, field, key string, args ...any) {
	v.AddLabeled(field, label(field), key, args...)
}

func invalid(field, key string, args ...any) error {
	v := &apperr.Validation{}
	add(v, field, key, args...)
	return v
}

// checkText checks presence and length of a typed text.
func checkText(v *apperr.Validation, field, text string, max int, required bool) {
	switch {
	case required && strings.TrimSpace(text) == "":
		add(v, field, "err.required")
	case len([]rune(text)) > max:
		add(v, field, "err.too_long", max)
	}
}

// checkDate checks a legal date; within, when set, is the pairing whose
// period it must lie in.
func checkDate(v *apperr.Validation, field, day string, within *Pairing) {
	switch {
	case strings.TrimSpace(day) == "":
		add(v, field, "err.required")
	case !validDate(day):
		add(v, field, "err.date_invalid")
	case within != nil && !within.Within(day):
		add(v, field, "err.aid_outside_period", within.StartOn, within.EndOn)
	}
}

func validDate(s string) bool {
	t, err := time.Parse(time.DateOnly, s)
	return err == nil && t.Format(time.DateOnly) == s
}

// visible loads a pairing p may read; another unit's pairing answers as
// one that does not exist.
func (s *Service) visible(ctx context.Context, r Request, id int64) (Pairing, error) {
	pr, err := s.store.AidPairing(ctx, id)
	if err != nil {
		return Pairing{}, err
	}
	if !CanRead(r.P, pr) {
		return Pairing{}, apperr.ErrNotFound
	}
	return pr, nil
}

// audited records a view of the pairing: its data belongs to units other
// than the reader's, so every view is on the record (as a drill-down).
func (s *Service) audited(ctx context.Context, r Request, action string, id int64, detail string) error {
	return s.store.AppendAudit(ctx, r.record(action, objPairing, id, detail))
}

// notFound reports whether err is the not-found sentinel.
func notFound(err error) bool { return errors.Is(err, apperr.ErrNotFound) }
