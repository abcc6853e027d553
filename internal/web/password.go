package web

import (
	"net/http"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/org"
)

func (h *Handler) resetPassword(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return h.afterUserChange(w, r, u, id, h.Org.ResetPassword(r.Context(), actor(r, u), id, r.PostFormValue("password")),
		"flash.password_reset")
}

func (h *Handler) setDisabled(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var disabled bool
	switch r.PostFormValue("disabled") {
	case "1":
		disabled = true
	case "0":
	default:
		err = apperr.Invalid("disabled", "err.unknown_value")
	}
	if err == nil {
		err = h.Org.SetDisabled(r.Context(), actor(r, u), id, disabled)
	}
	return h.afterUserChange(w, r, u, id, err, "flash.saved")
}

// PasswordPage lets a signed-in user change their own password.
type PasswordPage struct {
	Base
}

func (h *Handler) passwordPage(w http.ResponseWriter, r *http.Request, _ org.User) error {
	p := &PasswordPage{}
	p.Title = h.T.T("ui.password.title")
	return h.render(w, r, http.StatusOK, "password", p)
}

func (h *Handler) changePassword(w http.ResponseWriter, r *http.Request, u org.User) error {
	err := h.Org.ChangeOwnPassword(r.Context(), actor(r, u), r.PostFormValue("old_password"),
		r.PostFormValue("new_password"), r.PostFormValue("confirm_password"))
	if errs, ok := h.formErrors(err); ok {
		p := &PasswordPage{}
		p.Title = h.T.T("ui.password.title")
		p.invalid(errs, h.T.T("err.validation"))
		return h.render(w, r, http.StatusUnprocessableEntity, "password", p)
	}
	if err != nil {
		return err
	}
	// Changing the password ended every session, this one included.
	h.clearCookie(w)
	return seeOther(w, r, "/login?flash=flash.password_changed")
}
