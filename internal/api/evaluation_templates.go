package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/org"
)

// Evaluation templates (评查模板): the versions, one version with its file,
// and the import of a file as the next version.

func (h *Handler) listTemplates(w http.ResponseWriter, r *http.Request, u org.User) error {
	infos, err := h.Evaluation.Templates(r.Context(), evalRequest(r, u))
	if err != nil {
		return err
	}
	out := list[evalTemplateJSON]{Items: []evalTemplateJSON{}}
	for _, i := range infos {
		out.Items = append(out.Items, toTemplateJSON(i))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (h *Handler) getTemplate(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return h.writeTemplate(w, r, u, http.StatusOK, id)
}

// writeTemplate answers with a version and its file.
func (h *Handler) writeTemplate(w http.ResponseWriter, r *http.Request, u org.User, status int, id int64) error {
	ctx, req := r.Context(), evalRequest(r, u)
	file, err := h.Evaluation.ExportTemplate(ctx, req, id)
	if err != nil {
		return err
	}
	infos, err := h.Evaluation.Templates(ctx, req)
	if err != nil {
		return err
	}
	for _, i := range infos {
		if i.ID == id {
			writeJSON(w, status, evalTemplateDetailJSON{evalTemplateJSON: toTemplateJSON(i), Template: file})
			return nil
		}
	}
	return apperr.ErrNotFound
}

// importTemplate stores a file as the next version of its code (or
// version 1 of a new code). Every problem of the file is answered at
// once under "template.<path>"; nothing is stored.
func (h *Handler) importTemplate(w http.ResponseWriter, r *http.Request, u org.User) error {
	note, file, err := decodeTemplateImport(r)
	if err != nil {
		return err
	}
	info, err := h.Evaluation.ImportTemplate(r.Context(), evalRequest(r, u), file, note)
	if v, ok := apperr.AsValidation(err); ok {
		// The file's problems are named by their path in the file; the
		// note of the import is the request's own.
		for i, f := range v.Fields {
			if strings.HasPrefix(f.Label, "evaluation.tfield.") && f.Field != "template" {
				v.Fields[i].Field = "template." + f.Field
			}
		}
		return v
	}
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/quality/templates/"+strconv.FormatInt(info.ID, 10))
	return h.writeTemplate(w, r, u, http.StatusCreated, info.ID)
}

// decodeTemplateImport reads {"note": "…", "template": {…}} strictly. The
// template stays raw: the domain reads it, strictly, with every problem's
// path (the generic decoder would stop at the first).
func decodeTemplateImport(r *http.Request) (string, []byte, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return "", nil, err
		}
		return "", nil, errMalformed
	}
	if !json.Valid(body) {
		return "", nil, errMalformed
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil {
		return "", nil, apperr.Invalid("body", "err.json_type_object")
	}
	v := &apperr.Validation{}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k != "note" && k != "template" {
			v.Add(k, "err.json_unknown_field")
		}
	}
	var note string
	if raw, ok := obj["note"]; ok && json.Unmarshal(raw, &note) != nil {
		v.AddLabeled("note", "evaluation.field.note", "err.json_type_string")
	}
	file := bytes.TrimSpace(obj["template"])
	switch {
	case len(file) == 0 || string(file) == "null":
		v.AddLabeled("template", "evaluation.tfield.template", "err.required")
	case file[0] != '{':
		v.AddLabeled("template", "evaluation.tfield.template", "err.json_type_object")
	}
	return note, file, v.Err()
}
