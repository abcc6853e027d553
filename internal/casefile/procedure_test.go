package casefile

import "testing"

func TestTransition(t *testing.T) {
	pr := func(status string, returns, ext int) Case {
		return Case{Category: "prosecution_review", Status: status, Returns: returns, Extensions: ext}
	}
	tests := []struct {
		name    string
		c       Case
		ev      Event
		next    string
		refusal string
	}{
		{"first return", pr(StatusInProgress, 0, 0), Event{Code: EventReturned}, StatusReturned, ""},
		{"second return", pr(StatusInProgress, 1, 0), Event{Code: EventReturned}, StatusReturned, ""},
		{"third return (CPL 175)", pr(StatusInProgress, 2, 0), Event{Code: EventReturned}, "", "err.return_limit"},
		{"return while one is outstanding", pr(StatusReturned, 1, 0), Event{Code: EventReturned}, "", "err.return_outstanding"},
		{"resubmit after return", pr(StatusReturned, 1, 0), Event{Code: EventResubmitted}, StatusInProgress, ""},
		{"resubmit without return", pr(StatusInProgress, 0, 0), Event{Code: EventResubmitted}, "", "err.resubmit_without_return"},
		{"first extension", pr(StatusInProgress, 0, 0), Event{Code: EventExtended}, StatusInProgress, ""},
		{"second extension", pr(StatusInProgress, 0, 1), Event{Code: EventExtended}, "", "err.extension_limit"},
		{"assessment", pr(StatusInProgress, 0, 0), Event{Code: EventAssessmentStarted}, StatusSuspended, ""},
		{"assessment end without start", pr(StatusInProgress, 0, 0), Event{Code: EventAssessmentEnded}, "", "err.assessment_not_started"},
		{"decide", pr(StatusInProgress, 0, 0), Event{Code: EventDecided, Outcome: "prosecute"}, StatusDecided, ""},
		{"decide with another category's outcome", pr(StatusInProgress, 0, 0), Event{Code: EventDecided, Outcome: "approve_arrest"}, "", "err.outcome_invalid"},
		{"decide while returned", pr(StatusReturned, 1, 0), Event{Code: EventDecided, Outcome: "prosecute"}, "", "err.decide_not_in_progress"},
		{"close before decision", pr(StatusInProgress, 0, 0), Event{Code: EventClosed}, "", "err.close_not_decided"},
		{"close", pr(StatusDecided, 0, 0), Event{Code: EventClosed}, StatusClosed, ""},
		{"rights notice while returned keeps the status", pr(StatusReturned, 1, 0), Event{Code: EventRightsNotified}, StatusReturned, ""},
		{"anything after closing", pr(StatusClosed, 0, 0), Event{Code: EventExtended}, "", "err.case_closed"},
		{"event before assignment", pr(StatusPendingAssignment, 0, 0), Event{Code: EventExtended}, "", "err.case_not_assigned"},
		{"recorded intake events are not handler events", pr(StatusInProgress, 0, 0), Event{Code: EventReceived}, "", "err.event_not_in_procedure"},
		{"arrest review has no returns", Case{Category: "arrest_review", Status: StatusInProgress}, Event{Code: EventReturned}, "", "err.event_not_in_procedure"},
		{"arrest decision", Case{Category: "arrest_review", Status: StatusInProgress}, Event{Code: EventDecided, Outcome: "approve_arrest"}, StatusDecided, ""},
		{"civil supervision exclusion", Case{Category: "civil_supervision", Status: StatusInProgress}, Event{Code: EventAssessmentStarted}, StatusSuspended, ""},
		{"unknown category gets the common procedure", Case{Category: "new_kind", Status: StatusInProgress}, Event{Code: EventDecided, Outcome: "terminate"}, StatusDecided, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next, refusal := Transition(tt.c, tt.ev)
			if next != tt.next || refusal != tt.refusal {
				t.Errorf("Transition = (%q, %q), want (%q, %q)", next, refusal, tt.next, tt.refusal)
			}
		})
	}
}

// TestCustodyExtensionRequest: the police's request to extend custody is
// recorded after an arrest was approved, also once the review is closed
// (custody runs on, CPL 156), and never on other decisions.
func TestCustodyExtensionRequest(t *testing.T) {
	ev := Event{Code: EventCustodyExtensionRequested}
	for _, c := range []struct {
		status, decision, refusal string
	}{
		{StatusDecided, OutcomeApproveArrest, ""},
		{StatusClosed, OutcomeApproveArrest, ""},
		{StatusClosed, "reject_arrest", "err.custody_request_not_arrested"},
		{StatusInProgress, "", "err.custody_request_not_arrested"},
	} {
		next, refusal := Transition(Case{Category: "arrest_review", Status: c.status, Decision: c.decision}, ev)
		if refusal != c.refusal || (refusal == "" && next != c.status) {
			t.Errorf("%s/%s: next %q refusal %q, want refusal %q", c.status, c.decision, next, refusal, c.refusal)
		}
	}
	if _, refusal := Transition(Case{Category: "prosecution_review", Status: StatusDecided}, ev); refusal != "err.event_not_in_procedure" {
		t.Errorf("prosecution review: refusal %q", refusal)
	}
}
