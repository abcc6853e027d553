package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/org"
	"github.com/anguan/anguan/internal/reqctx"
)

// AuditPage is the audit log search for the audit administrator.
type AuditPage struct {
	Base
	Q       audit.Query
	From    string
	To      string
	Entries []audit.Entry
	NextURL string
}

var cst = time.FixedZone("CST", 8*3600)

func (h *Handler) auditPage(w http.ResponseWriter, r *http.Request, u org.User) error {
	q := r.URL.Query()
	p := &AuditPage{Q: audit.Query{Username: q.Get("username"), Action: q.Get("action"), ObjectType: q.Get("object_type"),
		ObjectID: q.Get("object_id"), Limit: 100}, From: q.Get("from"), To: q.Get("to")}
	p.Title = h.T.T("ui.nav.audit")
	var errs fieldErrors
	if p.From != "" {
		if d, err := time.ParseInLocation(time.DateOnly, p.From, cst); err == nil {
			p.Q.FromMs = d.UnixMilli()
		} else {
			errs.add("from", h.T.T("ui.audit.from")+"："+h.T.T("err.date_invalid"))
		}
	}
	if p.To != "" {
		if d, err := time.ParseInLocation(time.DateOnly, p.To, cst); err == nil {
			p.Q.ToMs = d.AddDate(0, 0, 1).UnixMilli()
		} else {
			errs.add("to", h.T.T("ui.audit.to")+"："+h.T.T("err.date_invalid"))
		}
	}
	p.Q.BeforeSeq, _ = strconv.ParseInt(q.Get("before"), 10, 64)
	status := http.StatusOK
	if !errs.empty() {
		status = http.StatusUnprocessableEntity
		p.invalid(errs, h.T.T("err.validation"))
		return h.render(w, r, status, "audit", p)
	}
	var err error
	p.Entries, err = h.Audit.Search(r.Context(), u.Principal(), audit.ActorOf(u.Principal(), reqctx.Client(r.Context()), reqctx.RequestID(r.Context())), p.Q)
	if err != nil {
		return err
	}
	if len(p.Entries) == p.Q.Limit {
		nq := r.URL.Query()
		nq.Set("before", strconv.FormatInt(p.Entries[len(p.Entries)-1].Seq, 10))
		p.NextURL = "/audit?" + nq.Encode()
	}
	return h.render(w, r, status, "audit", p)
}
