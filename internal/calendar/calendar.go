// Package calendar keeps the working-day calendar (法定节假日与调休) as data:
// one holiday file per year, stored in the database, imported by a system
// administrator every November when the State Council publishes the next
// year's notice, and applied to every deadline at once.
package calendar

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/deadline"
)

// Year is one stored year of the calendar.
type Year struct {
	Year           int
	Source         string
	Data           []byte    // the holiday file as imported (JSON)
	ImportedBy     int64     // 0 for the command line and for a shipped year
	ImportedAt     time.Time // zero for a shipped year not imported over
	ImportedByName string
}

// Store keeps the years.
type Store interface {
	CalendarYears(ctx context.Context) ([]Year, error)
	PutCalendarYears(ctx context.Context, ys []Year, a audit.Record) error
}

// Applier takes a new calendar (the case service's deadline engine).
type Applier interface {
	SetCalendar(cal *deadline.Calendar)
}

// Recomputer derives every open clock again after the calendar changed.
type Recomputer interface {
	Recompute(ctx context.Context, a audit.Actor) (int, error)
}

// Service loads, lists and imports calendar years.
type Service struct {
	store Store
	apply Applier
	again Recomputer
	now   func() time.Time
}

// NewService wires the service.
func NewService(st Store, apply Applier, again Recomputer, now func() time.Time) *Service {
	return &Service{store: st, apply: apply, again: again, now: now}
}

// Load reads the stored years, adds the shipped years (2024–2026) that
// were not imported over, and applies the result. It writes nothing, so
// read-only commands (audit verify) leave the database as they found it.
func (s *Service) Load(ctx context.Context) error {
	ys, err := s.years(ctx)
	if err != nil {
		return err
	}
	cal, err := build(ys)
	if err != nil {
		return err
	}
	s.apply.SetCalendar(cal)
	return nil
}

// years merges the stored years with the shipped ones; a stored year
// replaces the shipped year of the same number (a correction).
func (s *Service) years(ctx context.Context) ([]Year, error) {
	ys, err := s.store.CalendarYears(ctx)
	if err != nil {
		return nil, err
	}
	defaults, err := deadline.DefaultYears()
	if err != nil {
		return nil, err
	}
	for _, y := range defaults {
		if slices.ContainsFunc(ys, func(st Year) bool { return st.Year == y.Year }) {
			continue
		}
		b, err := json.Marshal(y)
		if err != nil {
			return nil, err
		}
		ys = append(ys, Year{Year: y.Year, Source: y.Source, Data: b})
	}
	return ys, nil
}

func build(ys []Year) (*deadline.Calendar, error) {
	data := make([]deadline.YearData, 0, len(ys))
	for _, y := range ys {
		d, err := deadline.ParseYear(y.Data)
		if err != nil {
			return nil, fmt.Errorf("calendar: stored year %d: %w", y.Year, err)
		}
		data = append(data, d)
	}
	return deadline.LoadCalendar(data...)
}

// Years lists the stored years, newest first, with their parsed data.
func (s *Service) Years(ctx context.Context) ([]Year, []deadline.YearData, error) {
	ys, err := s.years(ctx)
	if err != nil {
		return nil, nil, err
	}
	slices.SortFunc(ys, func(a, b Year) int { return b.Year - a.Year })
	data := make([]deadline.YearData, len(ys))
	for i, y := range ys {
		if data[i], err = deadline.ParseYear(y.Data); err != nil {
			return nil, nil, err
		}
	}
	return ys, data, nil
}

// Result is what an import did.
type Result struct {
	Year       deadline.YearData
	Replaced   bool // the year was loaded before and is now corrected
	Recomputed int  // cases whose open clocks were derived again
}

// CanImport: the calendar is a system setting (系统管理员).
func CanImport(p access.Principal) bool { return p.Has(access.SysAdmin) }

// Import validates a holiday file, stores it (replacing the year if it was
// loaded), applies the new calendar and recomputes every open clock. A
// file with problems changes nothing and reports every problem with its
// field. p is nil for the command line (a local operator).
func (s *Service) Import(ctx context.Context, p *access.Principal, actor audit.Actor, file []byte) (Result, error) {
	if p != nil && !CanImport(*p) {
		return Result{}, apperr.ErrForbidden
	}
	y, err := deadline.ParseYear(file)
	if err != nil {
		if ye, ok := errors.AsType[*deadline.YearError](err); ok {
			return Result{}, ye.Validation()
		}
		return Result{}, apperr.Invalid("file", "deadline.problem.bad_year_file")
	}
	ys, err := s.years(ctx)
	if err != nil {
		return Result{}, err
	}
	res := Result{Year: y}
	kept := ys[:0]
	for _, old := range ys {
		if old.Year == y.Year {
			res.Replaced = true
			continue
		}
		kept = append(kept, old)
	}
	b, err := json.Marshal(y)
	if err != nil {
		return Result{}, err
	}
	in := Year{Year: y.Year, Source: y.Source, Data: b, ImportedBy: actor.UserID, ImportedAt: s.now()}
	cal, err := build(append(kept, in))
	if err != nil {
		return Result{}, err
	}
	action := "calendar.import"
	if res.Replaced {
		action = "calendar.replace"
	}
	if err := s.store.PutCalendarYears(ctx, []Year{in}, audit.Record{Actor: actor, Action: action,
		ObjectType: "calendar", ObjectID: fmt.Sprint(y.Year), Result: audit.ResultOK,
		Detail: fmt.Sprintf("holidays=%d workdays=%d", len(y.Holidays), len(y.Workdays))}); err != nil {
		return Result{}, err
	}
	s.apply.SetCalendar(cal)
	if res.Recomputed, err = s.again.Recompute(ctx, actor); err != nil {
		return res, fmt.Errorf("calendar: year %d stored, recomputing clocks failed (run again): %w", y.Year, err)
	}
	return res, nil
}
