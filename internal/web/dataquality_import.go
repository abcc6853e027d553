package web

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/casecard"
	"github.com/anguan/anguan/internal/dataquality"
	"github.com/anguan/anguan/internal/org"
)

// The import of case cards exported from the national system: upload,
// preview (nothing is written), confirm (everything is written in one
// transaction, or nothing).

// ImportPage is the upload form with the unit's latest imports.
type ImportPage struct {
	DataBase
	Preview  bool // false: the upload form (the template shows either)
	UnitName string
	Imports  []ImportRow
	MaxMB    int
	// FileError is the message about the file refused, at the file
	// control.
	FileError string
}

// ImportRow is one past import.
type ImportRow struct {
	dataquality.ImportInfo
	At     string
	Format string
	Short  string // the digest's first characters; the whole one is its title
}

func (h *Handler) importPage(w http.ResponseWriter, r *http.Request, u org.User) error {
	return h.showImport(w, r, u, http.StatusOK, "")
}

// showImport renders the upload form; fileErr is the message about a
// refused file.
func (h *Handler) showImport(w http.ResponseWriter, r *http.Request, u org.User, status int, fileErr string) error {
	p := &ImportPage{DataBase: h.dataBase(u, h.T.T("ui.data.import_title"), "/data/import"), UnitName: u.UnitName,
		MaxMB: casecard.MaxFileBytes >> 20, FileError: fileErr}
	imports, err := h.Data.Imports(r.Context(), h.dataRequest(r, u), u.UnitID)
	if err != nil {
		return err
	}
	for _, i := range imports {
		row := ImportRow{ImportInfo: i, At: clock(i.CreatedAt), Format: h.formatName(i.Format), Short: i.SHA256}
		if len(row.Short) > 12 {
			row.Short = row.Short[:12] + "…"
		}
		p.Imports = append(p.Imports, row)
	}
	if fileErr != "" {
		p.Error, p.ErrorList = h.T.T("ui.data.import_refused"), []string{fileErr}
		p.Errors = map[string]string{"file": fileErr}
	}
	return h.render(w, r, status, "dataquality_import", p)
}

func (h *Handler) formatName(f string) string {
	if f == "" {
		return ""
	}
	return h.T.T("ui.data.format." + f)
}

// PreviewPage is a validated file before it is confirmed: what it holds,
// its errors by row and column, the cards it would change and the rule
// hits it would open.
type PreviewPage struct {
	DataBase
	Preview  bool // true: the template of the upload page shows the preview
	PV       dataquality.ImportPreview
	Format   string
	UnitName string
	Errors   []PreviewError
	Changes  []PreviewChange
	Hits     []PreviewHit
	// MoreHits counts the hits the preview does not list.
	MoreHits int
}

// PreviewError is one refused cell, its message rendered.
type PreviewError struct {
	Row           int
	Column, Value string
	Message       string
}

// PreviewChange is what a re-import changes on one card.
type PreviewChange struct {
	Row     int
	StageNo string
	Changes []casecard.Change
}

// PreviewHit is a rule hit the import would open.
type PreviewHit struct {
	Row                          int
	StageNo, RuleID, Title, Item string
	Severity, SeverityCode, Kind string
}

// errNoFile is a post without a file part.
func errNoFile() error {
	v := &apperr.Validation{}
	v.AddLabeled("file", "ui.data.import.file", "err.required")
	return v
}

// readUpload reads the file part of a multipart upload. The body is
// capped by the server (the largest file and room for the envelope); a
// file over casecard.MaxFileBytes is refused with its size, read only to
// count it.
func readUpload(r *http.Request) (name string, data []byte, err error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return "", nil, errNoFile()
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", nil, err
		}
		if part.FormName() != "file" || part.FileName() == "" {
			_ = part.Close()
			continue
		}
		name = part.FileName()
		data, err = io.ReadAll(io.LimitReader(part, casecard.MaxFileBytes+1))
		if err != nil {
			return name, nil, err
		}
		if len(data) > casecard.MaxFileBytes {
			rest, err := io.Copy(io.Discard, part)
			if err != nil {
				return name, nil, err
			}
			return name, nil, casecard.CheckSize(int64(len(data)) + rest)
		}
		return name, data, nil
	}
	return "", nil, errNoFile()
}

