package api

import (
	"context"
	"net/http"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/evaluation"
	"github.com/anguan/anguan/internal/org"
)

// Case quality (案件质量) over the API: templates, self-checks, activities,
// records and statistics under /api/v1/quality. This file holds the roles
// of the route table and the conversions to the JSON shapes.

var (
	// qualityRoles may read activities' records; the service narrows to
	// their view (an aid partner sees only the records given to them).
	qualityRoles = []access.Role{access.CaseManager, access.Prosecutor, access.Assistant, access.DeptHead,
		access.Chief, access.UpperSupervisor, access.AidPartner}
	// qualityUsers add the system administrator, who keeps the templates.
	qualityUsers = []access.Role{access.CaseManager, access.Prosecutor, access.Assistant, access.DeptHead,
		access.Chief, access.UpperSupervisor, access.AidPartner, access.SysAdmin}
	// activityReaders may read activities (assistants are never members).
	activityReaders = []access.Role{access.CaseManager, access.Prosecutor, access.DeptHead, access.Chief,
		access.UpperSupervisor, access.AidPartner}
	// evaluatorRoles may score and propose (access.CanEvaluate).
	evaluatorRoles = []access.Role{access.CaseManager, access.Prosecutor, access.DeptHead, access.Chief,
		access.AidPartner}
	// leaderRoles may lead an activity or sit on its committee
	// (access.CanLeadEvaluation): they decide objections, and the leader
	// follows up, closes records and the activity with the office.
	leaderRoles = []access.Role{access.CaseManager, access.Prosecutor, access.DeptHead, access.Chief}
	// handlerRoles answer a proposed grade and file self-checks: those who
	// are designated to handle cases.
	handlerRoles = []access.Role{access.Prosecutor, access.Assistant}
	// verifierRoles verify self-checks (access.CanVerifySelfCheck).
	verifierRoles = []access.Role{access.DeptHead, access.Chief}
	// templateManagers import templates.
	templateManagers = []access.Role{access.CaseManager, access.SysAdmin}
	// statsReaders read the statistics.
	statsReaders = []access.Role{access.CaseManager, access.DeptHead, access.Chief, access.UpperSupervisor}
)

func evalRequest(r *http.Request, u org.User) evaluation.Request {
	return evaluation.Request(request(r, u))
}

func optionalDate(s string) *string { return optionalText(s) }

func toTemplateJSON(i evaluation.TemplateInfo) evalTemplateJSON {
	cats := i.Categories
	if cats == nil {
		cats = []string{}
	}
	return evalTemplateJSON{ID: i.ID, Code: i.Code, Version: i.Version, Name: i.Name, Categories: cats,
		ScaleCode: i.ScaleCode, Items: i.Items, Note: i.Note, CreatedBy: optionalID(i.CreatedBy),
		CreatedAt: i.CreatedAt.UTC(), Latest: i.Latest, InUse: i.InUse}
}

func toActivityJSON(a evaluation.Activity, t func(string, ...any) string) evalActivityJSON {
	out := evalActivityJSON{ID: a.ID, UnitID: a.UnitID, UnitName: a.UnitName, Name: a.Name, Kind: string(a.Kind),
		KindName: t(a.Kind.Key()), Status: string(a.Status), StatusName: t(a.Status.Key()), Units: []evalUnitJSON{},
		Categories: a.Categories, ClosedFrom: a.ClosedFrom, ClosedTo: a.ClosedTo, ScaleCode: a.ScaleCode,
		Templates: a.Templates, LeaderID: a.LeaderID, LeaderName: a.Leader, Members: []evalMemberJSON{},
		Deadline: a.Deadline, ResponseDays: a.ResponseDays, AllowAid: a.AllowAid, Note: a.Note,
		Records: map[string]int{}, CreatedOn: a.CreatedOn, ClosedOn: optionalDate(a.ClosedOn)}
	if out.Categories == nil {
		out.Categories = []string{}
	}
	if out.Templates == nil {
		out.Templates = map[string]int64{}
	}
	for _, un := range a.Units {
		out.Units = append(out.Units, evalUnitJSON{ID: un.ID, Name: un.Name})
	}
	for _, m := range a.Members {
		out.Members = append(out.Members, evalMemberJSON{UserID: m.UserID, Name: m.Name, UnitID: m.UnitID,
			UnitName: m.UnitName, Role: string(m.Role)})
	}
	for st, n := range a.Records {
		out.Records[string(st)] = n
	}
	d := a.Draw
	out.Draw = evalDrawJSON{Digest: d.Digest, Drawn: d.Drawn, DrawnOn: optionalDate(d.DrawnOn), Rules: d.Rules,
		Matched: d.Matched, RuleOn: optionalDate(d.RuleOn)}
	if d.DrawnOn != "" {
		seed := d.Seed
		out.Draw.Seed, out.Draw.Rate, out.Draw.Population = &seed, optionalInt(d.Rate, true), optionalInt(d.Population, true)
	}
	if out.Draw.Rules == nil {
		out.Draw.Rules = []string{}
	}
	return out
}

