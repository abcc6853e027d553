package casefile

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/deadline"
)

// Store is what the case service needs from persistence. Each write method
// runs in one transaction together with the audit record it is given.
type Store interface {
	Categories(ctx context.Context) ([]Category, error)
	CreateCase(ctx context.Context, in Intake, clocks []ClockRow, a audit.Record) (int64, error)
	ResolveIntake(ctx context.Context, c Case, outcome, note string, clocks []ClockRow, a audit.Record) error
	Case(ctx context.Context, id int64) (Case, error)
	CaseDetail(ctx context.Context, id int64, a audit.Record) (Detail, error)
	// ClockFacts loads what the deadline engine reads of a case: its
	// events and whether a party is in custody (no audit: nothing is shown).
	ClockFacts(ctx context.Context, c Case) (ClockFacts, error)
	AddEvent(ctx context.Context, c Case, e Event, status string, clocks []ClockRow, a audit.Record) (Event, error)
	ListCases(ctx context.Context, s access.Scope, f Filter) ([]Case, string, error)
	CountCases(ctx context.Context, s access.Scope, f Filter) (int, error)
	AppendAudit(ctx context.Context, a audit.Record) error
}

// CountCap bounds the count of a text search: a count above it is shown as
// "more than CountCap" (see the store's CountCases).
const CountCap = 1000

// Filter narrows a case list. Zero values mean "any".
type Filter struct {
	Category     string
	Status       string
	HandlerID    int64
	ReceivedFrom string
	ReceivedTo   string
	Query        string // text search over name, numbers, party names
	OpenOnly     bool   // not closed, refused
	Limit        int
	After        string // opaque cursor from a previous page
}

// ChinaZone is the legal time zone (UTC+8, no daylight saving).
var chinaZone = time.FixedZone("CST", 8*3600)

// LegalDate is the calendar date of t in China's legal time zone.
func LegalDate(t time.Time) string { return t.In(chinaZone).Format(time.DateOnly) }

// Service is the case service.
type Service struct {
	store    Store
	now      func() time.Time
	clocker  atomic.Pointer[Clocker]
	onClosed atomic.Pointer[func(ctx context.Context, caseID int64)]
}

// OnClosed registers what happens after a case is closed (the self-check
// task of 每案必检); the case service does not know the quality service.
// nil removes it.
func (s *Service) OnClosed(fn func(ctx context.Context, caseID int64)) { s.onClosed.Store(&fn) }

// NewService wires the service with the embedded holiday calendar and the
// default warning settings. now is injectable so tests control "today".
func NewService(st Store, now func() time.Time) *Service {
	s := &Service{store: st, now: now}
	s.clocker.Store(&Clocker{Engine: deadline.DefaultEngine(), Warnings: deadline.DefaultWarningSettings()})
	return s
}

// Clocker is the engine and warning settings in use.
func (s *Service) Clocker() Clocker { return *s.clocker.Load() }

// SetCalendar switches to a working-day calendar loaded from the database
// (after start-up or an import). Requests in flight keep the old one.
func (s *Service) SetCalendar(cal *deadline.Calendar) {
	old := s.clocker.Load()
	s.clocker.Store(&Clocker{Engine: deadline.NewEngine(cal, old.Engine.Rules()), Warnings: old.Warnings})
}

// SetWarnings switches to the office's warning thresholds (stored clocks
// follow at the next recomputation).
func (s *Service) SetWarnings(w deadline.WarningSettings) {
	old := s.clocker.Load()
	s.clocker.Store(&Clocker{Engine: old.Engine, Warnings: w})
}

// today is the current legal date as the engine reads it.
func (s *Service) today() deadline.Date { return deadline.Today(s.now()) }

// Today is the current legal date.
func (s *Service) Today() string { return LegalDate(s.now()) }

// Categories lists the case categories.
func (s *Service) Categories(ctx context.Context) ([]Category, error) {
	return s.store.Categories(ctx)
}

// Request carries who is asking and from where.
type Request struct {
	P         access.Principal
	Client    string
	RequestID string
}

func (r Request) record(action, objType string, objID int64, detail string) audit.Record {

	return audit.Record{Actor: audit.ActorOf(r.P, r.Client, r.RequestID), Action: action, ObjectType: objType,
		ObjectID: strconv.FormatInt(objID, 10), Result: audit.ResultOK, Detail: detail}
}

