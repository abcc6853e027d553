package casefile

import "slices"

// Procedure is the state machine of one category: which events a handler
// may record, how often, and which decisions end it. Kept in Go as a table
// because the limits are statutory (CPL 172, 175) and tested as such.
type Procedure struct {
	Events        []string // events the handler may record
	MaxReturns    int      // CPL 175: at most two returns for supplementary investigation
	MaxExtensions int      // CPL 172: the 15-day extension of review is granted once
	Outcomes      []string // decisions (i18n "outcome.<code>")
}

// ProcedureFor gives the state machine of a category. Unknown categories
// (added as data) get the common civil-style procedure.
func ProcedureFor(category string) Procedure {
	switch category {
	case "prosecution_review":
		return Procedure{
			Events: []string{EventRightsNotified, EventExtended, EventReturned, EventResubmitted,
				EventAssessmentStarted, EventAssessmentEnded, EventJurisdictionChanged, EventDecided, EventClosed},
			MaxReturns: 2, MaxExtensions: 1,
			Outcomes: []string{"prosecute", "np_statutory", "np_discretionary", "np_insufficient",
				"np_conditional", "transfer"},
		}
	case "arrest_review":
		// R282: a major or complex case of a person not detained may take
		// 20 days instead of 15: modelled as one extension.
		return Procedure{
			Events: []string{EventExtended, EventJurisdictionChanged, EventDecided,
				EventCustodyExtensionRequested, EventClosed},
			MaxExtensions: 1,
			Outcomes:      []string{OutcomeApproveArrest, "reject_arrest", "reject_arrest_insufficient"},
		}
	case "pil_admin", "pil_civil":
		return Procedure{
			Events:        []string{EventExtended, EventDecided, EventClosed},
			MaxExtensions: 1,
			Outcomes:      []string{"pre_suit_recommendation", "sue", "terminate"},
		}
	default: // civil_supervision, admin_supervision and anything new
		// Time for retrieving files, appraisal and audit is not counted:
		// modelled with the assessment events.
		return Procedure{
			Events: []string{EventExtended, EventAssessmentStarted, EventAssessmentEnded,
				EventDecided, EventClosed},
			MaxExtensions: 1,
			Outcomes:      []string{"protest", "retrial_recommendation", "recommendation", "not_supported", "terminate"},
		}
	}
}

// OutcomeApproveArrest is the decision to approve an arrest (批准逮捕),
// after which investigative custody runs (CPL 156).
const OutcomeApproveArrest = "approve_arrest"

// Transition checks whether ev may be recorded on c and gives the status
// after it. It returns the i18n key of the refusal, or "" when allowed.
func Transition(c Case, ev Event) (next string, refusal string) {
	p := ProcedureFor(c.Category)
	if !slices.Contains(p.Events, ev.Code) {
		return "", "err.event_not_in_procedure"
	}
	// Investigative custody runs on with the police after an arrest
	// review is closed (CPL 156), so its extension request may be
	// recorded on the closed case.
	if ev.Code == EventCustodyExtensionRequested {
		if c.Decision != OutcomeApproveArrest || (c.Status != StatusDecided && c.Status != StatusClosed) {
			return "", "err.custody_request_not_arrested"
		}
		return c.Status, ""
	}
	switch c.Status {
	case StatusClosed:
		return "", "err.case_closed"
	case StatusAwaitingSupplement, StatusRefused, StatusPendingAssignment:
		return "", "err.case_not_assigned"
	}
	switch ev.Code {
	case EventExtended:
		if c.Status != StatusInProgress {
			return "", "err.extend_not_in_progress"
		}
		if c.Extensions >= p.MaxExtensions {
			return "", "err.extension_limit"
		}
		return StatusInProgress, ""
	case EventReturned:
		if c.Status == StatusReturned {
			return "", "err.return_outstanding"
		}
		if c.Status != StatusInProgress {
			return "", "err.return_not_in_progress"
		}
		if c.Returns >= p.MaxReturns {
			return "", "err.return_limit"
		}
		return StatusReturned, ""
	case EventResubmitted:
		if c.Status != StatusReturned {
			return "", "err.resubmit_without_return"
		}
		return StatusInProgress, ""
	case EventAssessmentStarted:
		if c.Status != StatusInProgress {
			return "", "err.assessment_not_in_progress"
		}
		return StatusSuspended, ""
	case EventAssessmentEnded:
		if c.Status != StatusSuspended {
			return "", "err.assessment_not_started"
		}
		return StatusInProgress, ""
	case EventJurisdictionChanged:
		if c.Status != StatusInProgress {
			return "", "err.jurisdiction_not_in_progress"
		}
		return StatusInProgress, ""
	case EventDecided:
		if c.Status != StatusInProgress {
			return "", "err.decide_not_in_progress"
		}
		if !slices.Contains(p.Outcomes, ev.Outcome) {
			return "", "err.outcome_invalid"
		}
		return StatusDecided, ""
	case EventRightsNotified:
		// Notices do not move the procedure; one per person notified.
		return c.Status, ""
	case EventClosed:
		if c.Status != StatusDecided {
			return "", "err.close_not_decided"
		}
		return StatusClosed, ""
	}
	return "", "err.event_not_in_procedure"
}
