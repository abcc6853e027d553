package monitor

import (
	"fmt"
	"slices"

	"github.com/anguan/anguan/internal/deadline"
)

// NoticeScope is the sequence scope of monitoring notice numbers in the
// gapless number table: one sequence per unit and year.
const NoticeScope = "monitor_notice"

// NoticeNumber formats the document number of a monitoring notice:
// {unit short name}检案管监〔{year}〕{n}号, e.g. 喀市检案管监〔2026〕3号.
func NoticeNumber(shortName string, year int, seq int64) string {
	return fmt.Sprintf("%s检案管监〔%d〕%d号", shortName, year, seq)
}

// ReplyDue computes the reply due date of a notice issued on issuedOn in a
// case of category with the deadline engine (rule monitoring_notice_reply:
// 10 days, 5 in civil supervision, R665), so holidays and the working-day
// calendar apply as to every other period. It returns the due date and its
// legal basis.
func ReplyDue(e *deadline.Engine, category, issuedOn string) (due, basis string, err error) {
	d, err := deadline.ParseDate(issuedOn)
	if err != nil {
		return "", "", err
	}
	dc := deadline.Case{Category: category, Events: []deadline.Event{{Code: deadline.EventNoticeIssued, Date: d}}}
	if !slices.Contains(deadline.Categories(), category) {
		// A category added as data is unknown to the engine: compute the
		// period on its own (the default variant).
		dc = deadline.Case{Category: deadline.KindMonitoringNoticeReply,
			Events: []deadline.Event{{Code: deadline.EventReceived, Date: d}}}
	}
	for _, c := range e.Derive(dc, deadline.Date{}).Clocks {
		if c.Kind == deadline.KindMonitoringNoticeReply {
			return c.Due.String(), c.LegalBasis, nil
		}
	}
	return "", "", fmt.Errorf("monitor: the deadline rules have no %s period", deadline.KindMonitoringNoticeReply)
}
