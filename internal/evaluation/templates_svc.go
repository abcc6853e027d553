package evaluation

import (
	"context"
	"fmt"
	"strings"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
)

// Templates lists every stored template version, newest version of each
// code marked. Templates are checklists, not case content: every signed-in
// user with a role may read them (evaluators and aid partners learn from
// them).
func (s *Service) Templates(ctx context.Context, r Request) ([]TemplateInfo, error) {
	if len(r.P.Roles) == 0 {
		return nil, apperr.ErrForbidden
	}
	return s.store.EvaluationTemplates(ctx)
}

// Template loads one stored version.
func (s *Service) Template(ctx context.Context, r Request, id int64) (Template, error) {
	if len(r.P.Roles) == 0 {
		return Template{}, apperr.ErrForbidden
	}
	return s.template(ctx, id)
}

// template loads a version through the cache (versions never change).
func (s *Service) template(ctx context.Context, id int64) (Template, error) {
	if t, ok := s.templates.Load(id); ok {
		return t.(Template), nil
	}
	info, data, err := s.store.EvaluationTemplateData(ctx, id)
	if err != nil {
		return Template{}, err
	}
	t, err := ParseTemplate(data, nil)
	if err != nil {
		return Template{}, fmt.Errorf("evaluation: stored template %d: %w", id, err)
	}
	t.ID, t.Version, t.CreatedBy, t.CreatedAt = info.ID, info.Version, info.CreatedBy, info.CreatedAt
	s.templates.Store(id, t)
	return t, nil
}

// ExportTemplate writes a stored version as its JSON file.
func (s *Service) ExportTemplate(ctx context.Context, r Request, id int64) ([]byte, error) {
	t, err := s.Template(ctx, r, id)
	if err != nil {
		return nil, err
	}
	return ExportTemplate(t)
}

// ImportTemplate reads a template file strictly (every problem named with
// its field path, nothing stored) and stores it as the next version of its
// code, or as version 1 of a new code. note says why (required).
func (s *Service) ImportTemplate(ctx context.Context, r Request, data []byte, note string) (TemplateInfo, error) {
	if !access.CanManageEvaluationTemplates(r.P) {
		return TemplateInfo{}, apperr.ErrForbidden
	}
	cats, err := s.categoryCodes(ctx)
	if err != nil {
		return TemplateInfo{}, err
	}
	t, err := ParseTemplate(data, cats)
	if err != nil {
		return TemplateInfo{}, err
	}
	return s.storeVersion(ctx, r, t, note, "evaluation.template_import")
}

// SaveTemplate stores an edited template as the next version of the
// version it was edited from (baseID), which must be the newest of its
// code: an edit from an older version, or one that lost a race with
// another edit, gives apperr.ErrConflict. The edited version itself is
// never changed, whether in use or not, so every record keeps the
// checklist it was scored against.
func (s *Service) SaveTemplate(ctx context.Context, r Request, baseID int64, t Template, note string) (TemplateInfo, error) {
	if !access.CanManageEvaluationTemplates(r.P) {
		return TemplateInfo{}, apperr.ErrForbidden
	}
	base, err := s.template(ctx, baseID)
	if err != nil {
		return TemplateInfo{}, err
	}
	if t.Code != base.Code {
		return TemplateInfo{}, invalid("code", "err.evaluation_code_changed", base.Code)
	}
	cats, err := s.categoryCodes(ctx)
	if err != nil {
		return TemplateInfo{}, err
	}
	t.Format = Format
	if err := t.Validate(cats); err != nil {
		return TemplateInfo{}, err
	}
	latest, err := s.latestVersion(ctx, t.Code)
	if err != nil {
		return TemplateInfo{}, err
	}
	if latest != base.Version {
		return TemplateInfo{}, apperr.ErrConflict
	}
	return s.storeVersion(ctx, r, t, note, "evaluation.template_edit")
}

// storeVersion numbers t after the newest stored version of its code and
// stores it with its audit record.
func (s *Service) storeVersion(ctx context.Context, r Request, t Template, note, action string) (TemplateInfo, error) {
	note = strings.TrimSpace(note)
	v := &apperr.Validation{}
	checkText(v, "note", note, maxNoteLen, true)
	if err := v.Err(); err != nil {
		return TemplateInfo{}, err
	}
	latest, err := s.latestVersion(ctx, t.Code)
	if err != nil {
		return TemplateInfo{}, err
	}
	t.Version, t.Note, t.Format = latest+1, note, Format
	data, err := ExportTemplate(t)
	if err != nil {
		return TemplateInfo{}, err
	}
	info := TemplateInfo{Code: t.Code, Version: t.Version, Name: t.Name, Categories: t.Categories,
		ScaleCode: t.Scale.Code, Items: t.ItemCount(), Note: note, CreatedBy: r.P.UserID}
	rec := r.record(action, objTemplate, 0, fmt.Sprintf("code=%s version=%d items=%d scale=%s", t.Code, t.Version,
		info.Items, t.Scale.Code))
	id, err := s.store.CreateEvaluationTemplate(ctx, NewTemplate{Info: info, Data: data}, rec)
	if err != nil {
		return TemplateInfo{}, err
	}
	info.ID = id
	return info, nil
}

// latestVersion is the newest stored version of code, 0 if none.
func (s *Service) latestVersion(ctx context.Context, code string) (int, error) {
	all, err := s.store.EvaluationTemplates(ctx)
	if err != nil {
		return 0, err
	}
	v := 0
	for _, t := range all {
		if t.Code == code && t.Version > v {
			v = t.Version
		}
	}
	return v, nil
}

// InstallDefaults stores each shipped template whose code has no stored
// version yet, as version 1 (at start-up and in the demo). It returns how
// many it stored.
func (s *Service) InstallDefaults(ctx context.Context) (int, error) {
	ts, err := DefaultTemplates()
	if err != nil {
		return 0, err
	}
	all, err := s.store.EvaluationTemplates(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, t := range ts {
		exists := false
		for _, i := range all {
			exists = exists || i.Code == t.Code
		}
		if exists {
			continue
		}
		t.Version = 1
		data, err := ExportTemplate(t)
		if err != nil {
			return n, err
		}
		info := TemplateInfo{Code: t.Code, Version: 1, Name: t.Name, Categories: t.Categories, ScaleCode: t.Scale.Code,
			Items: t.ItemCount(), Note: t.Note}
		rec := newRecord(systemActor(), "evaluation.template_install", objTemplate, 0,
			fmt.Sprintf("code=%s version=1 items=%d", t.Code, info.Items))
		if _, err := s.store.CreateEvaluationTemplate(ctx, NewTemplate{Info: info, Data: data}, rec); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// templateFor is the newest version covering category on scale ("" any
// scale).
func (s *Service) templateFor(ctx context.Context, category, scale string) (Template, bool, error) {
	all, err := s.store.EvaluationTemplates(ctx)
	if err != nil {
		return Template{}, false, err
	}
	var best TemplateInfo
	for _, i := range all {
		if !containsString(i.Categories, category) || (scale != "" && i.ScaleCode != scale) {
			continue
		}
		// The newest version of a code; between codes, the newest stored.
		if best.ID == 0 || i.ID > best.ID {
			best = i
		}
	}
	if best.ID == 0 {
		return Template{}, false, nil
	}
	t, err := s.template(ctx, best.ID)
	return t, err == nil, err
}

func (s *Service) categoryCodes(ctx context.Context) ([]string, error) {
	cats, err := s.store.Categories(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(cats))
	for i, c := range cats {
		out[i] = c.Code
	}
	return out, nil
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
