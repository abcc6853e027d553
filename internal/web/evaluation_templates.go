package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/evaluation"
	"github.com/anguan/anguan/internal/org"
)

// Evaluation templates (评查模板): the versions, one version as a tree, its
// JSON file, and the import of a file. A stored version never changes:
// an import or an edit stores the next version.

// TemplateRow is a stored version as the list shows it.
type TemplateRow struct {
	ID         int64
	Code       string
	Version    int
	Name       string
	Categories string
	Scale      string
	Items      int
	Note       string
	CreatedAt  time.Time
	Latest     bool
	InUse      bool
}

// TemplateListPage lists every version and, for those who manage
// templates, the import form.
type TemplateListPage struct {
	QualityBase
	Rows      []TemplateRow
	CanManage bool
	Import    ImportForm
}

// ImportForm is the import form with what was pasted, and the problems of
// a refused file, each with its field path.
type ImportForm struct {
	JSON     string
	Note     string
	Problems []PathProblem
	Open     bool
}

// PathProblem is one problem of a template file: where, and what.
type PathProblem struct {
	Path, Message string
}

func (h *Handler) templateList(w http.ResponseWriter, r *http.Request, u org.User) error {
	return h.showTemplates(w, r, u, http.StatusOK, ImportForm{})
}

func (h *Handler) showTemplates(w http.ResponseWriter, r *http.Request, u org.User, status int, form ImportForm) error {
	ctx, req := r.Context(), h.evalRequest(r, u)
	infos, err := h.Evaluation.Templates(ctx, req)
	if err != nil {
		return err
	}
	names, err := h.categoryNames(ctx)
	if err != nil {
		return err
	}
	p := &TemplateListPage{QualityBase: h.qualityBase(u, h.T.T("ui.evaluation.templates_title"), "/quality/templates"),
		CanManage: access.CanManageEvaluationTemplates(u.Principal()), Import: form}
	for _, i := range infos {
		p.Rows = append(p.Rows, TemplateRow{ID: i.ID, Code: i.Code, Version: i.Version, Name: i.Name,
			Categories: h.joinCategories(names, i.Categories), Scale: i.ScaleCode, Items: i.Items, Note: i.Note,
			CreatedAt: i.CreatedAt, Latest: i.Latest, InUse: i.InUse})
	}
	if len(form.Problems) > 0 {
		p.Error = h.T.T("ui.evaluation.import.refused", len(form.Problems))
	}
	return h.render(w, r, status, "evaluation_templates", p)
}

// categoryNames names the case categories (data).
func (h *Handler) categoryNames(ctx context.Context) (map[string]string, error) {
	cats, err := h.Cases.Categories(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, c := range cats {
		out[c.Code] = c.Name
	}
	return out, nil
}

func (h *Handler) joinCategories(names map[string]string, codes []string) string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = names[c]
		if out[i] == "" {
			out[i] = c
		}
	}
	return strings.Join(out, h.T.T("evaluation.list_sep"))
}

// maxTemplateUpload bounds a template file read from a form (the service
// refuses anything larger than 1 MiB as well).
const maxTemplateUpload = 1 << 20

// templateImport stores an uploaded or pasted template file as the next
// version of its code. A file with problems is refused with every problem
// named by its field path, and nothing is stored.
func (h *Handler) templateImport(w http.ResponseWriter, r *http.Request, u org.User) error {
	form := ImportForm{Open: true}
	var data []byte
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		if err := r.ParseMultipartForm(maxTemplateUpload); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return err
			}
			return apperr.Invalid("template", "err.json_malformed")
		}
		if f, _, err := r.FormFile("file"); err == nil {
			data, err = io.ReadAll(io.LimitReader(f, maxTemplateUpload+1))
			f.Close()
			if err != nil {
				return err
			}
		}
	}
	form.Note = r.PostFormValue("note")
	if len(strings.TrimSpace(string(data))) == 0 {
		form.JSON = r.PostFormValue("json")
		data = []byte(form.JSON)
	}
	var info evaluation.TemplateInfo
	var err error
	if strings.TrimSpace(string(data)) == "" {
		v := &apperr.Validation{}
		v.AddLabeled("template", "evaluation.tfield.template", "err.required")
		if strings.TrimSpace(form.Note) == "" {
			v.AddLabeled("note", "evaluation.field.note", "err.required")
		}
		err = v
	} else {
		info, err = h.Evaluation.ImportTemplate(r.Context(), h.evalRequest(r, u), data, form.Note)
	}
	if v, ok := apperr.AsValidation(err); ok {
		form.Problems = h.pathProblems(v)
		return h.showTemplates(w, r, u, http.StatusUnprocessableEntity, form)
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, "/quality/templates/"+strconv.FormatInt(info.ID, 10)+"?flash=flash.evaluation_template_imported")
}

