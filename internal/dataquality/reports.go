package dataquality

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
)

// ReportStore computes the reports in SQL over the scope.
type ReportStore interface {
	// Accuracy groups the cards in scope by unit, department or handler:
	// cards checked and cards with an open problem.
	Accuracy(ctx context.Context, s access.FindingScope, by string) ([]AccuracyRow, error)
	// ProblemCounts groups the problems in scope by rule or kind.
	ProblemCounts(ctx context.Context, s access.FindingScope, by string) ([]CountRow, error)
	// AccuracyAt gives, for each instant (unix ms), the cards that existed
	// then and how many had a problem open at that instant.
	AccuracyAt(ctx context.Context, s access.FindingScope, at []int64) ([]AccuracyRow, error)
	// OpenAt lists the problems in scope open at the end of day on (ISO),
	// oldest first.
	OpenAt(ctx context.Context, s access.FindingScope, on string, limit int) ([]Problem, error)
	// MarkNotified stamps month on the problems of unitID open at the end
	// of on that no earlier list carried; it returns how many.
	MarkNotified(ctx context.Context, unitID int64, month, on string, a audit.Record) (int, error)
}

// Groupings of the accuracy report.
const (
	ByUnit       = "unit"
	ByDepartment = "department"
	ByHandler    = "handler"
	ByRule       = "rule"
	ByKind       = "kind"
)

// AccuracyRow is one line of the accuracy report: data accuracy rate =
// cards without an open problem ÷ cards checked (every card is checked by
// every scan; a waived problem is not an error).
type AccuracyRow struct {
	Key          string // unit name, department, handler, or the week's last day
	ID           int64  // unit or handler id, when there is one
	Cards        int
	WithProblems int
}

// Rate is the accuracy in percent (100 when there is no card).
func (a AccuracyRow) Rate() float64 {
	if a.Cards == 0 {
		return 100
	}
	return 100 * float64(a.Cards-a.WithProblems) / float64(a.Cards)
}

// CountRow counts problems of one rule or kind by status.
type CountRow struct {
	Key    string
	Title  string
	Open   int
	Fixed  int
	Waived int
}

func (s *Service) reportScope(r Request) (access.FindingScope, error) {
	if !access.CanReadDataReports(r.P) {
		return access.FindingScope{}, apperr.ErrForbidden
	}
	sc := access.DataScope(r.P)
	if sc.None() {
		return sc, apperr.ErrForbidden
	}
	return sc, nil
}

// Accuracy is the accuracy report by unit, department or handler.
func (s *Service) Accuracy(ctx context.Context, r Request, by string) ([]AccuracyRow, error) {
	switch by {
	case ByUnit, ByDepartment, ByHandler:
	default:
		return nil, apperr.Invalid("by", "err.dq_by")
	}
	sc, err := s.reportScope(r)
	if err != nil {
		return nil, err
	}
	return s.store.Accuracy(ctx, sc, by)
}

// ProblemCounts is the problem count by rule (with titles) or kind.
func (s *Service) ProblemCounts(ctx context.Context, r Request, by string) ([]CountRow, error) {
	if by != ByRule && by != ByKind {
		return nil, apperr.Invalid("by", "err.dq_by")
	}
	sc, err := s.reportScope(r)
	if err != nil {
		return nil, err
	}
	rows, err := s.store.ProblemCounts(ctx, sc, by)
	if err != nil {
		return nil, err
	}
	if by == ByRule {
		lib := s.Library()
		for i := range rows {
			if rule, ok := lib.Rule(rows[i].Key); ok {
				rows[i].Title = rule.Title
			}
		}
	}
	return rows, nil
}

// MaxWeeks bounds the weekly trend.
const MaxWeeks = 52

// Trend is the accuracy at the end of each of the last weeks (Sunday
// 24:00 in the legal time zone), oldest first, the current week last (up
// to now).
func (s *Service) Trend(ctx context.Context, r Request, weeks int) ([]AccuracyRow, error) {
	if weeks < 1 || weeks > MaxWeeks {
		return nil, apperr.Invalid("weeks", "err.dq_weeks", 1, MaxWeeks)
	}
	sc, err := s.reportScope(r)
	if err != nil {
		return nil, err
	}
	now := s.now()
	today, _ := time.ParseInLocation(time.DateOnly, s.Today(), chinaTime)
	// The end of this week: next Monday 00:00.
	end := today.AddDate(0, 0, (8-int(today.Weekday()))%7)
	if today.Weekday() == time.Monday {
		end = today.AddDate(0, 0, 7)
	}
	at := make([]int64, weeks)
	labels := make([]string, weeks)
	for i := range weeks {
		e := end.AddDate(0, 0, -7*(weeks-1-i))
		ms := e.UnixMilli()
		if ms > now.UnixMilli() {
			// The current week: everything recorded so far.
			ms = math.MaxInt64
		}
		at[i] = ms
		labels[i] = e.AddDate(0, 0, -1).Format(time.DateOnly)
	}
	rows, err := s.store.AccuracyAt(ctx, sc, at)
	if err != nil {
		return nil, err
	}
	for i := range rows {
		rows[i].Key = labels[i]
	}
	return rows, nil
}

