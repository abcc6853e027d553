package monitor

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/deadline"
)

// ReportStore reads the patrol log and the aggregates of the ledger and
// the analysis within an access scope, and stores patrol notes.
type ReportStore interface {
	AddPatrolNote(ctx context.Context, n PatrolNote, a audit.Record) (int64, error)
	// PatrolDay loads the day's scans, the findings made that day, the
	// actions taken that day and the patrol notes.
	PatrolDay(ctx context.Context, s access.FindingScope, day string) (PatrolLog, error)
	// MonitorFindingsDetected lists findings detected in r, oldest first,
	// at most limit.
	MonitorFindingsDetected(ctx context.Context, s access.FindingScope, r DateRange, limit int) ([]Finding, error)
	// GroupMonitorFindings counts findings detected in r by one attribute.
	GroupMonitorFindings(ctx context.Context, s access.FindingScope, r DateRange, by GroupBy) ([]CountRow, error)
	// RecurringMonitorFindings lists (rule, department) and (rule,
	// handler) pairs with at least min findings detected in r.
	RecurringMonitorFindings(ctx context.Context, s access.FindingScope, r DateRange, min int) ([]Recurring, error)
	// MonitorReplyStats counts the notices issued in r and their replies.
	MonitorReplyStats(ctx context.Context, s access.FindingScope, r DateRange) (ReplyStats, error)
}

// DateRange is a range of legal dates, both ends included.
type DateRange struct {
	From, To string // YYYY-MM-DD
}

// GroupBy is an attribute findings are counted by.
type GroupBy string

// Attributes of GroupMonitorFindings.
const (
	ByArea       GroupBy = "area"
	BySeverity   GroupBy = "severity"
	ByStep       GroupBy = "step"
	ByStatus     GroupBy = "status"
	ByDepartment GroupBy = "department" // responsible when found
	ByHandler    GroupBy = "handler"    // responsible when found
)

// CountRow is one row of a count table. A vocabulary row (area, severity,
// step, status) has Code and NameKey; a department or person row has Code
// (the id), Name and no NameKey.
type CountRow struct {
	Code    string
	NameKey string
	Name    string
	Count   int
}

// Recurring is a recurring problem (反复出现的问题): the same rule hit the
// same department or handler at least twice in the window.
type Recurring struct {
	RuleID   string
	TitleKey string
	By       GroupBy // ByDepartment or ByHandler
	ID       int64
	Name     string
	Count    int
	First    string // first detected, YYYY-MM-DD
	Last     string
}

// ReplyStats counts notices and their replies.
type ReplyStats struct {
	Notices   int
	Replied   int
	ReplyDays int // sum over the replied notices
}

// PatrolNote is a case manager's note in the day's patrol log.
type PatrolNote struct {
	ID         int64
	UnitID     int64
	Day        string
	Note       string
	AuthorID   int64
	AuthorName string
	At         time.Time
}

// LoggedAction is an action with the finding it was taken on, for the
// patrol log.
type LoggedAction struct {
	Action
	CaseID   int64
	CaseName string
	Area     Area
	RuleID   string
}

// PatrolLog is the daily patrol record (日巡查记录).
type PatrolLog struct {
	Day      string
	Scans    []ScanRun
	Findings []Finding
	Actions  []LoggedAction
	Notes    []PatrolNote
}

// Ledger is the monthly ledger of findings (月台账).
type Ledger struct {
	Year, Month  int
	Range        DateRange
	Findings     []Finding // the month's findings, oldest first
	Truncated    bool      // more than ledgerRows findings: the rows stop there, the counts do not
	ByArea       []CountRow
	ByDepartment []CountRow
	ByPerson     []CountRow
	// Recurring problems over the three months ending with this one.
	RecurringRange DateRange
	Recurring      []Recurring
}

// QuarterStats are the counts of one quarter.
type QuarterStats struct {
	Year, Quarter int
	Range         DateRange
	Total         int
	ByArea        []CountRow
	BySeverity    []CountRow
	ByStep        []CountRow
	ByStatus      []CountRow
	Closed        int
	Rectified     int
	// RectificationRate is rectified ÷ closed (0 when none closed).
	RectificationRate float64
	Notices           int
	Replied           int
	// AvgReplyDays is the mean of days from notice to reply over the
	// replied notices issued in the quarter.
	AvgReplyDays float64
}

// QuarterlyAnalysis is the quarterly analysis (季度分析) with the previous
// quarter for comparison.
type QuarterlyAnalysis struct {
	Current  QuarterStats
	Previous QuarterStats
}

const (
	ledgerRows     = 5000
	recurringMin   = 2
	recurringMonth = 3
	maxPatrolNote  = 1000
)