// pathProblems renders a template file's problems with their paths.
func (h *Handler) pathProblems(v *apperr.Validation) []PathProblem {
	out := make([]PathProblem, 0, len(v.Fields))
	for _, f := range v.Fields {
		out = append(out, PathProblem{Path: f.Field, Message: h.T.Message(f)})
	}
	return out
}

// TemplatePage is one version as a tree: the aspects with their items
// (standard, basis, guidance, options), the options and the grade scale
// with its rule, and the other versions of the code.
type TemplatePage struct {
	QualityBase
	Info       evaluation.TemplateInfo
	T          evaluation.Template
	Categories string
	Groups     []ItemGroup
	Steps      []string
	Versions   []TemplateRow
	CanEdit    bool
}

func (h *Handler) templateDetail(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx, req := r.Context(), h.evalRequest(r, u)
	t, err := h.Evaluation.Template(ctx, req, id)
	if err != nil {
		return err
	}
	infos, err := h.Evaluation.Templates(ctx, req)
	if err != nil {
		return err
	}
	names, err := h.categoryNames(ctx)
	if err != nil {
		return err
	}
	p := &TemplatePage{T: t, Categories: h.joinCategories(names, t.Categories),
		Groups: h.itemGroups(t, choicesOf(nil), nil), Steps: h.ruleSteps(t.Scale)}
	p.QualityBase = h.qualityBase(u, h.T.T("evaluation.report.template_version", t.Name, t.Version), "/quality/templates")
	for _, i := range infos {
		if i.ID == id {
			p.Info = i
		}
		if i.Code == t.Code {
			p.Versions = append(p.Versions, TemplateRow{ID: i.ID, Version: i.Version, Note: i.Note, CreatedAt: i.CreatedAt,
				Latest: i.Latest, InUse: i.InUse})
		}
	}
	p.CanEdit = p.Info.Latest && access.CanManageEvaluationTemplates(u.Principal())
	return h.render(w, r, http.StatusOK, "evaluation_template", p)
}

// ruleSteps explains the scale's mapping rule line by line.
func (h *Handler) ruleSteps(sc evaluation.Scale) []string {
	var out []string
	for _, st := range sc.Rule.Steps {
		var conds []string
		if st.MinSerious > 0 {
			conds = append(conds, h.T.T("ui.evaluation.rule.min_serious", st.MinSerious))
		}
		if st.MinFlaws > 0 {
			conds = append(conds, h.T.T("ui.evaluation.rule.min_flaws", st.MinFlaws))
		}
		if st.MinDeduction > 0 {
			conds = append(conds, h.T.T("ui.evaluation.rule.min_deduction", st.MinDeduction))
		}
		out = append(out, h.T.T("ui.evaluation.rule.step", strings.Join(conds, h.T.T("ui.evaluation.rule.and")),
			sc.Label(st.Grade)))
	}
	out = append(out, h.T.T("ui.evaluation.rule.default", sc.Label(sc.Rule.Default)))
	switch {
	case sc.Rule.Excellent == "":
	case sc.Rule.ExcellentMaxFlaws == 0:
		out = append(out, h.T.T("ui.evaluation.rule.excellent_clean", sc.Label(sc.Rule.Excellent)))
	default:
		out = append(out, h.T.T("ui.evaluation.rule.excellent", sc.Label(sc.Rule.Excellent), sc.Rule.ExcellentMaxFlaws))
	}
	return out
}

// templateExport downloads a version as its JSON file, ready to edit and
// import.
func (h *Handler) templateExport(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx, req := r.Context(), h.evalRequest(r, u)
	t, err := h.Evaluation.Template(ctx, req, id)
	if err != nil {
		return err
	}
	b, err := h.Evaluation.ExportTemplate(ctx, req, id)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("%s-v%d", t.Code, t.Version)
	return sendFile(w, b, "application/json; charset=utf-8", h.T.T("evaluation.report.template_version", t.Name,
		t.Version)+".json", name+".json")
}
