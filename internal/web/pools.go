package web

import (
	"net/http"
	"strconv"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/casefile"
	"github.com/anguan/anguan/internal/org"
)

// PoolsPage shows the rotation pools of the unit.
type PoolsPage struct {
	Base
	Pools       []casefile.Pool
	Departments []org.Department
	Categories  []casefile.Category
	Handlers    []casefile.Load
	CanEdit     bool
}

func (h *Handler) poolsPage(w http.ResponseWriter, r *http.Request, u org.User, status int, fill func(*PoolsPage)) error {
	req := h.request(r, u)
	p := &PoolsPage{CanEdit: u.Principal().Has(access.CaseManager)}
	p.Title = h.T.T("ui.nav.pools")
	var err error
	if p.Pools, err = h.Pools.List(r.Context(), req); err != nil {
		return err
	}
	if p.Departments, err = h.Org.Departments(r.Context(), u.UnitID); err != nil {
		return err
	}
	if p.Categories, err = h.Cases.Categories(r.Context()); err != nil {
		return err
	}
	if p.Handlers, err = h.Pools.Workload(r.Context(), req); err != nil {
		return err
	}
	if fill != nil {
		fill(p)
	}
	return h.render(w, r, status, "pools", p)
}

func (h *Handler) pools(w http.ResponseWriter, r *http.Request, u org.User) error {
	return h.poolsPage(w, r, u, http.StatusOK, nil)
}

func (h *Handler) createPool(w http.ResponseWriter, r *http.Request, u org.User) error {
	dept, _ := strconv.ParseInt(r.PostFormValue("department_id"), 10, 64)
	_, err := h.Pools.Create(r.Context(), h.request(r, u), dept, r.PostFormValue("category"))
	if errs, ok := h.formErrors(err); ok {
		return h.poolsPage(w, r, u, http.StatusUnprocessableEntity, func(p *PoolsPage) {
			p.invalid(errs, h.T.T("err.validation"))
		})
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, "/pools?flash=flash.saved")
}

func (h *Handler) putMember(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ch := casefile.MemberChange{Absent: r.PostFormValue("absent") != "", HandlingUnitChanged: r.PostFormValue("unit_changed") != ""}
	ch.UserID, _ = strconv.ParseInt(r.PostFormValue("user_id"), 10, 64)
	ch.M, _ = strconv.Atoi(r.PostFormValue("m"))
	ch.N, _ = strconv.Atoi(r.PostFormValue("n"))
	err = h.Pools.PutMember(r.Context(), h.request(r, u), id, ch)
	if errs, ok := h.formErrors(err); ok {
		return h.poolsPage(w, r, u, http.StatusUnprocessableEntity, func(p *PoolsPage) {
			p.refused(errs)
		})
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, "/pools?flash=flash.saved#pool-"+strconv.FormatInt(id, 10))
}

// WorkloadPage shows open cases per handler.
type WorkloadPage struct {
	Base
	Loads []casefile.Load
	Max   int
}

func (h *Handler) workload(w http.ResponseWriter, r *http.Request, u org.User) error {
	p := &WorkloadPage{}
	p.Title = h.T.T("ui.nav.workload")
	var err error
	if p.Loads, err = h.Pools.Workload(r.Context(), h.request(r, u)); err != nil {
		return err
	}
	for _, l := range p.Loads {
		p.Max = max(p.Max, l.Open)
	}
	return h.render(w, r, http.StatusOK, "workload", p)
}

// Bar is the width percentage of a workload bar.
func (p *WorkloadPage) Bar(n int) int {
	if p.Max == 0 {
		return 0
	}
	return n * 100 / p.Max
}
