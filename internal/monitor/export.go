package monitor

import (
	"context"
	"fmt"

	"github.com/anguan/anguan/internal/apperr"
)

// Downloads (导出). A notice or a report that leaves the system as a file
// is out of reach of the audit log from then on, so every download is
// audited as a download, apart from the page views of the same content.

// use says how a report is read, for its audit entry.
type use string

const (
	viewed   use = ""
	exported use = " format=xlsx"
)

// ExportNotice returns the monitoring notice of finding id, rendered with
// t, for download as a document, and audits the download with the notice
// number. A finding without a notice has nothing to download (not found).
func (s *Service) ExportNotice(ctx context.Context, r Request, id int64, t func(key string, args ...any) string) (NoticeDoc, error) {
	f, err := s.load(ctx, r.P, id)
	if err != nil {
		return NoticeDoc{}, err
	}
	if f.Notice == nil {
		return NoticeDoc{}, apperr.ErrNotFound
	}
	rec := r.record("monitor.notice_export", f.ID, fmt.Sprintf("case=%d notice=%s", f.Case.ID, f.Notice.Number))
	if err := s.store.AppendAudit(ctx, rec); err != nil {
		return NoticeDoc{}, err
	}
	return NoticeDocument(t, s.rules, f, *f.Notice), nil
}

// ExportPatrolLog is PatrolLog for a download.
func (s *Service) ExportPatrolLog(ctx context.Context, r Request, day string) (PatrolLog, error) {
	return s.patrolLog(ctx, r, day, exported)
}

// ExportMonthlyLedger is MonthlyLedger for a download.
func (s *Service) ExportMonthlyLedger(ctx context.Context, r Request, year, month int) (Ledger, error) {
	return s.monthlyLedger(ctx, r, year, month, exported)
}

// ExportQuarterlyAnalysis is QuarterlyAnalysis for a download.
func (s *Service) ExportQuarterlyAnalysis(ctx context.Context, r Request, year, quarter int) (QuarterlyAnalysis, error) {
	return s.quarterlyAnalysis(ctx, r, year, quarter, exported)
}
