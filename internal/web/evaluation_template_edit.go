package web

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/evaluation"
	"github.com/anguan/anguan/internal/org"
)

// Editing a template: the texts of the newest version (its name and basis,
// every item's title, standard, basis, guidance and note to verify), items
// removed and one new item per aspect. Saving stores the next version; the
// version edited is never changed, so every record keeps the checklist it
// was scored against. The grade scale and the options change by exporting,
// editing and importing the file (they change what every grade means).
//
// Controls are named by the file's field paths of the version edited
// ("aspects[2].items[3].standard"), so the service's messages land at
// their controls; removing items shifts the indexes of the new version,
// which editPaths maps back.

// TemplateEditPage is the edit form of the newest version of a code.
type TemplateEditPage struct {
	QualityBase
	T        evaluation.Template
	Name     string
	Basis    string
	Note     string
	Sections []EditSection
	Steps    []string
	Errors   map[string]string
}

// EditSection is one aspect of the edit form.
type EditSection struct {
	Index  int
	Aspect string
	Items  []EditItem
	New    EditItem
}

// EditItem is one item of the edit form.
type EditItem struct {
	Path                                           string // "aspects[a].items[j]"
	Code, Title, Standard, Basis, Guidance, Verify string
	Options                                        string // the option subset, for reading
	Remove                                         bool
	New                                            bool
	// Errs are the messages of the item's fields, by field name
	// ("title"), and of the item itself ("").
	Errs map[string]string
	// Open shows the item's fields (a new item with text, or one with a
	// message).
	Open bool
}

func (h *Handler) templateEdit(w http.ResponseWriter, r *http.Request, u org.User) error {
	return h.showTemplateEdit(w, r, u, http.StatusOK, false, fieldErrors{})
}

// showTemplateEdit renders the form: the version's texts, or those posted
// when a save was refused.
func (h *Handler) showTemplateEdit(w http.ResponseWriter, r *http.Request, u org.User, status int, posted bool,
	errs fieldErrors) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	base, err := h.Evaluation.Template(r.Context(), h.evalRequest(r, u), id)
	if err != nil {
		return err
	}
	p := &TemplateEditPage{T: base, Name: base.Name, Basis: base.Basis, Steps: h.ruleSteps(base.Scale),
		Errors: errs.byField}
	p.QualityBase = h.qualityBase(u, h.T.T("ui.evaluation.template_edit_title", base.Name, base.Version), "/quality/templates")
	var read func(path string) string
	if posted {
		read = r.PostFormValue
		p.Name, p.Basis, p.Note = r.PostFormValue("name"), r.PostFormValue("basis"), r.PostFormValue("note")
	}
	for a, s := range base.Sections {
		sec := EditSection{Index: a, Aspect: h.T.T(s.Aspect.Key())}
		for j, it := range s.Items {
			path := fmt.Sprintf("aspects[%d].items[%d]", a, j)
			ei := EditItem{Path: path, Code: it.Code, Title: it.Title, Standard: it.Standard, Basis: it.Basis,
				Guidance: it.Guidance, Verify: it.Verify, Options: h.optionNames(base, it)}
			if read != nil {
				ei.Title, ei.Standard, ei.Basis = read(path+".title"), read(path+".standard"), read(path+".basis")
				ei.Guidance, ei.Verify, ei.Remove = read(path+".guidance"), read(path+".verify"), read(path+".remove") == "1"
			}
			ei.Errs = itemErrors(errs.byField, path)
			ei.Open = ei.Remove || len(ei.Errs) > 0
			sec.Items = append(sec.Items, ei)
		}
		path := fmt.Sprintf("aspects[%d].items[%d]", a, len(s.Items))
		sec.New = EditItem{Path: path, New: true}
		if read != nil {
			sec.New.Code, sec.New.Title, sec.New.Standard = read(path+".code"), read(path+".title"), read(path+".standard")
			sec.New.Basis, sec.New.Guidance, sec.New.Verify = read(path+".basis"), read(path+".guidance"), read(path+".verify")
		}
		sec.New.Errs = itemErrors(errs.byField, path)
		sec.New.Open = sec.New.Code != "" || sec.New.Title != "" || len(sec.New.Errs) > 0
		p.Sections = append(p.Sections, sec)
	}
	if !errs.empty() {
		p.invalid(errs, h.T.T("err.validation"))
	}
	return h.render(w, r, status, "evaluation_template_edit", p)
}

