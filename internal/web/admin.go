package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/org"
	"github.com/anguan/anguan/internal/reqctx"
)

func actor(r *http.Request, u org.User) org.Actor {
	return org.Actor{P: u.Principal(), Client: reqctx.Client(r.Context()), RequestID: reqctx.RequestID(r.Context())}
}

// UnitsPage is the unit and department administration page.
type UnitsPage struct {
	Base
	Units       []UnitRow
	Form        org.Unit
	DeptForUnit int64
	DeptName    string
}

// UnitRow is a unit with its departments and indentation.
type UnitRow struct {
	org.Unit
	Departments []org.Department
	Indent      int
	Manageable  bool
}

func (h *Handler) unitsPage(w http.ResponseWriter, r *http.Request, u org.User, status int, fill func(*UnitsPage)) error {
	p := &UnitsPage{}
	p.Title = h.T.T("ui.nav.units")
	units, err := h.Org.Units(r.Context())
	if err != nil {
		return err
	}
	pr := u.Principal()
	for _, un := range units {
		deps, err := h.Org.Departments(r.Context(), un.ID)
		if err != nil {
			return err
		}
		p.Units = append(p.Units, UnitRow{Unit: un, Departments: deps, Indent: (un.Level - 1) * 24,
			Manageable: access.CanManageUnits(pr, un.Path)})
	}
	if fill != nil {
		fill(p)
	}
	return h.render(w, r, status, "units", p)
}

func (h *Handler) units(w http.ResponseWriter, r *http.Request, u org.User) error {
	return h.unitsPage(w, r, u, http.StatusOK, nil)
}

func (h *Handler) createUnit(w http.ResponseWriter, r *http.Request, u org.User) error {
	f := org.Unit{Code: r.PostFormValue("code"), Name: r.PostFormValue("name"), ShortName: r.PostFormValue("short_name")}
	f.ParentID, _ = strconv.ParseInt(r.PostFormValue("parent_id"), 10, 64)
	_, err := h.Org.CreateUnit(r.Context(), actor(r, u), f)
	if errs, ok := h.formErrors(err); ok {
		return h.unitsPage(w, r, u, http.StatusUnprocessableEntity, func(p *UnitsPage) {
			p.invalid(errs, h.T.T("err.validation"))
			p.Form = f
		})
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, "/admin/units?flash=flash.saved")
}

func (h *Handler) createDepartment(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	name := r.PostFormValue("name")
	_, err = h.Org.CreateDepartment(r.Context(), actor(r, u), org.Department{UnitID: id, Name: name})
	if errs, ok := h.formErrors(err); ok {
		return h.unitsPage(w, r, u, http.StatusUnprocessableEntity, func(p *UnitsPage) {
			p.refused(errs)
			p.DeptForUnit, p.DeptName = id, name
		})
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, "/admin/units?flash=flash.saved")
}

// UsersPage is the people and accounts page.
type UsersPage struct {
	Base
	Users []org.User
	Units []org.Unit
	Roles []access.Role
	Form  org.NewUser
	Depts map[int64][]org.Department
	Now   time.Time // to show which accounts are locked out
}

func (h *Handler) usersPage(w http.ResponseWriter, r *http.Request, u org.User, status int, fill func(*UsersPage)) error {
	p := &UsersPage{Roles: access.AllRoles(), Depts: map[int64][]org.Department{}, Now: h.Now()}
	p.Title = h.T.T("ui.nav.users")
	var err error
	if p.Users, err = h.Org.Users(r.Context(), actor(r, u)); err != nil {
		return err
	}
	units, err := h.Org.Units(r.Context())
	if err != nil {
		return err
	}
	for _, un := range units {
		if access.CanManageUsers(u.Principal(), un.Path) {
			p.Units = append(p.Units, un)
			if p.Depts[un.ID], err = h.Org.Departments(r.Context(), un.ID); err != nil {
				return err
			}
		}
	}
	p.Form.UnitID = u.UnitID
	if fill != nil {
		fill(p)
	}
	return h.render(w, r, status, "users", p)
}

func (h *Handler) users(w http.ResponseWriter, r *http.Request, u org.User) error {
	return h.usersPage(w, r, u, http.StatusOK, nil)
}

func formRoles(r *http.Request) []access.Role {
	var out []access.Role
	for _, v := range r.PostForm["roles"] {
		out = append(out, access.Role(v))
	}
	return out
}

func (h *Handler) createUser(w http.ResponseWriter, r *http.Request, u org.User) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	nu := org.NewUser{Username: r.PostFormValue("username"), Name: r.PostFormValue("name"),
		Password: r.PostFormValue("password"), Roles: formRoles(r)}
	nu.UnitID, _ = strconv.ParseInt(r.PostFormValue("unit_id"), 10, 64)
	nu.DepartmentID, _ = strconv.ParseInt(r.PostFormValue("department_id"), 10, 64)
	_, err := h.Org.CreateUser(r.Context(), actor(r, u), nu)
	if errs, ok := h.formErrors(err); ok {
		nu.Password = ""
		return h.usersPage(w, r, u, http.StatusUnprocessableEntity, func(p *UsersPage) {
			p.invalid(errs, h.T.T("err.validation"))
			p.Form = nu
		})
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, "/admin/users?flash=flash.saved")
}

func (h *Handler) setRoles(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	return h.afterUserChange(w, r, u, id, h.Org.SetRoles(r.Context(), actor(r, u), id, formRoles(r)), "flash.saved")
}

// afterUserChange answers an action on one account of the users page: the
// page again with the refusal, or back to the account's row.
func (h *Handler) afterUserChange(w http.ResponseWriter, r *http.Request, u org.User, id int64, err error, flash string) error {
	if errs, ok := h.formErrors(err); ok {
		return h.usersPage(w, r, u, http.StatusUnprocessableEntity, func(p *UsersPage) { p.refused(errs) })
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, "/admin/users?flash="+flash+"#user-"+strconv.FormatInt(id, 10))
}

// RolesPage explains each role and the separation of the administrators.
type RolesPage struct {
	Base
	Roles []access.Role
}

func (h *Handler) rolesPage(w http.ResponseWriter, r *http.Request, _ org.User) error {
	p := &RolesPage{Roles: access.AllRoles()}
	p.Title = h.T.T("ui.nav.roles")
	return h.render(w, r, http.StatusOK, "roles", p)
}
