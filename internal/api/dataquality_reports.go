package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/dataquality"
	"github.com/anguan/anguan/internal/org"
)

// The reports of business-data supervision: accuracy, problem counts, the
// weekly trend, the monthly notification list and its look-back.

// Defaults of the reports' parameters.
const (
	defaultTrendWeeks    = 12
	defaultLookBackLimit = 200
	maxLookBackLimit     = 500
)

// dqAccuracy is the accuracy report by unit, department or handler.
func (h *Handler) dqAccuracy(w http.ResponseWriter, r *http.Request, u org.User) error {
	by := r.URL.Query().Get("by")
	if by == "" {
		by = dataquality.ByUnit
	}
	rows, err := h.Data.Accuracy(r.Context(), dqRequest(r, u), by)
	if err != nil {
		return err
	}
	out := dqAccuracyJSON{By: by, Items: make([]dqAccuracyRowJSON, 0, len(rows))}
	for _, a := range rows {
		out.Items = append(out.Items, dqAccuracyRowJSON{Key: a.Key, ID: optionalID(a.ID), Cards: a.Cards,
			WithProblems: a.WithProblems, Rate: percent(a.Rate())})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// dqProblemCounts counts the problems by rule (with its title) or kind
// (with its Chinese name).
func (h *Handler) dqProblemCounts(w http.ResponseWriter, r *http.Request, u org.User) error {
	by := r.URL.Query().Get("by")
	if by == "" {
		by = dataquality.ByRule
	}
	rows, err := h.Data.ProblemCounts(r.Context(), dqRequest(r, u), by)
	if err != nil {
		return err
	}
	out := dqCountsJSON{By: by, Items: make([]dqCountRowJSON, 0, len(rows))}
	for _, c := range rows {
		title := c.Title
		if by == dataquality.ByKind {
			title = h.T.T("dq_kind." + c.Key)
		}
		out.Items = append(out.Items, dqCountRowJSON{Key: c.Key, Title: title, Open: c.Open, Fixed: c.Fixed,
			Waived: c.Waived})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// dqTrend is the accuracy at the end of each of the last weeks, oldest
// first.
func (h *Handler) dqTrend(w http.ResponseWriter, r *http.Request, u org.User) error {
	weeks := defaultTrendWeeks
	if s := r.URL.Query().Get("weeks"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return apperr.Invalid("weeks", "err.dq_weeks", 1, dataquality.MaxWeeks)
		}
		weeks = n
	}
	rows, err := h.Data.Trend(r.Context(), dqRequest(r, u), weeks)
	if err != nil {
		return err
	}
	out := dqTrendJSON{Weeks: weeks, Items: make([]dqTrendRowJSON, 0, len(rows))}
	for _, a := range rows {
		out.Items = append(out.Items, dqTrendRowJSON{WeekEnding: a.Key, Cards: a.Cards, WithProblems: a.WithProblems,
			Rate: percent(a.Rate())})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// asOf is the day a month's list is drawn up to: the month's last day, or
// today while the month runs (as the service counts it).
func (h *Handler) asOf(month string) string {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return ""
	}
	end := t.AddDate(0, 1, -1).Format(time.DateOnly)
	if today := h.Data.Today(); end > today {
		return today
	}
	return end
}

// dqNotification is the monthly notification list in the caller's scope.
func (h *Handler) dqNotification(w http.ResponseWriter, r *http.Request, u org.User) error {
	month := r.URL.Query().Get("month")
	ctx := r.Context()
	ps, err := h.Data.NotificationList(ctx, dqRequest(r, u), month)
	if err != nil {
		return err
	}
	n, err := h.dqNamesFor(ctx)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, dqNotificationJSON{Month: month, AsOf: h.asOf(month), Items: n.problems(ps)})
	return nil
}

// dqPublishNotification marks the unit's problems open at the end of the
// month as notified in it, for the look-back.
func (h *Handler) dqPublishNotification(w http.ResponseWriter, r *http.Request, u org.User) error {
	var req dqNotificationRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	n, err := h.Data.PublishNotification(r.Context(), dqRequest(r, u), u.UnitID, req.Month)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, dqPublishedJSON{Month: req.Month, Notified: n})
	return nil
}

// dqLookBack is the look-back (回头看) of a month's notification.
func (h *Handler) dqLookBack(w http.ResponseWriter, r *http.Request, u org.User) error {
	q := r.URL.Query()
	month := q.Get("month")
	limit := defaultLookBackLimit
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxLookBackLimit {
			return apperr.Invalid("limit", "err.dq_limit", 1, maxLookBackLimit)
		}
		limit = n
	}
	ctx := r.Context()
	ps, sum, err := h.Data.LookBack(ctx, dqRequest(r, u), month, limit)
	if err != nil {
		return err
	}
	n, err := h.dqNamesFor(ctx)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, dqLookBackJSON{Month: month, Open: sum.Open, Fixed: sum.Fixed, Waived: sum.Waived,
		FixedRate: percent(sum.FixedRate()), Items: n.problems(ps)})
	return nil
}
