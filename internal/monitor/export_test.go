package monitor

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/i18n"
)

// exportStore holds one finding and records the audit entries; the
// embedded Store is nil, so a call this test does not expect panics.
type exportStore struct {
	Store
	f      Finding
	audits []audit.Record
}

func (s *exportStore) MonitorFinding(_ context.Context, id int64) (Finding, error) {
	if id != s.f.ID {
		return Finding{}, apperr.ErrNotFound
	}
	return s.f, nil
}

func (s *exportStore) AppendAudit(_ context.Context, a audit.Record) error {
	s.audits = append(s.audits, a)
	return nil
}

func (s *exportStore) PatrolDay(_ context.Context, _ access.FindingScope, day string) (PatrolLog, error) {
	return PatrolLog{Day: day}, nil
}

func (s *exportStore) MonitorFindingsDetected(context.Context, access.FindingScope, DateRange, int) ([]Finding, error) {
	return nil, nil
}

func (s *exportStore) GroupMonitorFindings(context.Context, access.FindingScope, DateRange, GroupBy) ([]CountRow, error) {
	return nil, nil
}

func (s *exportStore) RecurringMonitorFindings(context.Context, access.FindingScope, DateRange, int) ([]Recurring, error) {
	return nil, nil
}

func (s *exportStore) MonitorReplyStats(context.Context, access.FindingScope, DateRange) (ReplyStats, error) {
	return ReplyStats{}, nil
}

// Downloads go through the access check and leave an audit entry that
// says they were downloads; page views of the same report say they were not.
func TestExports(t *testing.T) {
	c := i18n.MustLoad(i18n.DefaultLang)
	st := &exportStore{f: Finding{ID: 7, UnitID: 3, Area: AreaFilesOut, Description: "卷宗未按期移送",
		Case: CaseFacts{ID: 40, UnitID: 3, UnitPath: "/1/3/", UnitName: "甲县人民检察院", Name: "测某盗窃案", HandlerID: 10}}}
	s := NewService(st, func() time.Time { return time.Date(2026, 3, 20, 2, 0, 0, 0, time.UTC) }, nil)
	req := func(id int64, r access.Role) Request {
		return Request{P: access.Principal{UserID: id, UnitID: 3, UnitPath: "/1/3/", Roles: []access.Role{r}}}
	}
	cm := req(1, access.CaseManager)
	ctx := context.Background()

	// No notice yet: nothing to download, nothing audited.
	if _, err := s.ExportNotice(ctx, cm, 7, c.T); !errors.Is(err, apperr.ErrNotFound) || len(st.audits) != 0 {
		t.Fatalf("no notice: %v, %d audits", err, len(st.audits))
	}
	st.f.Notice = &Notice{Number: "甲检检案管监〔2026〕1号", DepartmentName: "刑事检察部", IssuedOn: "2026-03-16",
		ReplyDue: "2026-03-26", ReplyBasis: "R665"}
	// Out of scope: the colleague who does not handle the case.
	if _, err := s.ExportNotice(ctx, req(11, access.Prosecutor), 7, c.T); !errors.Is(err, apperr.ErrNotFound) {
		t.Fatalf("colleague: %v", err)
	}
	doc, err := s.ExportNotice(ctx, req(10, access.Prosecutor), 7, c.T)
	if err != nil || doc.Number != st.f.Notice.Number || doc.CaseName != "测某盗窃案" || doc.Problem != "卷宗未按期移送" {
		t.Fatalf("handler's download: %+v, %v", doc, err)
	}
	if len(st.audits) != 1 || st.audits[0].Action != "monitor.notice_export" || st.audits[0].ObjectID != "7" ||
		!strings.Contains(st.audits[0].Detail, "notice=甲检检案管监〔2026〕1号") {
		t.Fatalf("audit of the download: %+v", st.audits)
	}

	st.audits = nil
	for _, call := range []func() error{
		func() error { _, err := s.PatrolLog(ctx, cm, "2026-03-20"); return err },
		func() error { _, err := s.ExportPatrolLog(ctx, cm, "2026-03-20"); return err },
		func() error { _, err := s.MonthlyLedger(ctx, cm, 2026, 3); return err },
		func() error { _, err := s.ExportMonthlyLedger(ctx, cm, 2026, 3); return err },
		func() error { _, err := s.QuarterlyAnalysis(ctx, cm, 2026, 1); return err },
		func() error { _, err := s.ExportQuarterlyAnalysis(ctx, cm, 2026, 1); return err },
	} {
		if err := call(); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"kind=patrol_log day=2026-03-20", "kind=patrol_log day=2026-03-20 format=xlsx",
		"kind=ledger year=2026 month=3", "kind=ledger year=2026 month=3 format=xlsx",
		"kind=quarterly year=2026 quarter=1", "kind=quarterly year=2026 quarter=1 format=xlsx"}
	if len(st.audits) != len(want) {
		t.Fatalf("%d report audits, want %d", len(st.audits), len(want))
	}
	for i, a := range st.audits {
		if a.Action != "monitor.report" || a.Detail != want[i] {
			t.Errorf("audit %d: %s %q, want %q", i, a.Action, a.Detail, want[i])
		}
	}
	// A prosecutor reads no reports, exported or not.
	if _, err := s.ExportMonthlyLedger(ctx, req(10, access.Prosecutor), 2026, 3); !errors.Is(err, apperr.ErrForbidden) {
		t.Errorf("prosecutor's ledger export: %v", err)
	}
}
