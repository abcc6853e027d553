package api

import (
	"net/http"

	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/org"
)

// The talent pipeline of a pairing: goal (1) with its measure, levels,
// proposals a mentor decides, evidence, mentorships and the system rules.

type aidGoalUnitJSON struct {
	Unit   aidUnitJSON `json:"unit"`
	Count  int         `json:"count"`
	Target int         `json:"target"`
	Names  []string    `json:"names"`
}

type aidGoalJSON struct {
	Required     []aid.Area        `json:"required_areas"`
	MinLevel     string            `json:"min_level"`
	MinLevelName string            `json:"min_level_name"`
	Target       int               `json:"target"`
	Units        []aidGoalUnitJSON `json:"units"`
}

func aidGoalOf(g aid.Goal) aidGoalJSON {
	out := aidGoalJSON{Required: g.Required, MinLevel: g.MinLevel, MinLevelName: g.MinLevelName, Target: g.Target,
		Units: []aidGoalUnitJSON{}}
	if out.Required == nil {
		out.Required = []aid.Area{}
	}
	for _, u := range g.Units {
		names := u.Names
		if names == nil {
			names = []string{}
		}
		out.Units = append(out.Units, aidGoalUnitJSON{Unit: aidUnitJSON{ID: u.Unit.ID, Name: u.Unit.Name}, Count: u.Count,
			Target: u.Target, Names: names})
	}
	return out
}

func (h *Handler) aidGetGoal(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	g, err := h.Aid.Goal(r.Context(), aidRequest(r, u), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, aidGoalOf(g))
	return nil
}

type aidTalentJSON struct {
	Areas       []aid.Area       `json:"areas"`
	Levels      []aid.Level      `json:"levels"`
	Staff       []aid.Staff      `json:"staff"`
	Proposals   []aid.Proposal   `json:"proposals"`
	Evidence    []aid.Evidence   `json:"evidence"`
	Mentorships []aid.Mentorship `json:"mentorships"`
	Rules       []aid.Rule       `json:"rules"`
	Goal        aidGoalJSON      `json:"goal"`
}

func aidList[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (h *Handler) aidGetTalent(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	tl, err := h.Aid.Talent(r.Context(), aidRequest(r, u), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, aidTalentJSON{Areas: aidList(tl.Framework.Areas), Levels: aidList(tl.Framework.Levels),
		Staff: aidList(tl.Staff), Proposals: aidList(tl.Proposals), Evidence: aidList(tl.Evidence),
		Mentorships: aidList(tl.Mentorships), Rules: aidList(tl.Rules), Goal: aidGoalOf(tl.Goal)})
	return nil
}

type aidCreatedJSON struct {
	ID int64 `json:"id"`
}

// aidCreate runs a write that creates a row and answers 201 with its id.
func aidCreate[T any](h *Handler, w http.ResponseWriter, r *http.Request, u org.User,
	do func(req aid.Request, id int64, in T) (int64, error)) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in T
	if err := decode(r, &in); err != nil {
		return err
	}
	nid, err := do(aidRequest(r, u), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, aidCreatedJSON{ID: nid})
	return nil
}

func (h *Handler) aidPropose(w http.ResponseWriter, r *http.Request, u org.User) error {
	return aidCreate(h, w, r, u, func(req aid.Request, id int64, in aid.ProposalInput) (int64, error) {
		return h.Aid.Propose(r.Context(), req, id, in)
	})
}

func (h *Handler) aidAddEvidence(w http.ResponseWriter, r *http.Request, u org.User) error {
	return aidCreate(h, w, r, u, func(req aid.Request, id int64, in aid.EvidenceInput) (int64, error) {
		return h.Aid.AddEvidence(r.Context(), req, id, in)
	})
}

func (h *Handler) aidAddMentorship(w http.ResponseWriter, r *http.Request, u org.User) error {
	return aidCreate(h, w, r, u, func(req aid.Request, id int64, in aid.MentorshipInput) (int64, error) {
		return h.Aid.AddMentorship(r.Context(), req, id, in)
	})
}

type aidRulesRequest struct {
	Area string `json:"area"`
}

type aidRulesJSON struct {
	Made int `json:"made"`
}

func (h *Handler) aidRunRules(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in aidRulesRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	n, err := h.Aid.RunRules(r.Context(), aidRequest(r, u), id, in.Area)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, aidRulesJSON{Made: n})
	return nil
}

type aidDecisionRequest struct {
	Decision string `json:"decision"`
	Note     string `json:"note"`
}

func (h *Handler) aidDecide(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in aidDecisionRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	p, err := h.Aid.Decide(r.Context(), aidRequest(r, u), id, in.Decision, in.Note)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}
