package api

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/docx"
	"github.com/anguan/anguan/internal/org"
)

// The goals of a pairing (援助目标, DOMAIN §1): their parameters, their
// progress per aided unit with the trend over the last quarters, and the
// quarterly progress report as a Word document.

type aidGoalsJSON struct {
	Staff    aid.StaffGoal   `json:"staff"`
	Position aidPositionJSON `json:"position"`
	Info     aidInfoGoalJSON `json:"informatization"`
	Echelon  aidEchelonJSON  `json:"echelon"`
	Saved    []string        `json:"saved"`
}

type aidPositionJSON struct {
	PeerUnitIDs []int64  `json:"peer_unit_ids"`
	Indicators  []string `json:"indicators"`
	TopPct      int      `json:"top_pct"`
}

type aidInfoGoalJSON struct {
	WindowDays int             `json:"window_days"`
	Items      []aid.CheckItem `json:"items"`
}

type aidEchelonJSON struct {
	Levels      []string `json:"levels"`
	MinPerLevel int      `json:"min_per_level"`
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func aidGoalsOf(g aid.GoalSettings) aidGoalsJSON {
	return aidGoalsJSON{Staff: g.Staff,
		Position: aidPositionJSON{PeerUnitIDs: orEmpty(g.Position.PeerUnitIDs), Indicators: orEmpty(g.Position.Indicators), TopPct: g.Position.TopPct},
		Info:     aidInfoGoalJSON{WindowDays: g.Info.WindowDays, Items: orEmpty(g.Info.Items)},
		Echelon:  aidEchelonJSON{Levels: orEmpty(g.Echelon.Levels), MinPerLevel: g.Echelon.MinPerLevel},
		Saved:    orEmpty(g.Saved)}
}

func (h *Handler) aidGetGoals(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_, g, err := h.Aid.Goals(r.Context(), aidRequest(r, u), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, aidGoalsOf(g))
	return nil
}

// aidGoalsRequest is the body of PUT …/goals: all four goals.
type aidGoalsRequest struct {
	Staff    aid.StaffGoal   `json:"staff"`
	Position aidPositionJSON `json:"position"`
	Info     aidInfoGoalJSON `json:"informatization"`
	Echelon  aidEchelonJSON  `json:"echelon"`
}

func (h *Handler) aidPutGoals(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req aidGoalsRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	in := aid.GoalSettings{Staff: req.Staff,
		Position: aid.PositionGoal{PeerUnitIDs: req.Position.PeerUnitIDs, Indicators: req.Position.Indicators, TopPct: req.Position.TopPct},
		Info:     aid.InfoGoal{WindowDays: req.Info.WindowDays, Items: req.Info.Items},
		Echelon:  aid.EchelonGoal{Levels: req.Echelon.Levels, MinPerLevel: req.Echelon.MinPerLevel}}
	ar := aidRequest(r, u)
	if err := h.Aid.SaveGoals(r.Context(), ar, id, in); err != nil {
		return err
	}
	_, g, err := h.Aid.Goals(r.Context(), ar, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, aidGoalsOf(g))
	return nil
}

type aidGoalPointJSON struct {
	AsOf  string `json:"as_of"`
	Label string `json:"label"`
	Value int    `json:"value"`
	Met   bool   `json:"met"`
}

type aidUnitProgressJSON struct {
	Unit     aidUnitJSON                   `json:"unit"`
	Current  aid.Measures                  `json:"current"`
	Met      map[string]bool               `json:"met"`
	Trend    map[string][]aidGoalPointJSON `json:"trend"`
	Measures []aid.Measures                `json:"points"`
}

type aidProgressJSON struct {
	PairingID int64                 `json:"pairing_id"`
	AsOf      string                `json:"as_of"`
	Goals     aidGoalsJSON          `json:"goals"`
	Units     []aidUnitProgressJSON `json:"units"`
}

func (h *Handler) aidGetProgress(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := h.Aid.ProgressView(r.Context(), aidRequest(r, u), id)
	if err != nil {
		return err
	}
	out := aidProgressJSON{PairingID: id, AsOf: p.AsOf, Goals: aidGoalsOf(p.Settings), Units: []aidUnitProgressJSON{}}
	for _, up := range p.Units {
		cur := up.Current()
		uj := aidUnitProgressJSON{Unit: aidUnitJSON{ID: up.Unit.ID, Name: up.Unit.Name}, Current: cur, Met: map[string]bool{},
			Trend: map[string][]aidGoalPointJSON{}, Measures: up.Points}
		for _, code := range aid.GoalCodes() {
			uj.Met[code] = cur.Met(code)
			for _, m := range up.Points {
				uj.Trend[code] = append(uj.Trend[code], aidGoalPointJSON{AsOf: m.AsOf, Label: m.Label, Value: m.Value(code), Met: m.Met(code)})
			}
		}
		out.Units = append(out.Units, uj)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// aidReport answers with the quarterly progress report (?quarter=2026Q3,
// the current quarter when absent).
func (h *Handler) aidReport(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	q := r.URL.Query().Get("quarter")
	if q == "" {
		q = aid.QuarterOf(h.Aid.Today()).String()
	}
	doc, err := h.Aid.Report(r.Context(), aidRequest(r, u), id, q)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := docx.Write(&buf, doc); err != nil {
		return err
	}
	w.Header().Set("Content-Type", docxMediaType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="aid-progress-%d-%s.docx"; filename*=UTF-8''%s`,
		id, url.PathEscape(q), strings.ReplaceAll(url.QueryEscape(doc.Title+".docx"), "+", "%20")))
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(buf.Bytes())
	return err
}