func toRecordJSON(rec evaluation.Record, sc evaluation.Scale, t func(string, ...any) string) evalRecordJSON {
	grade := func(code string) string {
		if code == "" {
			return ""
		}
		return sc.Label(code)
	}
	out := evalRecordJSON{ID: rec.ID, ActivityID: rec.ActivityID, CaseID: rec.Case.ID, CaseName: rec.Case.Name,
		StageNo: rec.Case.StageNo, UnitID: rec.UnitID, UnitName: rec.Case.UnitName, Category: rec.Category,
		TemplateID: rec.TemplateID, ScaleCode: sc.Code, HandlerID: optionalID(rec.HandlerID),
		HandlerName: rec.HandlerName, DepartmentID: optionalID(rec.DepartmentID), DepartmentName: rec.DepartmentName,
		Selection: string(rec.Selection), SelectionReason: rec.SelectionReason, SelectedOn: rec.SelectedOn,
		EvaluatorID: optionalID(rec.EvaluatorID), EvaluatorName: rec.EvaluatorName,
		AssignedOn: optionalDate(rec.AssignedOn), AssignExplanation: rec.AssignExplanation, Status: string(rec.Status),
		StatusName: t(rec.Status.Key()), Deduction: rec.Deduction, SuggestedGrade: optionalText(rec.SuggestedGrade),
		ProposedGrade: optionalText(rec.ProposedGrade), ProposedGradeName: grade(rec.ProposedGrade),
		ProposedReasons: rec.ProposedReasons, ProposedOn: optionalDate(rec.ProposedOn),
		ResponseDue: optionalDate(rec.ResponseDue), Response: optionalText(string(rec.Response)),
		ResponseReason: rec.ResponseReason, RespondedOn: optionalDate(rec.RespondedOn),
		DecisionReason: rec.DecisionReason, DecidedOn: optionalDate(rec.DecidedOn),
		FinalGrade: optionalText(rec.FinalGrade), FinalGradeName: grade(rec.FinalGrade), FinalOn: optionalDate(rec.FinalOn),
		ClosedOn: optionalDate(rec.ClosedOn)}
	return out
}

// recordRoutes names, for each step, the route a client posts to.
var recordRoutes = map[evaluation.ActionKind]string{
	evaluation.ActAssign: "assign", evaluation.ActScore: "score", evaluation.ActPropose: "propose",
	evaluation.ActAgree: "respond", evaluation.ActObject: "respond", evaluation.ActDecide: "decide",
	evaluation.ActFollowUp: "followups", evaluation.ActClose: "close",
}

