package api

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"unicode/utf8"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/casecard"
	"github.com/anguan/anguan/internal/dataquality"
	"github.com/anguan/anguan/internal/org"
)

// Imports of case card files (案卡导入): the raw file is the request body,
// previewed first, written only when the caller confirms the preview.

// Media types of an upload.
const (
	xlsxMediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	csvMediaType  = "text/csv"
)

// maxFileName bounds the file_name parameter (characters); the import log
// keeps a shortened base name anyway.
const maxFileName = 255

// fileErrorCodes are the stable error codes of the problems with a file
// as a whole, by message key. A key missing here (one added to casecard
// later) answers "file_invalid" until it is given its own code.
var fileErrorCodes = map[string]string{
	"err.casecard.empty":              "file_empty",
	"err.casecard.too_large":          "file_too_large",
	"err.casecard.not_spreadsheet":    "file_not_spreadsheet",
	"err.casecard.legacy_xls":         "file_legacy_xls",
	"err.casecard.truncated":          "file_truncated",
	"err.casecard.unpacked_too_large": "file_unpacked_too_large",
	"err.casecard.encoding":           "file_encoding",
	"err.casecard.csv_syntax":         "file_csv_syntax",
	"err.casecard.too_many_rows":      "file_too_many_rows",
	"err.casecard.too_many_columns":   "file_too_many_columns",
	"err.casecard.no_rows":            "file_no_rows",
	"err.casecard.missing_column":     "file_missing_column",
	"err.casecard.unknown_column":     "file_unknown_column",
	"err.casecard.duplicate_column":   "file_duplicate_column",
}

// formulaKeys are the cell problems that refuse the whole file: a cell a
// spreadsheet program could execute (CSV injection, OWASP) or a formula
// whose value nobody typed. Other cell problems are listed in the preview
// for the user to correct; these answer 422, so a client that only looks
// at the status cannot miss them.
var formulaKeys = map[string]bool{"err.casecard.formula_injection": true, "err.casecard.formula": true}

// writeFileError answers a problem with an uploaded file as a whole, and
// reports whether err was one: 413 for a file over the size limit, 422
// with the problem's own code otherwise.
func (h *Handler) writeFileError(w http.ResponseWriter, r *http.Request, err error) bool {
	var fe *casecard.FileError
	if !errors.As(err, &fe) {
		return false
	}
	code, ok := fileErrorCodes[fe.Key]
	if !ok {
		code = "file_invalid"
	}
	status := http.StatusUnprocessableEntity
	if code == "file_too_large" {
		status = http.StatusRequestEntityTooLarge
	}
	h.writeError(w, r, status, code, h.T.T(fe.Key, fe.Args...), nil)
	return true
}

// writeTooLarge answers an upload over the limit. With a Content-Length
// the message gives the file's size; without one only the limit is known
// (reading stops just past it).
func (h *Handler) writeTooLarge(w http.ResponseWriter, r *http.Request, size int64) {
	if size > casecard.MaxFileBytes && h.writeFileError(w, r, casecard.CheckSize(size)) {
		return
	}
	h.writeError(w, r, http.StatusRequestEntityTooLarge, "file_too_large",
		h.T.T("err.dq_api_upload_too_large", casecard.MaxFileBytes>>20), nil)
}