// importUpload validates an uploaded file and shows its preview. Nothing
// of it is written: a confirmable file is kept until the user confirms.
func (h *Handler) importUpload(w http.ResponseWriter, r *http.Request, u org.User) error {
	name, data, err := readUpload(r)
	if err == nil {
		var pv dataquality.ImportPreview
		pv, err = h.Data.PreviewImport(r.Context(), h.dataRequest(r, u), u.UnitID, name, data)
		if err == nil {
			return h.showPreview(w, r, u, pv)
		}
	}
	var tooBig *http.MaxBytesError
	var fe *casecard.FileError
	switch {
	case errors.As(err, &tooBig):
		// The body went over the server's limit: the file is refused by
		// the size the client announced (at least the limit).
		size := r.ContentLength
		if size <= casecard.MaxFileBytes {
			size = casecard.MaxFileBytes + 1
		}
		_ = errors.As(casecard.CheckSize(size), &fe)
		return h.showImport(w, r, u, http.StatusRequestEntityTooLarge, h.T.T(fe.Key, fe.Args...))
	case errors.As(err, &fe):
		status := http.StatusUnprocessableEntity
		if fe.Key == "err.casecard.too_large" {
			status = http.StatusRequestEntityTooLarge
		}
		return h.showImport(w, r, u, status, h.T.T(fe.Key, fe.Args...))
	}
	if v, ok := apperr.AsValidation(err); ok {
		return h.showImport(w, r, u, http.StatusUnprocessableEntity, h.messages(v, nil).list[0])
	}
	if err != nil && (errors.Is(err, io.ErrUnexpectedEOF) || strings.HasPrefix(err.Error(), "multipart:")) {
		// A broken upload (the connection dropped, or a body that is
		// not multipart as announced): say so at the file control.
		return h.showImport(w, r, u, http.StatusBadRequest, h.T.T("ui.data.import.broken"))
	}
	return err
}

// showPreview renders a preview: 200 when it can be confirmed, 422 when
// its errors refuse it (nothing was kept).
func (h *Handler) showPreview(w http.ResponseWriter, r *http.Request, u org.User, pv dataquality.ImportPreview) error {
	p := &PreviewPage{DataBase: h.dataBase(u, h.T.T("ui.data.preview_title"), "/data/import"), Preview: true, PV: pv,
		Format: h.formatName(pv.Format), UnitName: u.UnitName, MoreHits: pv.HitCount - len(pv.Hits)}
	for _, e := range pv.Errors {
		p.Errors = append(p.Errors, PreviewError{Row: e.Row, Column: e.Column, Value: e.Value, Message: h.T.T(e.Key, e.Args...)})
	}
	vocab, err := h.Data.Vocabulary(r.Context())
	if err != nil {
		return err
	}
	for _, c := range pv.Changes {
		pc := PreviewChange{Row: c.Row, StageNo: c.StageNo}
		for _, ch := range c.Changes {
			if ch.Key == "category" {
				ch.Old, ch.New = vocab.Name(ch.Old), vocab.Name(ch.New)
			}
			pc.Changes = append(pc.Changes, ch)
		}
		p.Changes = append(p.Changes, pc)
	}
	for _, hit := range pv.Hits {
		p.Hits = append(p.Hits, PreviewHit{Row: hit.Row, StageNo: hit.StageNo, RuleID: hit.RuleID, Title: hit.Title,
			Item: columnHeader(hit.Item), Severity: h.T.T("dq_severity." + hit.Severity), SeverityCode: hit.Severity,
			Kind: h.T.T("dq_kind." + hit.Kind)})
	}
	status := http.StatusOK
	if !pv.Confirmable {
		status = http.StatusUnprocessableEntity
		p.Error = h.T.T("err.dq_not_confirmable")
		if len(pv.Errors) == 0 && pv.MoreErrors == 0 {
			p.Error = h.T.T("ui.data.preview.nothing")
		}
	}
	return h.render(w, r, status, "dataquality_import", p)
}

// importConfirm writes a previewed file. The form carries the file's
// digest as the preview showed it: a post without it did not come from a
// preview and changes nothing.
func (h *Handler) importConfirm(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if strings.TrimSpace(r.PostFormValue("sha256")) == "" {
		v := &apperr.Validation{}
		v.AddLabeled("sha256", "ui.data.preview.confirm", "err.data_confirm_from_preview")
		return h.showImport(w, r, u, http.StatusUnprocessableEntity, h.messages(v, nil).list[0])
	}
	res, err := h.Data.ConfirmImport(r.Context(), h.dataRequest(r, u), id)
	if errors.Is(err, dataquality.ErrNotConfirmable) {
		// The database changed since the preview (a stage number now
		// belongs elsewhere): upload again to see why.
		return h.showImport(w, r, u, http.StatusConflict, h.T.T("err.dq_not_confirmable"))
	}
	if err != nil {
		return err
	}
	q := url.Values{"status": {dataquality.StatusOpen}, "imported": {strconv.FormatInt(res.ImportID, 10)},
		"flash": {"flash.data_imported"}}
	return seeOther(w, r, "/data/problems?"+q.Encode())
}

// cardTemplate downloads the import template: the header row, two
// examples and a sheet describing every column.
func (h *Handler) cardTemplate(w http.ResponseWriter, r *http.Request, u org.User) error {
	vocab, err := h.Data.Vocabulary(r.Context())
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := casecard.WriteTemplate(&buf, vocab); err != nil {
		return err
	}
	return sendFile(w, buf.Bytes(), xlsxType, h.T.T("ui.data.template_file")+".xlsx", "case-card-template.xlsx")
}
