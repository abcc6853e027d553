package monitor

import (
	"testing"

	"github.com/anguan/anguan/internal/apperr"
)

func TestStepMachine(t *testing.T) {
	open := State{Step: StepDetected, Status: StatusOpen}
	prompted := State{Step: StepPrompted, Status: StatusOpen}
	notified := State{Step: StepNotified, Status: StatusAwaitingReply}
	replied := State{Step: StepNotified, Status: StatusReplied}
	closed := State{Step: StepNotified, Status: StatusRectified, ClosedOn: "2026-03-20"}
	reported := State{Step: StepReported, Status: StatusAwaitingReply, Reported: true}
	escalated := State{Step: StepEscalated, Status: StatusAwaitingReply, Escalated: true}
	transferred := State{Step: StepTransferred, Status: StatusOpen, Transferred: true}

	none := NoticeState{}
	issued := NoticeState{Issued: true, ReplyDue: "2026-03-26"}
	answered := NoticeState{Issued: true, ReplyDue: "2026-03-26", Replied: true}
	const today = "2026-03-20"

	tests := []struct {
		name  string
		s     State
		n     NoticeState
		k     ActionKind
		today string
		want  State
		field string // refused on this field when set
		key   string
	}{
		// The graded path of a fairly serious problem.
		{"prompt", open, none, ActPrompt, today, prompted, "", ""},
		{"prompt again", prompted, none, ActPrompt, today, prompted, "", ""},
		{"notice after prompt", prompted, none, ActNotice, today, notified, "", ""},
		{"reply", notified, issued, ActReply, today, replied, "", ""},
		{"close rectified", replied, answered, ActCloseRectified, today,
			State{Step: StepNotified, Status: StatusRectified, ClosedOn: today}, "", ""},
		// The unanswered path: escalate, report, transfer, close.
		{"escalate after due", notified, issued, ActEscalate, "2026-03-27", escalated, "", ""},
		{"report after escalation", escalated, issued, ActReportChief, today,
			State{Step: StepReported, Status: StatusAwaitingReply, Escalated: true, Reported: true}, "", ""},
		{"transfer after report", reported, issued, ActTransfer, today,
			State{Step: StepTransferred, Status: StatusAwaitingReply, Reported: true, Transferred: true}, "", ""},
		{"close not rectified without reply", reported, issued, ActCloseNotRectified, today,
			State{Step: StepReported, Status: StatusNotRectified, Reported: true, ClosedOn: today}, "", ""},
		// Misconduct needs no notice; the step never falls back.
		{"transfer at once", open, none, ActTransfer, today, transferred, "", ""},
		{"prompt after transfer keeps the step", transferred, none, ActPrompt, today, transferred, "", ""},
		{"reply keeps the step", reported, issued, ActReply, today,
			State{Step: StepReported, Status: StatusReplied, Reported: true}, "", ""},
		{"close minor without notice", prompted, none, ActCloseRectified, today,
			State{Step: StepPrompted, Status: StatusRectified, ClosedOn: today}, "", ""},
		// Refusals.
		{"reply without notice", open, none, ActReply, today, open, "notice", "err.monitor_no_notice"},
		{"reply twice", replied, answered, ActReply, today, replied, "reply", "err.monitor_already_replied"},
		{"reply after close", closed, answered, ActReply, today, closed, "status", "err.monitor_closed"},
		{"close twice", closed, answered, ActCloseNotRectified, today, closed, "status", "err.monitor_closed"},
		{"notice twice", notified, issued, ActNotice, today, notified, "notice", "err.monitor_notice_exists"},
		{"prompt after notice", notified, issued, ActPrompt, today, notified, "step", "err.monitor_prompt_after_notice"},
		{"report without notice", open, none, ActReportChief, today, open, "notice", "err.monitor_no_notice"},
		{"report twice", reported, issued, ActReportChief, today, reported, "step", "err.monitor_already_reported"},
		{"transfer twice", transferred, none, ActTransfer, today, transferred, "step", "err.monitor_already_transferred"},
		{"escalate on the due date", notified, issued, ActEscalate, "2026-03-26", notified, "reply_due", "err.monitor_not_overdue"},
		{"escalate replied", replied, answered, ActEscalate, "2026-03-27", replied, "reply", "err.monitor_already_replied"},
		{"escalate twice", escalated, issued, ActEscalate, "2026-03-28", escalated, "step", "err.monitor_already_escalated"},
		{"escalate without notice", open, none, ActEscalate, "2026-03-28", open, "notice", "err.monitor_no_notice"},
		{"close rectified, reply pending", notified, issued, ActCloseRectified, today, notified, "reply", "err.monitor_reply_pending"},
		{"unknown action", open, none, ActDetect, today, open, "action", "err.unknown_value"},
	}
	for _, tt := range tests {
		got, err := Next(tt.s, tt.n, tt.k, tt.today)
		if tt.field != "" {
			v, ok := apperr.AsValidation(err)
			if !ok || len(v.Fields) != 1 || v.Fields[0].Field != tt.field || v.Fields[0].Key != tt.key {
				t.Errorf("%s: err = %v, want %s:%s", tt.name, err, tt.field, tt.key)
			}
			if v != nil && v.Fields[0].Label != "monitor.field."+tt.field {
				t.Errorf("%s: label %q", tt.name, v.Fields[0].Label)
			}
		} else if err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
		if got != tt.want {
			t.Errorf("%s: state %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestSeverityResponses(t *testing.T) {
	for _, s := range Severities() {
		if len(s.Responses()) == 0 {
			t.Errorf("%s has no graded response", s)
		}
	}
	if r := Serious.Responses(); len(r) != 2 || r[0] != ActNotice || r[1] != ActReportChief {
		t.Errorf("serious: %v", r)
	}
}
