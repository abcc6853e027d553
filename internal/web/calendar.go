package web

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/calendar"
	"github.com/anguan/anguan/internal/deadline"
	"github.com/anguan/anguan/internal/org"
	"github.com/anguan/anguan/internal/reqctx"
)

// CalendarPage lists the loaded holiday years and, for a system
// administrator, takes the next year's file.
type CalendarPage struct {
	Base
	Years     []CalendarYear
	CanImport bool
	Data      string // the refused file, shown again for correction
	Result    *calendar.Result
}

// CalendarYear is one loaded year as the page shows it.
type CalendarYear struct {
	calendar.Year
	YearData deadline.YearData
}

func (h *Handler) calendarView(r *http.Request, u org.User, p *CalendarPage) error {
	p.Title = h.T.T("ui.nav.calendar")
	p.CanImport = calendar.CanImport(u.Principal())
	ys, data, err := h.Calendar.Years(r.Context())
	if err != nil {
		return err
	}
	for i := range ys {
		p.Years = append(p.Years, CalendarYear{Year: ys[i], YearData: data[i]})
	}
	return nil
}

func (h *Handler) calendarPage(w http.ResponseWriter, r *http.Request, u org.User) error {
	p := &CalendarPage{}
	if err := h.calendarView(r, u, p); err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "calendar", p)
}

// calendarImport takes a holiday file either uploaded or pasted.
func (h *Handler) calendarImport(w http.ResponseWriter, r *http.Request, u org.User) error {
	if err := r.ParseMultipartForm(256 << 10); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return err
	}
	data := strings.TrimSpace(r.FormValue("data"))
	if f, _, err := r.FormFile("file"); err == nil {
		b, err := io.ReadAll(io.LimitReader(f, 256<<10))
		f.Close()
		if err != nil {
			return err
		}
		if s := strings.TrimSpace(string(b)); s != "" {
			data = s
		}
	}
	p := &CalendarPage{Data: data}
	var res calendar.Result
	var err error
	if data == "" {
		err = apperr.Invalid("data", "err.required")
	} else {
		pr := u.Principal()
		res, err = h.Calendar.Import(r.Context(), &pr,
			audit.ActorOf(pr, reqctx.Client(r.Context()), reqctx.RequestID(r.Context())), []byte(data))
	}
	if verr := h.calendarView(r, u, p); verr != nil {
		return verr
	}
	if errs, ok := h.formErrors(err); ok {
		p.invalid(errs, h.T.T("err.calendar_file"))
		return h.render(w, r, http.StatusUnprocessableEntity, "calendar", p)
	}
	if err != nil {
		return err
	}
	p.Data, p.Result = "", &res
	p.Flash = h.T.T("flash.calendar_imported", res.Year.Year, res.Recomputed)
	return h.render(w, r, http.StatusOK, "calendar", p)
}