// dqPreviewImport validates an uploaded card file for the caller's unit.
// The body is the file itself; its name comes in file_name (the name
// decides only that an .xlsx which is not a workbook is refused as such).
func (h *Handler) dqPreviewImport(w http.ResponseWriter, r *http.Request, u org.User) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (mt != xlsxMediaType && mt != csvMediaType) {
		h.writeError(w, r, http.StatusUnsupportedMediaType, "unsupported_media_type", h.T.T("err.dq_api_media_type"), nil)
		return nil
	}
	name := r.URL.Query().Get("file_name")
	switch {
	case name == "" && mt == xlsxMediaType:
		name = "upload.xlsx"
	case name == "":
		name = "upload.csv"
	case !utf8.ValidString(name):
		v := &apperr.Validation{}
		v.AddLabeled("file_name", "field.dq_file_name", "err.unknown_value")
		return v
	case utf8.RuneCountInString(name) > maxFileName:
		v := &apperr.Validation{}
		v.AddLabeled("file_name", "field.dq_file_name", "err.too_long", maxFileName)
		return v
	}
	// A declared size over the limit is refused before a byte is read.
	if r.ContentLength > casecard.MaxFileBytes {
		h.writeTooLarge(w, r, r.ContentLength)
		return nil
	}
	var buf bytes.Buffer
	if r.ContentLength > 0 {
		buf.Grow(int(r.ContentLength))
	}
	// One byte past the limit tells a file over it from one at it.
	if _, err := io.Copy(&buf, io.LimitReader(r.Body, casecard.MaxFileBytes+1)); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.writeTooLarge(w, r, 0)
			return nil
		}
		return errMalformedUpload
	}
	if buf.Len() > casecard.MaxFileBytes {
		h.writeTooLarge(w, r, 0)
		return nil
	}
	pv, err := h.Data.PreviewImport(r.Context(), dqRequest(r, u), u.UnitID, name, buf.Bytes())
	if h.writeFileError(w, r, err) {
		return nil
	}
	if err != nil {
		return err
	}
	n, err := h.dqNamesFor(r.Context())
	if err != nil {
		return err
	}
	if fields, count := h.formulaFields(n, pv.Errors); count > 0 {
		h.writeError(w, r, http.StatusUnprocessableEntity, "formula_injection", h.T.T("err.dq_api_formula", count), fields)
		return nil
	}
	writeJSON(w, http.StatusOK, n.preview(pv))
	return nil
}

// errMalformedUpload: the body could not be read to its end (the client
// went away or sent a broken chunked body).
var errMalformedUpload = fmt.Errorf("upload: %w", errMalformed)

// formulaFields lists the cells that refuse the file (the first
// maxShapeProblems of them), keyed "rows[N].column_key" with N the
// spreadsheet's row number, and counts them all. Nothing was kept: a file
// with any cell error is never stored for confirmation.
func (h *Handler) formulaFields(n dqNames, errs []casecard.CellError) (map[string]FieldProblem, int) {
	fields, count := map[string]FieldProblem{}, 0
	for _, e := range errs {
		if !formulaKeys[e.Key] {
			continue
		}
		if count++; len(fields) >= maxShapeProblems {
			continue
		}
		ce := n.cellError(e)
		fields[fmt.Sprintf("rows[%d].%s", e.Row, ce.ColumnKey)] = FieldProblem{Code: ce.Code,
			Message: h.T.T("ui.dq_api.cell", e.Row, e.Column) + "：" + ce.Message}
	}
	return fields, count
}

// dqConfirmImport writes a previewed upload. The file is validated again
// against the cards as they are now; if that finds errors (someone changed
// a card in between) nothing is written and the caller uploads again.
func (h *Handler) dqConfirmImport(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := decodeEmpty(r); err != nil {
		return err
	}
	res, err := h.Data.ConfirmImport(r.Context(), dqRequest(r, u), id)
	switch {
	case errors.Is(err, dataquality.ErrNotConfirmable):
		h.writeError(w, r, http.StatusUnprocessableEntity, "not_confirmable", h.T.T("err.dq_not_confirmable"), nil)
		return nil
	case h.writeFileError(w, r, err):
		return nil
	case err != nil:
		return err
	}
	writeJSON(w, http.StatusOK, importResultJSON(res))
	return nil
}

// dqListImports answers with the latest imports of the caller's unit.
func (h *Handler) dqListImports(w http.ResponseWriter, r *http.Request, u org.User) error {
	infos, err := h.Data.Imports(r.Context(), dqRequest(r, u), u.UnitID)
	if err != nil {
		return err
	}
	out := list[dqImportJSON]{Items: make([]dqImportJSON, 0, len(infos))}
	for _, i := range infos {
		out.Items = append(out.Items, importJSON(i))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