// Register records an intake. The case is created in the principal's unit.
func (s *Service) Register(ctx context.Context, r Request, in Intake) (int64, error) {
	if in.UnitID == 0 {
		in.UnitID = r.P.UnitID
	}
	if !access.CanIntake(r.P, in.UnitID) {
		return 0, apperr.ErrForbidden
	}
	cats, err := s.store.Categories(ctx)
	if err != nil {
		return 0, err
	}
	if err := in.Validate(cats, s.Today()); err != nil {
		return 0, err
	}
	facts := ClockFacts{Category: in.Category, FastTrack: in.FastTrack,
		Custody: slices.ContainsFunc(in.Parties, func(p Party) bool { return p.Custody }),
		Events:  []Event{{Code: EventReceived, OccurredOn: in.ReceivedOn, Outcome: in.Outcome}}}
	clocks, _, err := s.Clocker().Rows(facts, s.today())
	if err != nil {
		return 0, err
	}
	rec := r.record("case.intake", "case", 0, "outcome="+in.Outcome+" category="+in.Category)
	return s.store.CreateCase(ctx, in, clocks, rec)
}

// ResolveIntake completes an intake that waited for supplementary material:
// accept (numbers are allocated now) or refuse.
func (s *Service) ResolveIntake(ctx context.Context, r Request, id int64, outcome, note string) error {
	c, err := s.visible(ctx, r.P, id)
	if err != nil {
		return err
	}
	if !access.CanIntake(r.P, c.UnitID) {
		return apperr.ErrForbidden
	}
	if c.Status != StatusAwaitingSupplement {
		return apperr.Invalid("outcome", "err.intake_not_pending")
	}
	note = strings.TrimSpace(note)
	switch outcome {
	case OutcomeAccept:
	case OutcomeRefuse:
		if note == "" {
			return apperr.Invalid("outcome_note", "err.required")
		}
	default:
		return apperr.Invalid("outcome", "err.unknown_value")
	}
	var clocks []ClockRow
	if outcome == OutcomeAccept {
		facts, err := s.store.ClockFacts(ctx, c)
		if err != nil {
			return err
		}
		facts.Events = append(facts.Events, Event{Code: EventReceived, OccurredOn: c.ReceivedOn, Outcome: outcome})
		if clocks, _, err = s.Clocker().Rows(facts, s.today()); err != nil {
			return err
		}
	}
	return s.store.ResolveIntake(ctx, c, outcome, note, clocks,
		r.record("case.intake_resolve", "case", id, "outcome="+outcome))
}

// visible loads a case and hides it (ErrNotFound) when it is out of scope.
func (s *Service) visible(ctx context.Context, p access.Principal, id int64) (Case, error) {
	c, err := s.store.Case(ctx, id)
	if err != nil {
		return Case{}, err
	}
	if !access.CanViewCase(p, refOf(c)) {
		return Case{}, apperr.ErrNotFound
	}
	return c, nil
}

func refOf(c Case) access.CaseRef {
	return access.CaseRef{UnitID: c.UnitID, UnitPath: c.UnitPath, HandlerID: c.HandlerID, Sealed: c.Sealed}
}

// Get returns a case with parties, timeline and assignments, and audits
// the view (it shows personal data of the parties).
func (s *Service) Get(ctx context.Context, r Request, id int64) (Detail, error) {
	if _, err := s.visible(ctx, r.P, id); err != nil {
		return Detail{}, err
	}
	return s.store.CaseDetail(ctx, id, r.record("case.view", "case", id, ""))
}

// List returns one page of the cases the principal may see.
func (s *Service) List(ctx context.Context, r Request, f Filter) ([]Case, string, error) {
	sc := access.CaseScope(r.P)
	if sc.None() {
		return nil, "", nil
	}
	if err := f.normalise(); err != nil {
		return nil, "", err
	}
	cases, next, err := s.store.ListCases(ctx, sc, f)
	if err != nil {
		return nil, "", err
	}
	// A list shows case names, which name people: who listed or searched
	// what is recorded (the search words too — that is the sensitive act).
	rec := r.record("case.list", "case", 0, f.auditDetail(len(cases)))
	rec.ObjectID = ""
	if err := s.store.AppendAudit(ctx, rec); err != nil {
		return nil, "", err
	}
	return cases, next, nil
}

func (f Filter) auditDetail(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "rows=%d", n)
	for _, kv := range [][2]string{{"category", f.Category}, {"status", f.Status}, {"from", f.ReceivedFrom},
		{"to", f.ReceivedTo}, {"q", f.Query}} {
		if kv[1] != "" {
			fmt.Fprintf(&b, " %s=%s", kv[0], kv[1])
		}
	}
	if f.HandlerID != 0 {
		fmt.Fprintf(&b, " handler=%d", f.HandlerID)
	}
	if f.After != "" {
		b.WriteString(" page>1")
	}
	return b.String()
}

