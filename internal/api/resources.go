package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/anguan/anguan/internal/account"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/org"
	"github.com/anguan/anguan/internal/reqctx"
)

func client(r *http.Request) account.Client {
	return account.Client{Addr: reqctx.Client(r.Context()), RequestID: reqctx.RequestID(r.Context())}
}

func request(r *http.Request, u org.User) casefile.Request {
	return casefile.Request{P: u.Principal(), Client: reqctx.Client(r.Context()), RequestID: reqctx.RequestID(r.Context())}
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.ErrNotFound
	}
	return id, nil
}

type tokenRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	Name     string `json:"name"`
	TTL      string `json:"ttl"` // Go duration, e.g. "24h"
}

type tokenResponse struct {
	ID        int64     `json:"id"` // for DELETE /api/v1/tokens/{id}
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (h *Handler) createToken(w http.ResponseWriter, r *http.Request, _ org.User) error {
	var req tokenRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	v := &apperr.Validation{}
	if req.Username == "" {
		v.Add("username", "err.required")
	}
	if req.Password == "" {
		v.Add("password", "err.required")
	}
	var ttl time.Duration
	if req.TTL != "" {
		d, err := time.ParseDuration(req.TTL)
		if err != nil || d <= 0 {
			v.Add("ttl", "err.unknown_value")
		}
		ttl = d
	}
	if err := v.Err(); err != nil {
		return err
	}
	tok, err := h.Accounts.IssueToken(r.Context(), client(r), req.Username, req.Password, req.Name, ttl)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, tokenResponse{ID: tok.ID, Token: tok.Secret, ExpiresAt: tok.ExpiresAt.UTC()})
	return nil
}

func (h *Handler) revokeToken(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := h.Accounts.RevokeToken(r.Context(), client(r), u, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type userJSON struct {
	ID       int64    `json:"id"`
	Username string   `json:"username"`
	Name     string   `json:"name"`
	UnitID   int64    `json:"unit_id"`
	UnitCode string   `json:"unit_code"`
	UnitName string   `json:"unit_name"`
	Roles    []string `json:"roles"`
}

// UserJSON is the public shape of an account (also printed by
// `anguan user list --json`).
func UserJSON(u org.User) userJSON {
	roles := make([]string, len(u.Roles))
	for i, r := range u.Roles {
		roles[i] = string(r)
	}
	return userJSON{ID: u.ID, Username: u.Username, Name: u.Name, UnitID: u.UnitID, UnitCode: u.UnitCode,
		UnitName: u.UnitName, Roles: roles}
}

func (h *Handler) me(w http.ResponseWriter, _ *http.Request, u org.User) error {
	writeJSON(w, http.StatusOK, UserJSON(u))
	return nil
}

type unitJSON struct {
	ID        int64  `json:"id"`
	ParentID  int64  `json:"parent_id,omitempty"`
	Level     int    `json:"level"`
	Code      string `json:"code"`
	Name      string `json:"name"`
	ShortName string `json:"short_name"`
}

type list[T any] struct {
	Items []T     `json:"items"`
	Next  *string `json:"next"`
}

func (h *Handler) units(w http.ResponseWriter, r *http.Request, _ org.User) error {
	units, err := h.Org.Units(r.Context())
	if err != nil {
		return err
	}
	out := list[unitJSON]{Items: []unitJSON{}}
	for _, u := range units {
		out.Items = append(out.Items, unitJSON{ID: u.ID, ParentID: u.ParentID, Level: u.Level, Code: u.Code, Name: u.Name,
			ShortName: u.ShortName})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (h *Handler) listCases(w http.ResponseWriter, r *http.Request, u org.User) error {
	q := r.URL.Query()
	f := casefile.Filter{Category: q.Get("category"), Status: q.Get("status"), ReceivedFrom: q.Get("received_from"),
		ReceivedTo: q.Get("received_to"), Query: q.Get("q"), After: q.Get("next"), OpenOnly: q.Get("open") == "true"}
	v := &apperr.Validation{}
	f.HandlerID = queryID(q, "handler_id", v)
	f.Limit = queryLimit(q, v)
	if err := v.Err(); err != nil {
		return err
	}
	cases, next, err := h.Cases.List(r.Context(), request(r, u), f)
	if err != nil {
		return err
	}
	out := list[caseJSON]{Items: []caseJSON{}}
	for _, c := range cases {
		out.Items = append(out.Items, toCaseJSON(c))
	}
	if next != "" {
		out.Next = &next
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (h *Handler) createCase(w http.ResponseWriter, r *http.Request, u org.User) error {
	var in intakeJSON
	if err := decode(r, &in); err != nil {
		return err
	}
	id, err := h.Cases.Register(r.Context(), request(r, u), in.intake())
	if err != nil {
		return err
	}
	d, err := h.Cases.Get(r.Context(), request(r, u), id)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/cases/"+strconv.FormatInt(id, 10))
	return h.writeDetail(w, http.StatusCreated, d)
}

func (h *Handler) getCase(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := h.Cases.Get(r.Context(), request(r, u), id)
	if err != nil {
		return err
	}
	return h.writeDetail(w, http.StatusOK, d)
}

type eventRequest struct {
	Code       string `json:"code"`
	OccurredOn string `json:"occurred_on"`
	Outcome    string `json:"outcome"`
	Note       string `json:"note"`
}

func (h *Handler) addEvent(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req eventRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	e, err := h.Cases.AddEvent(r.Context(), request(r, u), id, casefile.Event{Code: req.Code, OccurredOn: req.OccurredOn,
		Outcome: req.Outcome, Note: req.Note})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toEventJSON(e))
	return nil
}

type assignRequest struct {
	Mode         string `json:"mode"` // rotation or designated
	HandlerID    int64  `json:"handler_id"`
	DesignatedBy string `json:"designated_by"`
	Reason       string `json:"reason"`
}

func (h *Handler) assign(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req assignRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	var a casefile.Assignment
	switch req.Mode {
	case "rotation", "":
		a, err = h.Assigner.Rotate(r.Context(), request(r, u), id)
	case "designated":
		a, err = h.Assigner.Designate(r.Context(), request(r, u), id, req.HandlerID, req.DesignatedBy, req.Reason)
	default:
		return apperr.Invalid("mode", "err.unknown_value")
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAssignmentJSON(a))
	return nil
}

// writeDetail answers with a case, its timeline and its statutory clocks.
func (h *Handler) writeDetail(w http.ResponseWriter, status int, d casefile.Detail) error {
	deadlines, err := h.Cases.Deadlines(d)
	if err != nil {
		return err
	}
	writeJSON(w, status, toDetailJSON(d, deadlines, h.T.T))
	return nil
}