// reportScope checks the report permission and gives the scope.
func reportScope(p access.Principal) (access.FindingScope, error) {
	if !access.CanReadMonitorReports(p) {
		return access.FindingScope{}, apperr.ErrForbidden
	}
	sc := access.MonitorScope(p)
	if sc.None() {
		return sc, apperr.ErrForbidden
	}
	return sc, nil
}

// AddPatrolNote adds a case manager's note to today's patrol log of their
// unit (what was checked by hand, what was seen).
func (s *Service) AddPatrolNote(ctx context.Context, r Request, note string) (int64, error) {
	if !access.CanMonitor(r.P, r.P.UnitID) {
		return 0, apperr.ErrForbidden
	}
	note = strings.TrimSpace(note)
	v := &apperr.Validation{}
	checkText(v, "note", note, maxPatrolNote, true)
	if err := v.Err(); err != nil {
		return 0, err
	}
	day := s.Today()
	rec := r.record("monitor.patrol_note", 0, "day="+day)
	rec.ObjectType = "monitor_patrol_note"
	return s.store.AddPatrolNote(ctx, PatrolNote{UnitID: r.P.UnitID, Day: day, Note: note, AuthorID: r.P.UserID}, rec)
}

// PatrolLog returns the patrol log of day: the scans run, the findings
// made, the actions taken and the notes written.
func (s *Service) PatrolLog(ctx context.Context, r Request, day string) (PatrolLog, error) {
	return s.patrolLog(ctx, r, day, viewed)
}

func (s *Service) patrolLog(ctx context.Context, r Request, day string, u use) (PatrolLog, error) {
	sc, err := reportScope(r.P)
	if err != nil {
		return PatrolLog{}, err
	}
	if _, err := deadline.ParseDate(day); err != nil {
		return PatrolLog{}, invalid("day", "err.date_invalid")
	}
	out, err := s.store.PatrolDay(ctx, sc, day)
	if err != nil {
		return PatrolLog{}, err
	}
	return out, s.auditReport(ctx, r, "kind=patrol_log day="+day+string(u))
}

func (s *Service) auditReport(ctx context.Context, r Request, detail string) error {
	rec := r.record("monitor.report", 0, detail)
	rec.ObjectType = "monitor_report"
	return s.store.AppendAudit(ctx, rec)
}

// monthRange is the first and last day of a month.
func monthRange(year, month int) DateRange {
	first := deadline.NewDate(year, time.Month(month), 1)
	return DateRange{From: first.String(), To: deadline.NewDate(year, time.Month(month)+1, 0).String()}
}

// MonthlyLedger returns the ledger of a month: its findings, counted by
// area, by responsible department and by responsible person, and the
// recurring problems of the three months ending with it.
func (s *Service) MonthlyLedger(ctx context.Context, r Request, year, month int) (Ledger, error) {
	return s.monthlyLedger(ctx, r, year, month, viewed)
}

func (s *Service) monthlyLedger(ctx context.Context, r Request, year, month int, u use) (Ledger, error) {
	sc, err := reportScope(r.P)
	if err != nil {
		return Ledger{}, err
	}
	v := &apperr.Validation{}
	checkYear(v, year)
	if month < 1 || month > 12 {
		v.AddLabeled("month", "monitor.field.month", "err.unknown_value")
	}
	if err := v.Err(); err != nil {
		return Ledger{}, err
	}
	l := Ledger{Year: year, Month: month, Range: monthRange(year, month)}
	l.RecurringRange = DateRange{From: monthRange(year, month-recurringMonth+1).From, To: l.Range.To}
	if l.Findings, err = s.store.MonitorFindingsDetected(ctx, sc, l.Range, ledgerRows+1); err != nil {
		return Ledger{}, err
	}
	if len(l.Findings) > ledgerRows {
		l.Findings, l.Truncated = l.Findings[:ledgerRows], true
	}
	if l.ByArea, err = s.group(ctx, sc, l.Range, ByArea); err != nil {
		return Ledger{}, err
	}
	if l.ByDepartment, err = s.group(ctx, sc, l.Range, ByDepartment); err != nil {
		return Ledger{}, err
	}
	if l.ByPerson, err = s.group(ctx, sc, l.Range, ByHandler); err != nil {
		return Ledger{}, err
	}
	if l.Recurring, err = s.store.RecurringMonitorFindings(ctx, sc, l.RecurringRange, recurringMin); err != nil {
		return Ledger{}, err
	}
	for i := range l.Recurring {
		if rule, ok := RuleByID(s.rules, l.Recurring[i].RuleID); ok {
			l.Recurring[i].TitleKey = rule.TitleKey
		}
	}
	return l, s.auditReport(ctx, r, fmt.Sprintf("kind=ledger year=%d month=%d%s", year, month, u))
}

