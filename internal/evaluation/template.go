package evaluation

import (
	"slices"
	"time"
)

// Format names the JSON layout of a template file, so an import can tell a
// template from any other JSON and a later layout can be told apart.
const Format = "anguan.evaluation.template/1"

// Template is one version of an evaluation checklist (评查模板): the items
// under the eight aspects, the finding options and the grade scale. A
// stored version never changes (the store has no UPDATE path and the
// database refuses one): editing stores the next version, so every record
// keeps the checklist it was scored against.
type Template struct {
	// Stored: 0 for a template not yet stored (a shipped default, an
	// import being checked).
	ID        int64     `json:"-"`
	CreatedBy int64     `json:"-"`
	CreatedAt time.Time `json:"-"`
	// Format is the file layout (Format).
	Format string `json:"format"`
	// Code is the stable family code shared by all versions
	// ("prosecution_review"); lower-case letters, digits and _.
	Code string `json:"code"`
	// Version numbers the versions of a code from 1; assigned by the
	// store. An imported file's version is informative only.
	Version int `json:"version"`
	// Name is the title (审查起诉案件质量评查模板).
	Name string `json:"name"`
	// Categories are the case categories the template evaluates.
	Categories []string `json:"categories"`
	// Basis names the rules the checklist was written from.
	Basis string `json:"basis"`
	// Note says what changed in this version.
	Note string `json:"note"`
	// Scale is the grade scale and the mapping rule of this version.
	Scale Scale `json:"scale"`
	// Options are the finding options every item offers unless the item
	// names a subset.
	Options []Option `json:"options"`
	// Sections are the aspects in order, each with its items: the tree.
	Sections []Section `json:"aspects"`
}

// Section is one aspect of a template with its items.
type Section struct {
	Aspect Aspect `json:"aspect"`
	Items  []Item `json:"items"`
}

// Item is one checklist item (评查项目).
type Item struct {
	// Code is unique within the template (PS-PC-08).
	Code string `json:"code"`
	// Aspect is filled in from the section when the template is read.
	Aspect Aspect `json:"-"`
	// Title is the question (认罪认罚具结书是否在辩护人或者值班律师在场的情况下签署).
	Title string `json:"title"`
	// Standard is what correct handling looks like (评查标准).
	Standard string `json:"standard"`
	// Basis is the legal basis (法律依据).
	Basis string `json:"basis"`
	// Guidance tells a new evaluator where to look and what counts (评查指引).
	Guidance string `json:"guidance"`
	// Options, when set, restricts the item to these option codes of the
	// template (e.g. an item that is either fine or serious).
	Options []string `json:"options,omitempty"`
	// Verify, when set, says what of the basis or standard must still be
	// checked against the official text (DOMAIN: uncertain facts are data
	// marked "verify").
	Verify string `json:"verify,omitempty"`
}

// Option is a finding option (评查结论选项).
type Option struct {
	Code  string `json:"code"`
	Label string `json:"label"`
	Class Class  `json:"class"`
	// Deduction is the points taken off the case's score (扣分).
	Deduction int `json:"deduction"`
}

// Items lists every item in tree order, with its aspect filled in.
func (t *Template) Items() []Item {
	var out []Item
	for _, s := range t.Sections {
		for _, it := range s.Items {
			it.Aspect = s.Aspect
			out = append(out, it)
		}
	}
	return out
}

// Item finds an item by code.
func (t *Template) Item(code string) (Item, bool) {
	for _, s := range t.Sections {
		for _, it := range s.Items {
			if it.Code == code {
				it.Aspect = s.Aspect
				return it, true
			}
		}
	}
	return Item{}, false
}

// ItemCount counts the items.
func (t *Template) ItemCount() int {
	n := 0
	for _, s := range t.Sections {
		n += len(s.Items)
	}
	return n
}

// ItemOptions lists the options an item offers.
func (t *Template) ItemOptions(it Item) []Option {
	if len(it.Options) == 0 {
		return t.Options
	}
	var out []Option
	for _, o := range t.Options {
		if slices.Contains(it.Options, o.Code) {
			out = append(out, o)
		}
	}
	return out
}

// Option finds an option an item offers.
func (t *Template) Option(it Item, code string) (Option, bool) {
	for _, o := range t.ItemOptions(it) {
		if o.Code == code {
			return o, true
		}
	}
	return Option{}, false
}

// Covers reports whether the template evaluates cases of category.
func (t *Template) Covers(category string) bool { return slices.Contains(t.Categories, category) }

// TemplateInfo is a stored version as a list shows it.
type TemplateInfo struct {
	ID         int64
	Code       string
	Version    int
	Name       string
	Categories []string
	ScaleCode  string
	Items      int
	Note       string
	CreatedBy  int64
	CreatedAt  time.Time
	// Latest marks the newest version of its code.
	Latest bool
	// InUse reports that a self-check, an activity or an evaluation
	// record refers to this version.
	InUse bool
}
