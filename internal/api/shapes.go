package api

import (
	"time"

	"github.com/anguan/anguan/internal/casefile"
)

// JSON shapes. Field names match the validation field paths, so an error on
// "parties[0].id_number" points at the field the caller sent.

type partyJSON struct {
	ID        int64  `json:"id,omitempty"`
	Name      string `json:"name"`
	Gender    string `json:"gender"`
	Ethnicity string `json:"ethnicity"`
	IDType    string `json:"id_type"`
	IDNumber  string `json:"id_number"`
	BirthDate string `json:"birth_date"`
	Role      string `json:"role"`
	Custody   bool   `json:"custody"`
	Measure   string `json:"measure"`
}

type checkJSON struct {
	Item   string `json:"item"`
	Passed bool   `json:"passed"`
	Note   string `json:"note"`
}

type intakeJSON struct {
	Category          string      `json:"category"`
	Name              string      `json:"name"`
	TransferringOrgan string      `json:"transferring_organ"`
	TransferDocNo     string      `json:"transfer_doc_no"`
	ReceivedOn        string      `json:"received_on"`
	Parties           []partyJSON `json:"parties"`
	Charges           []string    `json:"charges"`
	Plea              bool        `json:"plea"`
	FastTrack         bool        `json:"fast_track"`
	Minor             bool        `json:"minor"`
	Sealed            bool        `json:"sealed"`
	Checks            []checkJSON `json:"checks"`
	Outcome           string      `json:"outcome"`
	OutcomeNote       string      `json:"outcome_note"`
}

func (in intakeJSON) intake() casefile.Intake {
	out := casefile.Intake{Category: in.Category, Name: in.Name, TransferringOrgan: in.TransferringOrgan,
		TransferDocNo: in.TransferDocNo, ReceivedOn: in.ReceivedOn, Charges: in.Charges, Plea: in.Plea,
		FastTrack: in.FastTrack, Minor: in.Minor, Sealed: in.Sealed, Outcome: in.Outcome, OutcomeNote: in.OutcomeNote}
	for _, p := range in.Parties {
		out.Parties = append(out.Parties, casefile.Party{Name: p.Name, Gender: p.Gender, Ethnicity: p.Ethnicity,
			IDType: p.IDType, IDNumber: p.IDNumber, BirthDate: p.BirthDate, Role: p.Role, Custody: p.Custody, Measure: p.Measure})
	}
	for _, c := range in.Checks {
		out.Checks = append(out.Checks, casefile.Check{Item: c.Item, Passed: c.Passed, Note: c.Note})
	}
	return out
}

type caseJSON struct {
	ID                int64     `json:"id"`
	UnitID            int64     `json:"unit_id"`
	UnitName          string    `json:"unit_name"`
	Category          string    `json:"category"`
	CategoryName      string    `json:"category_name"`
	UniformNo         string    `json:"uniform_no"`
	StageNo           string    `json:"stage_no"`
	Name              string    `json:"name"`
	TransferringOrgan string    `json:"transferring_organ"`
	TransferDocNo     string    `json:"transfer_doc_no"`
	ReceivedOn        string    `json:"received_on"`
	IntakeOutcome     string    `json:"intake_outcome"`
	Status            string    `json:"status"`
	Plea              bool      `json:"plea"`
	FastTrack         bool      `json:"fast_track"`
	Minor             bool      `json:"minor"`
	Sealed            bool      `json:"sealed"`
	Charges           []string  `json:"charges"`
	HandlerID         int64     `json:"handler_id,omitempty"`
	HandlerName       string    `json:"handler_name,omitempty"`
	Decision          string    `json:"decision,omitempty"`
	ClosedOn          string    `json:"closed_on,omitempty"`
	Returns           int       `json:"returns"`
	Extensions        int       `json:"extensions"`
	CreatedAt         time.Time `json:"created_at"`
}

func toCaseJSON(c casefile.Case) caseJSON {
	charges := c.Charges
	if charges == nil {
		charges = []string{}
	}
	return caseJSON{ID: c.ID, UnitID: c.UnitID, UnitName: c.UnitName, Category: c.Category, CategoryName: c.CategoryName,
		UniformNo: c.UniformNo, StageNo: c.StageNo, Name: c.Name, TransferringOrgan: c.TransferringOrgan,
		TransferDocNo: c.TransferDocNo, ReceivedOn: c.ReceivedOn, IntakeOutcome: c.IntakeOutcome, Status: c.Status,
		Plea: c.Plea, FastTrack: c.FastTrack, Minor: c.Minor, Sealed: c.Sealed, Charges: charges, HandlerID: c.HandlerID,
		HandlerName: c.HandlerName, Decision: c.Decision, ClosedOn: c.ClosedOn, Returns: c.Returns,
		Extensions: c.Extensions, CreatedAt: c.CreatedAt.UTC()}
}