func checkYear(v *apperr.Validation, year int) {
	if year < 2000 || year > 9999 {
		v.AddLabeled("year", "monitor.field.year", "err.unknown_value")
	}
}

// QuarterlyAnalysis returns the counts of a quarter by area, severity,
// step and status, its rectification rate and average reply time, with
// the previous quarter for comparison.
func (s *Service) QuarterlyAnalysis(ctx context.Context, r Request, year, quarter int) (QuarterlyAnalysis, error) {
	return s.quarterlyAnalysis(ctx, r, year, quarter, viewed)
}

func (s *Service) quarterlyAnalysis(ctx context.Context, r Request, year, quarter int, u use) (QuarterlyAnalysis, error) {
	sc, err := reportScope(r.P)
	if err != nil {
		return QuarterlyAnalysis{}, err
	}
	v := &apperr.Validation{}
	checkYear(v, year)
	if quarter < 1 || quarter > 4 {
		v.AddLabeled("quarter", "monitor.field.quarter", "err.unknown_value")
	}
	if err := v.Err(); err != nil {
		return QuarterlyAnalysis{}, err
	}
	var out QuarterlyAnalysis
	if out.Current, err = s.quarter(ctx, sc, year, quarter); err != nil {
		return out, err
	}
	py, pq := year, quarter-1
	if pq == 0 {
		py, pq = year-1, 4
	}
	if out.Previous, err = s.quarter(ctx, sc, py, pq); err != nil {
		return out, err
	}
	return out, s.auditReport(ctx, r, fmt.Sprintf("kind=quarterly year=%d quarter=%d%s", year, quarter, u))
}

func (s *Service) quarter(ctx context.Context, sc access.FindingScope, year, quarter int) (QuarterStats, error) {
	q := QuarterStats{Year: year, Quarter: quarter,
		Range: DateRange{From: monthRange(year, 3*quarter-2).From, To: monthRange(year, 3*quarter).To}}
	var err error
	for _, g := range []struct {
		by   GroupBy
		into *[]CountRow
	}{{ByArea, &q.ByArea}, {BySeverity, &q.BySeverity}, {ByStep, &q.ByStep}, {ByStatus, &q.ByStatus}} {
		if *g.into, err = s.group(ctx, sc, q.Range, g.by); err != nil {
			return q, err
		}
	}
	for _, row := range q.ByStatus {
		q.Total += row.Count
		switch Status(row.Code) {
		case StatusRectified:
			q.Rectified += row.Count
			q.Closed += row.Count
		case StatusNotRectified:
			q.Closed += row.Count
		}
	}
	if q.Closed > 0 {
		q.RectificationRate = float64(q.Rectified) / float64(q.Closed)
	}
	rs, err := s.store.MonitorReplyStats(ctx, sc, q.Range)
	if err != nil {
		return q, err
	}
	q.Notices, q.Replied = rs.Notices, rs.Replied
	if rs.Replied > 0 {
		q.AvgReplyDays = float64(rs.ReplyDays) / float64(rs.Replied)
	}
	return q, nil
}

// group counts by one attribute. Vocabulary rows come in vocabulary order
// with zeros, so every table has the same rows every month; department
// and person rows come as the store orders them (most first).
func (s *Service) group(ctx context.Context, sc access.FindingScope, r DateRange, by GroupBy) ([]CountRow, error) {
	rows, err := s.store.GroupMonitorFindings(ctx, sc, r, by)
	if err != nil {
		return nil, err
	}
	var codes []string
	var key func(string) string
	switch by {
	case ByArea:
		for _, a := range Areas() {
			codes = append(codes, string(a))
		}
		key = func(c string) string { return Area(c).Key() }
	case BySeverity:
		for _, v := range Severities() {
			codes = append(codes, string(v))
		}
		key = func(c string) string { return Severity(c).Key() }
	case ByStep:
		for _, v := range Steps() {
			codes = append(codes, string(v))
		}
		key = func(c string) string { return Step(c).Key() }
	case ByStatus:
		for _, v := range Statuses() {
			codes = append(codes, string(v))
		}
		key = func(c string) string { return Status(c).Key() }
	default:
		return rows, nil
	}
	counts := map[string]int{}
	for _, row := range rows {
		counts[row.Code] += row.Count
	}
	out := make([]CountRow, len(codes))
	for i, c := range codes {
		out[i] = CountRow{Code: c, NameKey: key(c), Count: counts[c]}
	}
	return out, nil
}