var chinaTime = time.FixedZone("CST", 8*3600)

// monthEnd is the last day of month (YYYY-MM).
func monthEnd(month string) (string, error) {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return "", err
	}
	return t.AddDate(0, 1, -1).Format(time.DateOnly), nil
}

// MaxNotification bounds one notification list.
const MaxNotification = 20000

// NotificationList is the monthly notification list (通报数据清单): every
// problem in scope open at the end of month.
func (s *Service) NotificationList(ctx context.Context, r Request, month string) ([]Problem, error) {
	if !validMonth(month) {
		return nil, apperr.Invalid("month", "err.dq_month")
	}
	sc, err := s.reportScope(r)
	if err != nil {
		return nil, err
	}
	end, _ := monthEnd(month)
	if today := s.Today(); end > today {
		end = today
	}
	ps, err := s.store.OpenAt(ctx, sc, end, MaxNotification)
	if err != nil {
		return nil, err
	}
	s.describe(ps)
	return ps, nil
}

// PublishNotification marks the unit's problems open at the end of month
// as notified in that month, for the look-back (回头看). Only the unit's
// case management office publishes.
func (s *Service) PublishNotification(ctx context.Context, r Request, unitID int64, month string) (int, error) {
	if !access.CanImportCards(r.P, unitID) {
		return 0, apperr.ErrForbidden
	}
	if !validMonth(month) {
		return 0, apperr.Invalid("month", "err.dq_month")
	}
	end, _ := monthEnd(month)
	if today := s.Today(); end > today {
		end = today
	}
	return s.store.MarkNotified(ctx, unitID, month, end,
		r.record("dq.notification_published", objProblem, 0, fmt.Sprintf("unit=%d month=%s", unitID, month)))
}

// LookBack lists the problems a month's notification carried, with their
// status now: fixed, still open, or waived.
func (s *Service) LookBack(ctx context.Context, r Request, month string, limit int) ([]Problem, LookBackSummary, error) {
	if !validMonth(month) {
		return nil, LookBackSummary{}, apperr.Invalid("month", "err.dq_month")
	}
	if limit < 1 || limit > 500 {
		return nil, LookBackSummary{}, apperr.Invalid("limit", "err.dq_limit", 1, 500)
	}
	sc, err := s.reportScope(r)
	if err != nil {
		return nil, LookBackSummary{}, err
	}
	var sum LookBackSummary
	for _, st := range []string{StatusOpen, StatusFixed, StatusWaived} {
		n, err := s.store.CountProblems(ctx, sc, ProblemFilter{Month: month, Status: st})
		if err != nil {
			return nil, sum, err
		}
		switch st {
		case StatusOpen:
			sum.Open = n
		case StatusFixed:
			sum.Fixed = n
		default:
			sum.Waived = n
		}
	}
	ps, _, err := s.store.ListProblems(ctx, sc, ProblemFilter{Month: month, Limit: limit})
	if err != nil {
		return nil, sum, err
	}
	s.describe(ps)
	return ps, sum, nil
}

// LookBackSummary counts a month's notified problems by status now.
type LookBackSummary struct {
	Open, Fixed, Waived int
}

// FixedRate is the share of notified problems fixed since, in percent.
func (l LookBackSummary) FixedRate() float64 {
	n := l.Open + l.Fixed + l.Waived
	if n == 0 {
		return 0
	}
	return 100 * float64(l.Fixed) / float64(n)
}

// Exports a download can be of.
const (
	ExportProblems     = "problems"
	ExportNotification = "notification"
)

// RecordExport audits the download of a problem list or a notification
// list: they name cases, and so persons, and leave the system as a file.
func (s *Service) RecordExport(ctx context.Context, r Request, what string, rows int) error {
	if what != ExportProblems && what != ExportNotification {
		return apperr.Invalid("what", "err.unknown_value")
	}
	return s.store.AppendAudit(ctx, r.record("dq.export", objProblem, 0, fmt.Sprintf("what=%s rows=%d", what, rows)))
}