type eventJSON struct {
	ID         int64     `json:"id"`
	Code       string    `json:"code"`
	OccurredOn string    `json:"occurred_on"`
	Outcome    string    `json:"outcome,omitempty"`
	Note       string    `json:"note,omitempty"`
	ActorID    int64     `json:"actor_id"`
	ActorName  string    `json:"actor_name,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

func toEventJSON(e casefile.Event) eventJSON {
	return eventJSON{ID: e.ID, Code: e.Code, OccurredOn: e.OccurredOn, Outcome: e.Outcome, Note: e.Note,
		ActorID: e.ActorID, ActorName: e.ActorName, CreatedAt: e.CreatedAt.UTC()}
}

type assignmentJSON struct {
	ID           int64     `json:"id"`
	HandlerID    int64     `json:"handler_id"`
	HandlerName  string    `json:"handler_name"`
	Kind         string    `json:"kind"`
	Round        int       `json:"round,omitempty"`
	Explanation  string    `json:"explanation"`
	Reason       string    `json:"reason,omitempty"`
	DesignatedBy string    `json:"designated_by,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
}

func toAssignmentJSON(a casefile.Assignment) assignmentJSON {
	return assignmentJSON{ID: a.ID, HandlerID: a.HandlerID, HandlerName: a.HandlerName, Kind: a.Kind, Round: a.Round,
		Explanation: a.Explanation, Reason: a.Reason, DesignatedBy: a.DesignatedBy, CreatedAt: a.CreatedAt.UTC()}
}

type detailJSON struct {
	caseJSON
	Parties     []partyJSON      `json:"parties"`
	Checks      []checkJSON      `json:"checks"`
	Events      []eventJSON      `json:"events"`
	Assignments []assignmentJSON `json:"assignments"`
	Deadlines   []deadlineJSON   `json:"deadlines"`
}

// deadlineJSON is one statutory clock of a case, derived from its events,
// with its Chinese name and the explanation step by step.
type deadlineJSON struct {
	Kind        string   `json:"kind"`
	Name        string   `json:"name"`
	Basis       string   `json:"basis"`
	Start       string   `json:"start"`
	Due         string   `json:"due"`
	State       string   `json:"state"`
	Colour      string   `json:"colour"`
	DaysLeft    int      `json:"days_left"`
	InCustody   bool     `json:"in_custody"`
	Explanation []string `json:"explanation"`
}

func toDeadlineJSON(d casefile.Deadline, t func(key string, args ...any) string) deadlineJSON {
	c := d.Clock
	return deadlineJSON{Kind: c.Kind, Name: c.Name(t), Basis: c.LegalBasis, Start: c.Start.String(), Due: c.Due.String(),
		State: string(c.State), Colour: string(d.Colour), DaysLeft: d.DaysLeft, InCustody: c.InCustody,
		Explanation: c.Lines(t)}
}

func toDetailJSON(d casefile.Detail, deadlines []casefile.Deadline, t func(key string, args ...any) string) detailJSON {
	out := detailJSON{caseJSON: toCaseJSON(d.Case), Parties: []partyJSON{}, Checks: []checkJSON{}, Events: []eventJSON{},
		Assignments: []assignmentJSON{}, Deadlines: []deadlineJSON{}}
	for _, dl := range deadlines {
		out.Deadlines = append(out.Deadlines, toDeadlineJSON(dl, t))
	}
	for _, p := range d.Parties {
		out.Parties = append(out.Parties, partyJSON{ID: p.ID, Name: p.Name, Gender: p.Gender, Ethnicity: p.Ethnicity,
			IDType: p.IDType, IDNumber: p.IDNumber, BirthDate: p.BirthDate, Role: p.Role, Custody: p.Custody, Measure: p.Measure})
	}
	for _, c := range d.Checks {
		out.Checks = append(out.Checks, checkJSON{Item: c.Item, Passed: c.Passed, Note: c.Note})
	}
	for _, e := range d.Events {
		out.Events = append(out.Events, toEventJSON(e))
	}
	for _, a := range d.Assignments {
		out.Assignments = append(out.Assignments, toAssignmentJSON(a))
	}
	return out
}