// Count counts the cases the principal may see under f.
func (s *Service) Count(ctx context.Context, r Request, f Filter) (int, error) {
	sc := access.CaseScope(r.P)
	if sc.None() {
		return 0, nil
	}
	if err := f.normalise(); err != nil {
		return 0, err
	}
	return s.store.CountCases(ctx, sc, f)
}

func (f *Filter) normalise() error {
	v := &apperr.Validation{}
	f.Query = strings.TrimSpace(f.Query)
	if len([]rune(f.Query)) > 50 {
		v.Add("q", "err.too_long", 50)
	}
	for field, d := range map[string]string{"received_from": f.ReceivedFrom, "received_to": f.ReceivedTo} {
		if d != "" {
			if _, err := time.Parse(time.DateOnly, d); err != nil {
				v.Add(field, "err.date_invalid")
			}
		}
	}
	if f.Status != "" && !slices.Contains(Statuses(), f.Status) {
		v.Add("status", "err.unknown_value")
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	return v.Err()
}

// AddEvent records a procedural event after checking the state machine.
func (s *Service) AddEvent(ctx context.Context, r Request, id int64, e Event) (Event, error) {
	c, err := s.visible(ctx, r.P, id)
	if err != nil {
		return Event{}, err
	}
	if !access.CanRecordEvent(r.P, refOf(c)) {
		return Event{}, apperr.ErrForbidden
	}
	e.Note = strings.TrimSpace(e.Note)
	v := &apperr.Validation{}
	if len([]rune(e.Note)) > 500 {
		v.Add("note", "err.too_long", 500)
	}
	checkDate(v, "occurred_on", e.OccurredOn, s.Today())
	if !v.Has("occurred_on") && e.OccurredOn < c.ReceivedOn {
		v.Add("occurred_on", "err.before_receipt", c.ReceivedOn)
	}
	if e.Code == "" {
		v.Add("code", "err.required")
	}
	if err := v.Err(); err != nil {
		return Event{}, err
	}
	next, refusal := Transition(c, e)
	if refusal != "" {
		if err := s.refused(ctx, r, c, e, refusal); err != nil {
			return Event{}, err
		}
		v := &apperr.Validation{}
		if refusal == "err.outcome_invalid" {
			v.AddLabeled("outcome", "field.decision", refusal)
		} else {
			v.Add("code", refusal)
		}
		return Event{}, v
	}
	if e.Code != EventDecided {
		e.Outcome = ""
	}
	clocks, err := s.clocksWith(ctx, c, e)
	if err != nil {
		return Event{}, err
	}
	e.CaseID = id
	e.ActorID = r.P.UserID
	ev, err := s.store.AddEvent(ctx, c, e, next, clocks, r.record("case.event", "case", id, fmt.Sprintf("event=%s", e.Code)))
	if err == nil && e.Code == EventClosed {
		if fn := s.onClosed.Load(); fn != nil && *fn != nil {
			(*fn)(ctx, id)
		}
	}
	return ev, err
}

// clocksWith derives the case's clocks with e added, and refuses e when it
// contradicts the recorded events in a way the status alone cannot show:
// an assessment that ends before it started, an extension after the period
// ran out, a resubmission dated before its return.
func (s *Service) clocksWith(ctx context.Context, c Case, e Event) ([]ClockRow, error) {
	facts, err := s.store.ClockFacts(ctx, c)
	if err != nil {
		return nil, err
	}
	facts.Events = append(facts.Events, e)
	clocks, problems, err := s.Clocker().Rows(facts, s.today())
	if err != nil {
		return nil, err
	}
	newIndex := len(facts.Events) - 1
	for _, p := range problems {
		if p.Index == newIndex && Contradicts(p) {
			return nil, apperr.Invalid("occurred_on", p.Key())
		}
	}
	return clocks, nil
}

// watchedRefusal reports the refusals the monitoring scan looks for: a
// third return for supplementary investigation attempted (CPL 175 allows
// two).
func watchedRefusal(refusal string) bool { return refusal == "err.return_limit" }

// refused records a refused attempt the monitoring scan looks for, so the
// attempt is on file although nothing about the case changed.
func (s *Service) refused(ctx context.Context, r Request, c Case, e Event, refusal string) error {
	if !watchedRefusal(refusal) {
		return nil
	}
	rec := r.record("case.event_refused", "case", c.ID, fmt.Sprintf("event=%s refusal=%s", e.Code, refusal))
	rec.Result = audit.ResultDenied
	return s.store.AppendAudit(ctx, rec)
}