func toRecordDetailJSON(d evaluation.RecordDetail, t func(string, ...any) string) evalRecordDetailJSON {
	rec := d.Record
	out := evalRecordDetailJSON{evalRecordJSON: toRecordJSON(rec, d.Template.Scale, t), ActivityName: d.Activity.Name,
		Findings: []evalFindingJSON{}, FollowUps: []evalFollowUpJSON{}, Actions: []evalActionJSON{},
		Grades: gradeJSON(d.Template.Scale), Allowed: []string{}}
	for _, f := range rec.Findings {
		out.Findings = append(out.Findings, evalFindingJSON{ItemCode: f.ItemCode, Title: f.Title, Aspect: string(f.Aspect),
			Option: f.Option, Class: string(f.Class), Deduction: f.Deduction, Note: f.Note, Objected: f.Objected,
			Objection: f.Objection, Overturned: f.Overturned, DecisionNote: f.DecisionNote})
	}
	for _, f := range rec.FollowUps {
		out.FollowUps = append(out.FollowUps, evalFollowUpJSON{ID: f.ID, Kind: string(f.Kind), KindName: t(f.Kind.Key()),
			Note: f.Note, ActorID: f.ActorID, ActorName: f.ActorName, ActedOn: f.ActedOn})
	}
	for _, a := range rec.Actions {
		name := a.ActorName
		if a.ActorID == 0 {
			name = t("evaluation.capacity.system")
		}
		out.Actions = append(out.Actions, evalActionJSON{ID: a.ID, Kind: string(a.Kind), Name: t(a.Kind.Key()),
			Status: string(a.Status), Note: a.Note, ActorID: optionalID(a.ActorID), ActorName: name, ActedOn: a.ActedOn,
			At: a.At.UTC()})
	}
	seen := map[string]bool{}
	for _, k := range d.Actions {
		if r := recordRoutes[k]; !seen[r] {
			seen[r] = true
			out.Allowed = append(out.Allowed, r)
		}
	}
	return out
}

func toSelfCheckJSON(c evaluation.SelfCheck, today string, t func(string, ...any) string) evalSelfCheckJSON {
	out := evalSelfCheckJSON{ID: c.ID, CaseID: c.Case.ID, CaseName: c.Case.Name, StageNo: c.Case.StageNo,
		UnitID: c.UnitID, UnitName: c.Case.UnitName, Category: c.Category, HandlerID: c.HandlerID,
		HandlerName: c.HandlerName, DepartmentID: optionalID(c.DepartmentID), DepartmentName: c.DepartmentName,
		TemplateID: c.TemplateID, ClosedOn: c.ClosedOn, DueOn: c.DueOn, DueBasis: c.DueBasis,
		DueExplanation: c.DueClock().Lines(t), Overdue: c.Overdue(today), Status: string(c.Status),
		StatusName: t(c.Status.Key()), SubmittedOn: optionalDate(c.SubmittedOn), Summary: c.Summary,
		VerifierID: optionalID(c.VerifierID), VerifierName: c.VerifierName, VerifiedOn: optionalDate(c.VerifiedOn),
		VerifyNote: c.VerifyNote, Findings: []evalCheckFindingJSON{}}
	if out.DueExplanation == nil {
		out.DueExplanation = []string{}
	}
	for _, f := range c.Findings {
		out.Findings = append(out.Findings, evalCheckFindingJSON{ItemCode: f.ItemCode, Title: f.Title,
			Aspect: string(f.Aspect), Option: f.Option, Class: string(f.Class), Deduction: f.Deduction, Note: f.Note,
			Source: string(f.Source), Verdict: string(f.Verdict), VerdictReason: f.VerdictReason})
	}
	return out
}

// scaleOf is the grade scale of a template version (versions never
// change; the service caches them).
func (h *Handler) scaleOf(ctx context.Context, req evaluation.Request, templateID int64, cache map[int64]evaluation.Scale) (evaluation.Scale, error) {
	if sc, ok := cache[templateID]; ok {
		return sc, nil
	}
	t, err := h.Evaluation.Template(ctx, req, templateID)
	if err != nil {
		return evaluation.Scale{}, err
	}
	cache[templateID] = t.Scale
	return t.Scale, nil
}

func (h *Handler) recordList(ctx context.Context, req evaluation.Request, recs []evaluation.Record) ([]evalRecordJSON, error) {
	cache := map[int64]evaluation.Scale{}
	out := []evalRecordJSON{}
	for _, rec := range recs {
		sc, err := h.scaleOf(ctx, req, rec.TemplateID, cache)
		if err != nil {
			return nil, err
		}
		out = append(out, toRecordJSON(rec, sc, h.T.T))
	}
	return out, nil
}