// itemErrors picks the messages of one item's fields out of errs.
func itemErrors(errs map[string]string, path string) map[string]string {
	out := map[string]string{}
	for k, msg := range errs {
		switch {
		case k == path:
			out[""] = msg
		case strings.HasPrefix(k, path+"."):
			leaf := strings.TrimPrefix(k, path+".")
			if i := strings.IndexByte(leaf, '['); i >= 0 {
				leaf = leaf[:i]
			}
			if _, seen := out[leaf]; !seen {
				out[leaf] = msg
			}
		}
	}
	return out
}

// optionNames lists the options an item offers, for reading.
func (h *Handler) optionNames(t evaluation.Template, it evaluation.Item) string {
	var out []string
	for _, o := range t.ItemOptions(it) {
		out = append(out, o.Label)
	}
	return strings.Join(out, h.T.T("evaluation.list_sep"))
}

// templateSave stores the edited texts as the next version.
func (h *Handler) templateSave(w http.ResponseWriter, r *http.Request, u org.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx, req := r.Context(), h.evalRequest(r, u)
	base, err := h.Evaluation.Template(ctx, req, id)
	if err != nil {
		return err
	}
	t, back := editedTemplate(r, base)
	info, err := h.Evaluation.SaveTemplate(ctx, req, id, t, r.PostFormValue("note"))
	if v, ok := apperr.AsValidation(err); ok {
		for i := range v.Fields {
			v.Fields[i].Field = back(v.Fields[i].Field)
		}
		// The note of an edit is the new version's note.
		labels := map[string]string{"note": "ui.evaluation.edit_note"}
		return h.showTemplateEdit(w, r, u, http.StatusUnprocessableEntity, true, h.messages(v, labels))
	}
	if err != nil {
		return err
	}
	return seeOther(w, r, "/quality/templates/"+strconv.FormatInt(info.ID, 10)+"?flash=flash.evaluation_template_saved")
}

var itemPathRE = regexp.MustCompile(`^aspects\[(\d+)\]\.items\[(\d+)\](.*)$`)

// editedTemplate builds the next version from base and the form, and
// returns the function that maps a field path of the new version back to
// the control it came from (items removed shift the indexes).
func editedTemplate(r *http.Request, base evaluation.Template) (evaluation.Template, func(string) string) {
	t := base
	t.Name, t.Basis = r.PostFormValue("name"), r.PostFormValue("basis")
	t.Sections = make([]evaluation.Section, len(base.Sections))
	formIndex := make([][]int, len(base.Sections))
	for a, s := range base.Sections {
		sec := evaluation.Section{Aspect: s.Aspect}
		for j, it := range s.Items {
			path := fmt.Sprintf("aspects[%d].items[%d].", a, j)
			if r.PostFormValue(path+"remove") == "1" {
				continue
			}
			it.Title, it.Standard = r.PostFormValue(path+"title"), r.PostFormValue(path+"standard")
			it.Basis, it.Guidance, it.Verify = r.PostFormValue(path+"basis"), r.PostFormValue(path+"guidance"),
				r.PostFormValue(path+"verify")
			sec.Items = append(sec.Items, it)
			formIndex[a] = append(formIndex[a], j)
		}
		path := fmt.Sprintf("aspects[%d].items[%d].", a, len(s.Items))
		n := evaluation.Item{Code: r.PostFormValue(path + "code"), Title: r.PostFormValue(path + "title"),
			Standard: r.PostFormValue(path + "standard"), Basis: r.PostFormValue(path + "basis"),
			Guidance: r.PostFormValue(path + "guidance"), Verify: r.PostFormValue(path + "verify")}
		if n.Code+n.Title+n.Standard+n.Basis+n.Guidance+n.Verify != "" {
			sec.Items = append(sec.Items, n)
			formIndex[a] = append(formIndex[a], len(s.Items))
		}
		t.Sections[a] = sec
	}
	back := func(field string) string {
		m := itemPathRE.FindStringSubmatch(field)
		if m == nil {
			return field
		}
		a, _ := strconv.Atoi(m[1])
		j, _ := strconv.Atoi(m[2])
		if a < len(formIndex) && j < len(formIndex[a]) {
			return fmt.Sprintf("aspects[%d].items[%d]%s", a, formIndex[a][j], m[3])
		}
		return field
	}
	return t, back
}
