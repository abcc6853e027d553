// Package i18n is the one layer through which every user-facing text passes
// (国际化). Messages live in embedded JSON files, one directory per language
// (zh-CN first; ug and en later), split by concern so that each domain keeps
// its own file. A key defined twice is a start-up error.
//
// Keys are dotted: "err.*" for validation messages, "field.*" for field
// labels, "role.*", "category.*", "event.*" and so on for vocabularies,
// "ui.*" for page text.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/apperr"
)

//go:embed zh-CN/*.json
var files embed.FS

// DefaultLang is the language used when none is chosen.
const DefaultLang = "zh-CN"

// Catalog maps keys to message templates for one language. Templates use
// fmt verbs (%s, %d, %v) filled positionally.
type Catalog struct {
	lang string
	msgs map[string]string
}

// Load reads the embedded catalogue of lang.
func Load(lang string) (*Catalog, error) {
	entries, err := fs.ReadDir(files, lang)
	if err != nil {
		return nil, fmt.Errorf("i18n: no catalogue for %q: %w", lang, err)
	}
	c := &Catalog{lang: lang, msgs: map[string]string{}}
	for _, e := range entries {
		if path.Ext(e.Name()) != ".json" {
			continue
		}
		b, err := files.ReadFile(lang + "/" + e.Name())
		if err != nil {
			return nil, err
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("i18n: %s/%s: %w", lang, e.Name(), err)
		}
		for k, v := range m {
			if _, dup := c.msgs[k]; dup {
				return nil, fmt.Errorf("i18n: key %q defined twice (second in %s/%s)", k, lang, e.Name())
			}
			c.msgs[k] = v
		}
	}
	return c, nil
}

// MustLoad is Load for start-up and tests, where a broken catalogue is a bug.
func MustLoad(lang string) *Catalog {
	c, err := Load(lang)
	if err != nil {
		panic(err)
	}
	return c
}

// Lang names the catalogue's language.
func (c *Catalog) Lang() string { return c.lang }

// Has reports whether key is defined.
func (c *Catalog) Has(key string) bool { _, ok := c.msgs[key]; return ok }

// Keys lists every key, sorted (for tests and tooling).
func (c *Catalog) Keys() []string {
	out := make([]string, 0, len(c.msgs))
	for k := range c.msgs {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// T renders key with args. An unknown key renders as "⟦key⟧" so that a
// missing translation is visible on the page and caught by the page tests.
func (c *Catalog) T(key string, args ...any) string {
	msg, ok := c.msgs[key]
	if !ok {
		return "⟦" + key + "⟧"
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

var indexRE = regexp.MustCompile(`\[(\d+)\]`)

// Field renders a field path such as "parties[1].id_number" as a label
// ("当事人2·身份证号码"): each segment is looked up as "field.<path without
// indexes>" and indexes are shown 1-based.
func (c *Catalog) Field(field string) string {
	parts := strings.Split(field, ".")
	labels := make([]string, 0, len(parts))
	prefix := ""
	for _, p := range parts {
		idx := ""
		if m := indexRE.FindStringSubmatch(p); m != nil {
			n, _ := strconv.Atoi(m[1])
			idx = strconv.Itoa(n + 1)
			p = indexRE.ReplaceAllString(p, "")
		}
		if prefix == "" {
			prefix = p
		} else {
			prefix += "." + p
		}
		labels = append(labels, c.T("field."+prefix)+idx)
	}
	return strings.Join(labels, "·")
}

// Message renders one field error as "label：message".
func (c *Catalog) Message(fe apperr.FieldError) string {
	label := c.Field(fe.Field)
	if fe.Label != "" {
		label = c.T(fe.Label)
	}
	return label + "：" + c.T(fe.Key, fe.Args...)
}

// Messages renders a validation error as field path → Chinese message.
func (c *Catalog) Messages(v *apperr.Validation) map[string]string {
	out := make(map[string]string, len(v.Fields))
	for _, fe := range v.Fields {
		if _, seen := out[fe.Field]; seen {
			continue
		}
		out[fe.Field] = c.Message(fe)
	}
	return out
}
