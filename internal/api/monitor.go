package api

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/docx"
	"github.com/anguan/anguan/internal/monitor"
	"github.com/anguan/anguan/internal/org"
)

// Process monitoring (流程监控) over the API: findings (list, read, record
// by hand), the actions of the graded response, and the notice document.

// monitorActors may post actions; the service decides per finding (the
// office acts, the handler or the department head replies).
var monitorActors = []access.Role{access.CaseManager, access.Prosecutor, access.Assistant, access.DeptHead}

func monitorRequest(r *http.Request, u org.User) monitor.Request {
	return monitor.Request(request(r, u))
}

// listFindings answers with one page of findings in the caller's scope,
// newest first.
func (h *Handler) listFindings(w http.ResponseWriter, r *http.Request, u org.User) error {
	q := r.URL.Query()
	f := monitor.Filter{Status: monitor.Status(q.Get("status")), Area: monitor.Area(q.Get("area")),
		Severity: monitor.Severity(q.Get("severity")), RuleID: q.Get("rule"), From: q.Get("from"), To: q.Get("to"),
		After: q.Get("next")}
	v := &apperr.Validation{}
	switch q.Get("open") {
	case "", "false":
	case "true":
		f.OpenOnly = true
	default:
		v.Add("open", "err.unknown_value")
	}
	f.DepartmentID = queryID(q, "department_id", v)
	f.HandlerID = queryID(q, "handler_id", v)
	f.Limit = queryLimit(q, v)
	if err := v.Err(); err != nil {
		return err
	}
	rows, next, err := h.Monitor.List(r.Context(), monitorRequest(r, u), f)
	if err != nil {
		return err
	}
	rules, today := h.Monitor.Rules(), h.Monitor.Today()
	out := list[findingJSON]{Items: []findingJSON{}}
	for _, fd := range rows {
		out.Items = append(out.Items, toFindingJSON(fd, rules, today, h.T.T))
	}
	if next != "" {
		out.Next = &next
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// getFinding answers with a finding, its history and the actions the
// caller may take.
func (h *Handler) getFinding(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return h.writeFinding(w, r, u, http.StatusOK, id)
}

func (h *Handler) writeFinding(w http.ResponseWriter, r *http.Request, u org.User, status int, id int64) error {
	d, err := h.Monitor.Get(r.Context(), monitorRequest(r, u), id)
	if err != nil {
		return err
	}
	writeJSON(w, status, toFindingDetailJSON(d, h.Monitor.ActionsFor(u.Principal(), d.Finding), h.Monitor.Rules(),
		h.Monitor.Today(), h.T.T))
	return nil
}

// createFinding records a finding by hand (the case's unit's case
// manager). A case the caller cannot see is reported on case_id exactly
// like one that does not exist.
func (h *Handler) createFinding(w http.ResponseWriter, r *http.Request, u org.User) error {
	var req manualFindingRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	in := monitor.ManualFinding{CaseID: req.CaseID, Area: monitor.Area(req.Area), Severity: monitor.Severity(req.Severity),
		Description: req.Description}
	if req.CaseID <= 0 {
		v := &apperr.Validation{}
		v.AddLabeled("case_id", "ui.monitor.case_ref", "err.required")
		if rest, ok := apperr.AsValidation(in.Check()); ok {
			v.Fields = append(v.Fields, rest.Fields...)
		}
		return v
	}
	id, err := h.Monitor.Create(r.Context(), monitorRequest(r, u), in)
	if errors.Is(err, apperr.ErrNotFound) {
		v := &apperr.Validation{}
		v.AddLabeled("case_id", "ui.monitor.case_ref", "err.monitor_case_unknown")
		return v
	}
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/monitor/findings/"+strconv.FormatInt(id, 10))
	return h.writeFinding(w, r, u, http.StatusCreated, id)
}

// actionFields says which text field each action reads; the others must
// be left empty, so a text sent to the wrong field is not silently lost.
var actionFields = map[string]string{
	"prompt": "note", "notice": "requested_action", "report_chief": "note", "transfer": "note", "reply": "reply",
	"close": "note",
}

// findingAction takes one action of the graded response and answers with
// the finding as it stands after it.
func (h *Handler) findingAction(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req findingActionRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	v := &apperr.Validation{}
	field, known := actionFields[req.Action]
	switch {
	case req.Action == "":
		v.AddLabeled("action", "monitor.field.action", "err.required")
	case !known:
		v.AddLabeled("action", "monitor.field.action", "err.unknown_value")
	default:
		for _, tf := range [][2]string{{"note", req.Note}, {"requested_action", req.RequestedAction}, {"reply", req.Reply}} {
			if tf[0] != field && tf[1] != "" {
				v.AddLabeled(tf[0], "monitor.field."+tf[0], "err.monitor_field_unused")
			}
		}
		if req.Action == "close" && req.Rectified == nil {
			v.AddLabeled("rectified", "ui.monitor.form.close.result", "err.required")
		}
		if req.Action != "close" && req.Rectified != nil {
			v.AddLabeled("rectified", "ui.monitor.form.close.result", "err.monitor_field_unused")
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	ctx, mr := r.Context(), monitorRequest(r, u)
	switch req.Action {
	case "prompt":
		err = h.Monitor.Prompt(ctx, mr, id, req.Note)
	case "notice":
		_, err = h.Monitor.IssueNotice(ctx, mr, id, req.RequestedAction)
	case "report_chief":
		err = h.Monitor.ReportChief(ctx, mr, id, req.Note)
	case "transfer":
		err = h.Monitor.TransferDiscipline(ctx, mr, id, req.Note)
	case "reply":
		err = h.Monitor.Reply(ctx, mr, id, req.Reply)
	case "close":
		err = h.Monitor.Close(ctx, mr, id, *req.Rectified, req.Note)
	}
	if err != nil {
		return err
	}
	return h.writeFinding(w, r, u, http.StatusOK, id)
}

// docxMediaType is the media type of a Word document.
const docxMediaType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// noticeDocx answers with the finding's 案件流程监控通知书 as a Word
// document named by its number; the download is audited as one.
func (h *Handler) noticeDocx(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	doc, err := h.Monitor.ExportNotice(r.Context(), monitorRequest(r, u), id, h.T.T)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := docx.Write(&buf, doc.Document()); err != nil {
		return err
	}
	w.Header().Set("Content-Type", docxMediaType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="notice-%d.docx"; filename*=UTF-8''%s`, id,
		strings.ReplaceAll(url.QueryEscape(doc.Number+".docx"), "+", "%20")))
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(buf.Bytes())
	return err
}
