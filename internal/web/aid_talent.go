package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/org"
)

// The talent pipeline of a pairing (人才梯队): goal (1) with its measure,
// each staff member's levels, proposals a mentor confirms or rejects,
// evidence, mentor–trainee assignments and the system's rules.

// AidTalentPage is one pairing's talent pipeline.
type AidTalentPage struct {
	AidBase
	Goal        AidGoal
	Areas       []aid.Area
	Levels      []aid.Level
	Rows        []AidStaffRow
	Staff       []aid.Staff
	Proposals   []AidProposalRow
	Evidence    []AidEvidenceRow
	Mentorships []AidMentorshipRow
	Rules       []AidRuleRow
	Kinds       []string
	CanPropose  bool
	Form        string // the form whose errors are shown
	F           AidTalentForm
}

// AidTalentForm holds what the talent forms sent.
type AidTalentForm struct {
	UserID, MentorID, TraineeID       int64
	Area, Level, Reason, Kind, OnDate string
	Note                              string
}

// AidGoal is goal (1) as the pages show it.
type AidGoal struct {
	aid.Goal
	AreaNames string
}

// AidStaffRow is a person with a level name per area.
type AidStaffRow struct {
	aid.Staff
	Cells []string
}

// AidProposalRow is a proposal with its names and whether the viewer may
// decide it.
type AidProposalRow struct {
	aid.Proposal
	UnitName, AreaName, FromName, ToName string
	CanDecide                            bool
}

// AidEvidenceRow is a piece of evidence with its names.
type AidEvidenceRow struct {
	aid.Evidence
	UserName, AreaName string
}

// AidMentorshipRow is an assignment with its area's name.
type AidMentorshipRow struct {
	aid.Mentorship
	AreaName string
}

// AidRuleRow is a system rule with its names.
type AidRuleRow struct {
	aid.Rule
	AreaName, LevelName string
}

func aidGoalView(g aid.Goal) AidGoal {
	names := make([]string, len(g.Required))
	for i, a := range g.Required {
		names[i] = a.Name
	}
	return AidGoal{Goal: g, AreaNames: strings.Join(names, "、")}
}

func (h *Handler) showTalent(w http.ResponseWriter, r *http.Request, u org.User, id int64, form string, f AidTalentForm,
	status int, fe fieldErrors) error {
	req := h.aidRequest(r, u)
	tl, err := h.Aid.Talent(r.Context(), req, id)
	if err != nil {
		return err
	}
	fw := tl.Framework
	p := &AidTalentPage{AidBase: h.aidBase(r, u, tl.Pairing, h.T.T("ui.aid.talent_title", tl.Pairing.Name),
		fmt.Sprintf("/aid/pairings/%d/talent", id)), Goal: aidGoalView(tl.Goal), Areas: fw.Areas, Levels: fw.Levels,
		Staff: tl.Staff, Kinds: aid.EvidenceKinds(), CanPropose: aid.CanPropose(req.P, tl.Pairing), Form: form, F: f}
	names := map[int64]string{}
	units := map[int64]string{}
	for _, st := range tl.Staff {
		names[st.ID], units[st.ID] = st.Name, st.UnitName
		if len(st.Levels) == 0 {
			continue
		}
		row := AidStaffRow{Staff: st}
		for _, a := range fw.Areas {
			row.Cells = append(row.Cells, fw.LevelName(st.Level(a.Code)))
		}
		p.Rows = append(p.Rows, row)
	}
	for _, pr := range tl.Proposals {
		ok, err := h.Aid.CanDecide(r.Context(), req, pr)
		if err != nil {
			return err
		}
		p.Proposals = append(p.Proposals, AidProposalRow{Proposal: pr, UnitName: units[pr.UserID], AreaName: fw.AreaName(pr.Area),
			FromName: fw.LevelName(pr.From), ToName: fw.LevelName(pr.To), CanDecide: ok})
	}
	for _, e := range tl.Evidence {
		p.Evidence = append(p.Evidence, AidEvidenceRow{Evidence: e, UserName: names[e.UserID], AreaName: fw.AreaName(e.Area)})
	}
	for _, m := range tl.Mentorships {
		p.Mentorships = append(p.Mentorships, AidMentorshipRow{Mentorship: m, AreaName: fw.AreaName(m.Area)})
	}
	for _, ru := range tl.Rules {
		p.Rules = append(p.Rules, AidRuleRow{Rule: ru, AreaName: fw.AreaName(ru.Area), LevelName: fw.LevelName(ru.ToLevel)})
	}
	if !fe.empty() {
		p.invalid(fe, h.T.T("err.validation"))
	}
	if n := r.URL.Query().Get("made"); n != "" && p.Flash == "" {
		if k, err := strconv.Atoi(n); err == nil {
			p.Flash = h.T.T("ui.aid.rules_made", k)
		}
	}
	return h.render(w, r, status, "aid_talent", p)
}

func (h *Handler) aidTalent(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return h.showTalent(w, r, u, id, "", AidTalentForm{OnDate: h.Aid.Today()}, http.StatusOK, fieldErrors{})
}

func aidFormID(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(r.PostFormValue(name), 10, 64)
	return n
}

func aidTalentForm(r *http.Request) AidTalentForm {
	_ = r.ParseForm()
	return AidTalentForm{UserID: aidFormID(r, "user_id"), MentorID: aidFormID(r, "mentor_id"), TraineeID: aidFormID(r, "trainee_id"),
		Area: r.PostFormValue("area"), Level: r.PostFormValue("to_level"), Reason: r.PostFormValue("reason"),
		Kind: r.PostFormValue("evidence_kind"), OnDate: r.PostFormValue("on_date"), Note: r.PostFormValue("note")}
}

// talentWrite runs one of the talent forms and shows the page again with
// its errors, or goes back to it.
func (h *Handler) talentWrite(w http.ResponseWriter, r *http.Request, u org.User, form string,
	do func(req aid.Request, id int64, f AidTalentForm) (string, error)) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f := aidTalentForm(r)
	query, err := do(h.aidRequest(r, u), id, f)
	if v, ok := apperr.AsValidation(err); ok {
		return h.showTalent(w, r, u, id, form, f, http.StatusUnprocessableEntity, h.aidFieldErrors(v))
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, fmt.Sprintf("/aid/pairings/%d/talent?%s", id, query))
}

func (h *Handler) aidPropose(w http.ResponseWriter, r *http.Request, u org.User) error {
	return h.talentWrite(w, r, u, "propose", func(req aid.Request, id int64, f AidTalentForm) (string, error) {
		_, err := h.Aid.Propose(r.Context(), req, id, aid.ProposalInput{UserID: f.UserID, Area: f.Area, Level: f.Level, Reason: f.Reason})
		return "flash=flash.saved", err
	})
}

func (h *Handler) aidAddEvidence(w http.ResponseWriter, r *http.Request, u org.User) error {
	return h.talentWrite(w, r, u, "evidence", func(req aid.Request, id int64, f AidTalentForm) (string, error) {
		_, err := h.Aid.AddEvidence(r.Context(), req, id, aid.EvidenceInput{UserID: f.UserID, Area: f.Area, Kind: f.Kind,
			OnDate: f.OnDate, Note: f.Note})
		return "flash=flash.saved", err
	})
}

func (h *Handler) aidAddMentorship(w http.ResponseWriter, r *http.Request, u org.User) error {
	return h.talentWrite(w, r, u, "mentorship", func(req aid.Request, id int64, f AidTalentForm) (string, error) {
		_, err := h.Aid.AddMentorship(r.Context(), req, id, aid.MentorshipInput{MentorID: f.MentorID, TraineeID: f.TraineeID, Area: f.Area})
		return "flash=flash.saved", err
	})
}

func (h *Handler) aidRunRules(w http.ResponseWriter, r *http.Request, u org.User) error {
	return h.talentWrite(w, r, u, "rules", func(req aid.Request, id int64, f AidTalentForm) (string, error) {
		n, err := h.Aid.RunRules(r.Context(), req, id, f.Area)
		return "made=" + strconv.Itoa(n), err
	})
}

// aidDecide confirms or rejects a proposal; it answers on the talent page
// of the pairing the form came from (pairing_id), which must include the
// person's unit.
func (h *Handler) aidDecide(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	req := h.aidRequest(r, u)
	_, err = h.Aid.Decide(r.Context(), req, id, r.PostFormValue("decision"), r.PostFormValue("note"))
	pairingID := aidFormID(r, "pairing_id")
	if v, ok := apperr.AsValidation(err); ok {
		if pairingID == 0 {
			return err // no page to show them on: the messages are the error page
		}
		return h.showTalent(w, r, u, pairingID, "decide", AidTalentForm{}, http.StatusUnprocessableEntity, h.aidFieldErrors(v))
	}
	if err != nil {
		return err
	}
	if pairingID == 0 {
		return seeOther(w, r, aidNav+"?flash=flash.saved")
	}
	return seeOther(w, r, fmt.Sprintf("/aid/pairings/%d/talent?flash=flash.saved", pairingID))
}
